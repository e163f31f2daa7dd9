using KMeansPS.Bridge;
using KMeansPS.Output;
using KMeansPS.Pipeline;
using Xunit;

namespace KMeansPS.Tests.Bridge;

/// <summary>
/// Two runs planned the same output before either wrote it (overlapping scheduled runs): the one that publishes second
/// finds the name taken. When the file there is this source's output with these settings, that is a skip, as a later
/// rerun would report it; otherwise OutputExists as before.
/// </summary>
public sealed class PublishRaceTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kmeansps-race-");

    public void Dispose() => _folder.Delete(recursive: true);

    // The warm-up's request (the cmdlet's defaults at K = 16) with the seeds of the case.
    private ImageCompressionRequest Request(string source, int seed, int? givenSeed)
    {
        ImageCompressionRequest d = FileJobWarmup.Request(source, Path.Combine(_folder.FullName, "out.png"));
        return new ImageCompressionRequest
        {
            Source = d.Source, Destination = d.Destination, K = d.K, Format = d.Format, ColorSpace = d.ColorSpace, Dither = d.Dither,
            Algorithm = d.Algorithm, MaxIterations = d.MaxIterations, Tolerance = d.Tolerance, MaxPixels = d.MaxPixels, Threads = 1,
            Seed = seed, GivenSeed = givenSeed,
        };
    }

    private string Source(string name, int resource)
    {
        string source = Path.Combine(_folder.FullName, name);
        File.WriteAllBytes(source, KMeansPS.Imaging.Quantization.PaletteJobWarmup.Resource(KMeansPS.Imaging.Quantization.PaletteJobWarmup.PngResources[resource]));
        return source;
    }

    [Fact]
    public void The_second_publisher_of_the_same_output_skips_it_as_up_to_date()
    {
        string source = Source("in.png", 0);
        Assert.Equal(CompressionStatus.Written, ImageCompressionJob.Run(Request(source, 1, 1), null, TestContext.Current.CancellationToken).Status);
        byte[] first = File.ReadAllBytes(Path.Combine(_folder.FullName, "out.png"));
        // The same settings and seed; then no -Seed at all (a drawn seed), which a rerun also takes as up to date.
        foreach ((int seed, int? given) in new[] { (1, (int?)1), (77, null) })
        {
            ImageCompressionResult second = ImageCompressionJob.Run(Request(source, seed, given), null, TestContext.Current.CancellationToken);
            Assert.Equal(CompressionStatus.SkippedUpToDate, second.Status);
            Assert.Equal(first, File.ReadAllBytes(Path.Combine(_folder.FullName, "out.png")));
        }
        Assert.Single(Directory.GetFiles(_folder.FullName, "*.png"), f => f.EndsWith("out.png", StringComparison.Ordinal));
    }

    [Fact]
    public void The_second_publisher_skips_while_the_first_has_yet_to_publish_its_comparison_figure()
    {
        // The first run published its output; its figure comes after, so it is not there yet when the second run's
        // publish of the output fails. That run's work is done all the same: a skip, not OutputExists.
        string source = Source("in.png", 0);
        string figure = Path.Combine(_folder.FullName, "compare.png");
        ImageCompressionRequest first = Request(source, 1, 1);
        Assert.Equal(CompressionStatus.Written, ImageCompressionJob.Run(first, null, TestContext.Current.CancellationToken).Status);
        ImageCompressionRequest second = Request(source, 1, 1);
        second = new ImageCompressionRequest
        {
            Source = second.Source, Destination = second.Destination, K = second.K, Format = second.Format, ColorSpace = second.ColorSpace,
            Dither = second.Dither, Algorithm = second.Algorithm, MaxIterations = second.MaxIterations, Tolerance = second.Tolerance,
            MaxPixels = second.MaxPixels, Threads = 1, Seed = 1, GivenSeed = 1, ComparisonPath = figure,
        };
        Assert.Equal(CompressionStatus.SkippedUpToDate, ImageCompressionJob.Run(second, null, TestContext.Current.CancellationToken).Status);
        Assert.False(File.Exists(figure));
    }

    [Fact]
    public void Another_seed_asked_for_or_another_source_is_still_OutputExists()
    {
        string source = Source("in.png", 0);
        ImageCompressionJob.Run(Request(source, 1, 1), null, TestContext.Current.CancellationToken);
        var seed = Assert.Throws<OutputRefusedException>(() => ImageCompressionJob.Run(Request(source, 2, 2), null, TestContext.Current.CancellationToken));
        Assert.Equal(ErrorIds.OutputExists, seed.ErrorId);
        string other = Source("other.png", 1);
        var changed = Assert.Throws<OutputRefusedException>(() => ImageCompressionJob.Run(Request(other, 1, 1), null, TestContext.Current.CancellationToken));
        Assert.Equal(ErrorIds.OutputExists, changed.ErrorId);
    }
}
