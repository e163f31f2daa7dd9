using System.Buffers.Binary;
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
}
