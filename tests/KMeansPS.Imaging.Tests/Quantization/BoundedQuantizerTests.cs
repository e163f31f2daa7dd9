using KMeansPS.Imaging.ColorSpaces;
using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Histograms;
using KMeansPS.Imaging.Metrics;
using KMeansPS.Imaging.Palettes;
using KMeansPS.Imaging.Quantization;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Quantization;

/// <summary>Quantizing an image with more distinct colours than the colour histogram may hold.</summary>
public class BoundedQuantizerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static QuantizedImage Quantize(RgbaImage image, int k, int? maxEntries, int threads = 2, QuantizeColorSpace space = QuantizeColorSpace.Rgb,
        double runErrorShare = RunExtension.DefaultErrorShare) =>
        ImageQuantizer.Quantize(image, new QuantizeOptions
        {
            K = k, Seed = 3, MaxHistogramEntries = maxEntries, MaxDegreeOfParallelism = threads, ColorSpace = space, RunErrorShare = runErrorShare,
        }, cancellationToken: Ct);

    private static double Psnr(RgbaImage image, QuantizedImage q) => ImageMetrics.Compute(image, q.ToPixels(), cancellationToken: Ct).Psnr;

    [Fact]
    public void An_image_within_the_limit_gives_exactly_the_output_of_an_unbounded_histogram()
    {
        RgbaImage image = Fixtures.WithTransparency(300, 200);
        int distinct = ColorHistogram.Build(image.Pixels, cancellationToken: Ct).Count;
        QuantizedImage byDefault = Quantize(image, 32, null);
        QuantizedImage atLimit = Quantize(image, 32, distinct);
        Assert.Equal(byDefault.Palette, atLimit.Palette);
        Assert.Equal(byDefault.Indices, atLimit.Indices);
        Assert.Equal(distinct, atLimit.SourceColors);
        Assert.Null(atLimit.Fit.Warning);
        Assert.NotNull(atLimit.SquaredErrorOfSource);
    }

    [Fact]
    public void Above_the_limit_every_pixel_takes_its_nearest_entry_the_same_for_any_threads()
    {
        // The nearest mapping itself (no run merges); the merges on top of it are the next test's.
        RgbaImage image = Fixtures.WithTransparency(640, 480);
        QuantizedImage one = Quantize(image, 64, 5_000, threads: 1, runErrorShare: 0);
        QuantizedImage two = Quantize(image, 64, 5_000, threads: 2, runErrorShare: 0);
        QuantizedImage four = Quantize(image, 64, 5_000, threads: 4, runErrorShare: 0);
        Assert.Equal(one.Palette, two.Palette);
        Assert.Equal(one.Indices, two.Indices);
        Assert.Equal(one.Palette, four.Palette);
        Assert.Equal(one.Indices, four.Indices);

        Assert.Equal(5_001, one.SourceColors);
        Assert.Contains("more than 5,000 distinct colours", one.Fit.Warning, StringComparison.Ordinal);
        Assert.Null(one.SquaredErrorOfSource);
        Assert.True(one.Palette.Length <= 64);
        // Transparent pixels stay exactly transparent; visible ones take the nearest entry (premultiplied RGBA).
        var search = new NearestPaletteSearch(one.Palette);
        for (int p = 0; p < image.Pixels.Length; p += 7)
        {
            Rgba32 c = image.Pixels[p];
            Rgba32 mapped = one.Palette[one.Indices[p]];
            if (c.A == 0) { Assert.Equal(default, mapped); continue; }
            Assert.Equal(MetricColor.SquaredDistance(c, one.Palette[search.Nearest(c)]), MetricColor.SquaredDistance(c, mapped));
        }
    }

    [Fact]
    public void Above_the_limit_run_merges_stay_within_their_share_the_same_for_any_threads()
    {
        // Smaller than the test above (these run under emulation too): 320 x 240 with at most 1,000 entries.
        RgbaImage image = Fixtures.WithTransparency(320, 240);
        QuantizedImage nearest = Quantize(image, 32, 1_000, threads: 2, runErrorShare: 0);
        QuantizedImage one = Quantize(image, 32, 1_000, threads: 1);
        QuantizedImage four = Quantize(image, 32, 1_000, threads: 4);
        Assert.Contains("more than 1,000 distinct colours", one.Fit.Warning, StringComparison.Ordinal);
        Assert.Equal(one.Indices, four.Indices);
        Assert.NotEqual(nearest.Indices, one.Indices);
        double before = ImageMetrics.SquaredError(image, nearest.Indices, nearest.Palette, Ct);
        double after = ImageMetrics.SquaredError(image, one.Indices, one.Palette, Ct);
        Assert.True(after <= before * (1 + RunExtension.DefaultErrorShare), $"{after} against {before}");
        for (int p = 0; p < image.Pixels.Length; p++)
            if (image.Pixels[p].A == 0) Assert.Equal(default, one.Palette[one.Indices[p]]);
    }

    /// <summary>
    /// A noisy gradient (about 300 k colours in 420 k pixels) fitted on a fortieth as many cells as it has colours,
    /// against the exact histogram of the same image: the cells' means keep the centres near where the exact fit
    /// puts them. (At the real limit, one entry per 32 pixels, the cells are far finer than here.)
    /// </summary>
    [Theory]
    [InlineData(16, false)]
    [InlineData(64, false)]
    [InlineData(64, true)]
    public void Fitting_on_cells_costs_little_quality(int k, bool okLab)
    {
        QuantizeColorSpace space = okLab ? QuantizeColorSpace.OkLab : QuantizeColorSpace.Rgb;
        RgbaImage image = Fixtures.Gradient(700, 600, 4);
        int distinct = ColorHistogram.Build(image.Pixels.AsSpan(), false, int.MaxValue, Ct).Count;
        Assert.True(distinct > 100_000);
        QuantizedImage exact = Quantize(image, k, distinct, space: space);
        QuantizedImage coarse = Quantize(image, k, distinct / 40, space: space);
        Assert.Null(exact.Fit.Warning);
        Assert.NotNull(coarse.Fit.Warning);
        double exactPsnr = Psnr(image, exact), coarsePsnr = Psnr(image, coarse);
        // Measured: K = 16 -0.01 dB, K = 64 -0.07 dB (Rgb); OkLab, which does not minimise RGB error, +0.18 dB.
        Assert.True(coarsePsnr > exactPsnr - 0.1, $"exact {exactPsnr:F3} dB, cells {coarsePsnr:F3} dB");
        if (!okLab) Assert.True(coarsePsnr < exactPsnr + 0.1, $"exact {exactPsnr:F3} dB, cells {coarsePsnr:F3} dB");
    }

    [Fact]
    public void Dithering_and_GIF_output_work_from_cells_too()
    {
        RgbaImage image = Fixtures.WithTransparency(200, 150);
        QuantizedImage dithered = ImageQuantizer.Quantize(image, new QuantizeOptions
        {
            K = 16, Seed = 1, MaxHistogramEntries = 500, Dither = DitherMode.FloydSteinberg,
        }, cancellationToken: Ct);
        Assert.True(dithered.Palette.Length <= 16);
        // Fitted on cells, dithered: the warning says so (it was given only to the nearest-colour mapping).
        Assert.Contains("colour cells", dithered.Fit.Warning, StringComparison.Ordinal);
        Assert.Contains("was dithered to the palette", dithered.Fit.Warning, StringComparison.Ordinal);
        QuantizedImage gif = ImageQuantizer.Quantize(image, new QuantizeOptions
        {
            K = 16, Seed = 1, MaxHistogramEntries = 500, OutputFormat = ImageOutputFormat.Gif,
        }, cancellationToken: Ct);
        Assert.All(gif.Palette, e => Assert.True(e.A is 0 or 255));
        Assert.Contains(gif.Palette, e => e.A == 0);
    }
}
