using System.Buffers.Binary;
using System.Text;
using System.Xml.Linq;
using KMeansPS.Bridge;
using KMeansPS.Output;
using Xunit;

namespace KMeansPS.Tests.Bridge;

/// <summary>The plot files the cmdlets write: rendered whole by the plotting library, then written atomically.</summary>
public sealed class PlotJobTests : IDisposable
{
    private static readonly byte[] PngSignature = [137, 80, 78, 71, 13, 10, 26, 10];

    private readonly string _dir = Directory.CreateTempSubdirectory("kmeansps-plotjob-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static void WriteThreePoints(string path, PlotFileFormat? format, int width = 320, int height = 240) =>
        PlotJob.WriteClusterPlot(path, [0, 1, 5], [0, 1, 5], [0, 0, 1], [0.5, 5], [0.5, 5], "X", "Y", "Cluster",
            width, height, "three points", format, overwrite: true);

    private static (int Width, int Height) PngSize(byte[] file)
    {
        Assert.Equal(PngSignature, file[..8]);
        return (BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(20)));
    }

    [Fact]
    public void AnExistingPlotIsReplacedWholeAndNoTemporaryFileIsLeft()
    {
        string path = Path.Combine(_dir, "replace.png");
        File.WriteAllText(path, "old");
        WriteThreePoints(path, format: null, width: 200, height: 150);
        Assert.Equal((200, 150), PngSize(File.ReadAllBytes(path)));
        Assert.Equal(["replace.png"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void WithoutOverwriteAnExistingFileIsRefusedAsOutputExistsAndKept()
    {
        string path = Path.Combine(_dir, "taken.png");
        File.WriteAllText(path, "old");
        var ex = Assert.Throws<KMeansPS.Pipeline.OutputRefusedException>(() =>
            PlotJob.WriteClusterPlot(path, [0, 1], [0, 1], [0, 1], null, null, "X", "Y", "Cluster", 200, 150, null, null, overwrite: false));
        Assert.Equal(ErrorIds.OutputExists, ex.ErrorId);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["taken.png"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void AWriteFailureIsAnOutputWriteExceptionNamingTheFile()
    {
        string blocker = Path.Combine(_dir, "plainfile");
        File.WriteAllText(blocker, "x");
        string path = Path.Combine(blocker, "plot.png"); // a folder that is a file
        var ex = Assert.Throws<OutputWriteException>(() => WriteThreePoints(path, format: null));
        Assert.StartsWith($"Could not write '{path}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheFormatFollowsTheExtensionUnlessGiven()
    {
        string svg = Path.Combine(_dir, "plot.SVG");
        WriteThreePoints(svg, format: null);
        Assert.Equal("svg", XDocument.Load(svg).Root!.Name.LocalName);

        string pngNamedSvg = Path.Combine(_dir, "png.svg");
        WriteThreePoints(pngNamedSvg, PlotFileFormat.Png);
        Assert.Equal((320, 240), PngSize(File.ReadAllBytes(pngNamedSvg)));
    }

    [Fact]
    public void TheCurvePlotIsWrittenAsTheExtensionSays()
    {
        string path = Path.Combine(_dir, "curve.svg");
        PlotJob.WriteCurvePlot(path, Path.Combine(_dir, "sample.jpg"), [4, 8, 16], [20, 25, double.PositiveInfinity], [10, 20, 30], suggested: 1, "sample.jpg", overwrite: false, claim: null);
        string text = XDocument.Load(path).ToString();
        Assert.Contains("Suggested K = 8", text);
        Assert.Contains("sample.jpg", text);
    }

    [Fact]
    public void AFailedRenderLeavesAnExistingPlotUntouched()
    {
        string path = Path.Combine(_dir, "keep.svg");
        File.WriteAllText(path, "old");
        Assert.Throws<ArgumentException>(() => PlotJob.WriteCurvePlot(path, Path.Combine(_dir, "sample.jpg"), [4, 8], [double.NaN, 30], [1, 2], suggested: null, title: null, overwrite: true, claim: null));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_dir));
    }

    [Fact]
    public void AMissingFolderFailsAndLeavesNoFile()
    {
        string path = Path.Combine(_dir, "missing", "plot.png");
        Assert.ThrowsAny<IOException>(() => WriteThreePoints(path, format: null));
        Assert.False(Directory.Exists(Path.Combine(_dir, "missing")));
    }

    private static bool WriteThreePointsAgain(string path, PlotFileFormat? format = null, double third = 5) =>
        PlotJob.WriteClusterPlot(path, [0, 1, third], [0, 1, 5], [0, 0, 1], [0.5, 5], [0.5, 5], "X", "Y", "Cluster",
            320, 240, "three points", format, overwrite: false);

    /// <summary>
    /// The plot as another version of the module would have drawn it: other bytes (a PNG with one more text chunk, an SVG
    /// with another drawing attribute) and that version's number in the marker, the same data and settings.
    /// </summary>
    private static byte[] AsAnotherVersionDrewIt(byte[] plot, bool withoutFingerprint = false)
    {
        if (plot[0] == (byte)'<')
        {
            string text = Encoding.UTF8.GetString(plot);
            Assert.Contains("<!-- KMeansPS v=1;tool=", text, StringComparison.Ordinal);
            text = System.Text.RegularExpressions.Regex.Replace(text, "tool=[^;]+;", "tool=0.0.1;");
            if (withoutFingerprint) text = System.Text.RegularExpressions.Regex.Replace(text, "settings=plot,inputs=[0-9A-F]+", "settings=plot");
            return Encoding.UTF8.GetBytes(text.Replace("fill=\"white\"", "fill=\"#FFFFFF\"", StringComparison.Ordinal));
        }
        using var rebuilt = new MemoryStream();
        rebuilt.Write(plot, 0, 8);
        bool marked = false;
        for (int at = 8; at < plot.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(plot.AsSpan(at));
            string type = Encoding.ASCII.GetString(plot, at + 4, 4);
            byte[] data = plot.AsSpan(at + 8, length).ToArray();
            at += 12 + length;
            if (type == "tEXt" && Encoding.Latin1.GetString(data).StartsWith("KMeansPS\0", StringComparison.Ordinal))
            {
                string[] fields = Encoding.Latin1.GetString(data)["KMeansPS\0".Length..].Split(';');
                Assert.Equal("2", fields[0]);
                fields[1] = "0.0.1";
                if (withoutFingerprint) fields[3] = "plot";
                data = Encoding.Latin1.GetBytes("KMeansPS\0" + string.Join(';', fields));
                marked = true;
            }
            KMeansPS.Imaging.Png.PalettePngEncoder.WriteChunk(rebuilt, type, data);
            if (type == "IHDR") KMeansPS.Imaging.Png.PalettePngEncoder.WriteChunk(rebuilt, "tEXt", "Software\0another drawing"u8);
        }
        Assert.True(marked);
        return rebuilt.ToArray();
    }

    [Theory]
    [InlineData("plot.png")]
    [InlineData("plot.svg")]
    public void A_plot_of_the_same_data_drawn_by_another_version_is_left_as_it_is(string name)
    {
        string path = Path.Combine(_dir, name);
        Assert.True(WriteThreePointsAgain(path));
        byte[] older = AsAnotherVersionDrewIt(File.ReadAllBytes(path));
        File.WriteAllBytes(path, older);

        Assert.False(WriteThreePointsAgain(path)); // no OutputExists: the scheduled rerun after an upgrade goes on
        Assert.Equal(older, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(_dir));
    }

    [Theory]
    [InlineData("plot.png")]
    [InlineData("plot.svg")]
    public void A_plot_of_other_data_drawn_by_another_version_is_still_OutputExists(string name)
    {
        string path = Path.Combine(_dir, name);
        Assert.True(WriteThreePointsAgain(path, third: 6));
        byte[] older = AsAnotherVersionDrewIt(File.ReadAllBytes(path));
        File.WriteAllBytes(path, older);

        var ex = Assert.Throws<KMeansPS.Pipeline.OutputRefusedException>(() => WriteThreePointsAgain(path));
        Assert.Equal(ErrorIds.OutputExists, ex.ErrorId);
        Assert.Equal(older, File.ReadAllBytes(path));
    }

    [Theory]
    [InlineData("plot.png")]
    [InlineData("plot.svg")]
    public void A_plot_whose_marker_has_no_fingerprint_is_OutputExists_unless_it_is_the_same_bytes(string name)
    {
        string path = Path.Combine(_dir, name);
        Assert.True(WriteThreePointsAgain(path));
        byte[] older = AsAnotherVersionDrewIt(File.ReadAllBytes(path), withoutFingerprint: true);
        File.WriteAllBytes(path, older);

        var ex = Assert.Throws<KMeansPS.Pipeline.OutputRefusedException>(() => WriteThreePointsAgain(path));
        Assert.Equal(ErrorIds.OutputExists, ex.ErrorId);
        Assert.Equal(older, File.ReadAllBytes(path));
    }

    [Theory]
    [InlineData("plot.png", 20)]
    [InlineData("plot.png", 2000)]
    [InlineData("plot.svg", 20)]
    [InlineData("plot.svg", 2000)]
    public void The_same_plot_cut_short_is_drawn_again_without_force(string name, int cut)
    {
        string path = Path.Combine(_dir, name);
        Assert.True(WriteThreePointsAgain(path));
        byte[] whole = File.ReadAllBytes(path);
        File.WriteAllBytes(path, whole[..^cut]);

        Assert.True(WriteThreePointsAgain(path));
        Assert.Equal(whole, File.ReadAllBytes(path));
        Assert.False(WriteThreePointsAgain(path)); // and then it is up to date
    }

    [Fact]
    public void The_same_png_plot_with_a_flipped_byte_in_its_image_data_is_drawn_again()
    {
        string path = Path.Combine(_dir, "plot.png");
        Assert.True(WriteThreePointsAgain(path));
        byte[] whole = File.ReadAllBytes(path);
        byte[] damaged = (byte[])whole.Clone();
        damaged[whole.AsSpan().IndexOf("IDAT"u8) + 40] ^= 0x10;
        File.WriteAllBytes(path, damaged);

        Assert.True(WriteThreePointsAgain(path));
        Assert.Equal(whole, File.ReadAllBytes(path));
    }

    [Fact]
    public void An_svg_plot_keeps_its_marker_in_a_comment_and_stays_an_svg()
    {
        string path = Path.Combine(_dir, "plot.svg");
        Assert.True(WriteThreePointsAgain(path));
        var document = XDocument.Load(path);
        Assert.Equal("svg", document.Root!.Name.LocalName);
        XComment comment = Assert.Single(document.Nodes().OfType<XComment>());
        Assert.Matches("^ KMeansPS v=1;tool=[0-9.]+;source=sha256:[0-9A-F]{32};seed=0;settings=plot,inputs=[0-9A-F]{16} $", comment.Value);
    }

    [Fact]
    public void A_link_to_the_same_plot_is_not_taken_for_it()
    {
        string target = Path.Combine(_dir, "target.png"), path = Path.Combine(_dir, "plot.png");
        Assert.True(WriteThreePointsAgain(target));
        File.WriteAllBytes(target, AsAnotherVersionDrewIt(File.ReadAllBytes(target)));
        File.CreateSymbolicLink(path, target);
        var ex = Assert.Throws<KMeansPS.Pipeline.OutputRefusedException>(() => WriteThreePointsAgain(path));
        Assert.Equal(ErrorIds.OutputExists, ex.ErrorId);
    }
}
