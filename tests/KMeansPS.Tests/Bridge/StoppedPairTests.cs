using System.Text;
using KMeansPS.Bridge;
using KMeansPS.Imaging.Quantization;
using Xunit;

namespace KMeansPS.Tests.Bridge;

/// <summary>
/// A -Force run replaces an output and its comparison figure with two publishes. Stopped (or killed) between them, it
/// must not leave the figure of the run that made the old output beside its new output: a missing figure, which the
/// next run writes, is the only other state allowed.
/// </summary>
public sealed class StoppedPairTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kmeansps-stopped-pair-");

    public void Dispose() => _folder.Delete(recursive: true);

    private ImageCompressionRequest Request(string source, int seed, Action<CancellationToken>? awaitTurn)
    {
        ImageCompressionRequest d = FileJobWarmup.Request(source, Path.Combine(_folder.FullName, "out.png"));
        return new ImageCompressionRequest
        {
            Source = d.Source, Destination = d.Destination, K = d.K, Format = d.Format, ColorSpace = d.ColorSpace, Dither = d.Dither,
            Algorithm = d.Algorithm, MaxIterations = d.MaxIterations, Tolerance = d.Tolerance, MaxPixels = d.MaxPixels, Threads = 1,
            Seed = seed, GivenSeed = seed, ComparisonPath = Path.Combine(_folder.FullName, "out-comparison.png"),
            Overwrite = true, OverwriteComparison = true, AwaitTurn = awaitTurn,
        };
    }

    // The text of a PNG's KMeansPS marker (its tEXt chunk), which a figure shares with the output of its run.
    private static string? Marker(string path)
    {
        byte[] b = File.ReadAllBytes(path);
        for (int at = 8; at + 8 <= b.Length;)
        {
            int length = b[at] << 24 | b[at + 1] << 16 | b[at + 2] << 8 | b[at + 3];
            string type = Encoding.ASCII.GetString(b, at + 4, 4);
            string text = type == "tEXt" ? Encoding.Latin1.GetString(b, at + 8, length) : "";
            if (text.StartsWith("KMeansPS\0", StringComparison.Ordinal)) return text[9..];
            at += 12 + length;
        }
        return null;
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(1, 3)]
    [InlineData(2, 4)]
    [InlineData(3, 5)]
    public void A_stop_between_the_output_and_its_figure_leaves_no_figure_of_the_run_before(int resource, int seed)
    {
        string source = Path.Combine(_folder.FullName, "in.png");
        File.WriteAllBytes(source, PaletteJobWarmup.Resource(PaletteJobWarmup.PngResources[resource % PaletteJobWarmup.PngResources.Length]));
        ImageCompressionJob.Run(Request(source, 1, null), null, TestContext.Current.CancellationToken);
        string output = Path.Combine(_folder.FullName, "out.png"), figure = Path.Combine(_folder.FullName, "out-comparison.png");
        Assert.Equal(Marker(output), Marker(figure));

        // The turn is awaited before each publish: stopped at the second, the figure's.
        int turns = 0;
        Assert.Throws<OperationCanceledException>(() => ImageCompressionJob.Run(Request(source, seed, _ =>
        {
            if (++turns == 2) throw new OperationCanceledException();
        }), null, TestContext.Current.CancellationToken));
        Assert.Equal(2, turns);
        Assert.NotNull(Marker(output));
        if (File.Exists(figure)) Assert.Equal(Marker(output), Marker(figure));
    }
}
