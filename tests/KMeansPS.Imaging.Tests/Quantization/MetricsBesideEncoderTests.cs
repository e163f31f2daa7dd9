using KMeansPS.Imaging.ColorSpaces;
using KMeansPS.Imaging.Metrics;
using KMeansPS.Imaging.Palettes;
using KMeansPS.Imaging.Quantization;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Quantization;

public sealed class MetricsBesideEncoderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<bool> Alpha => [false, true];

    /// <summary>The image at K = 8, seed 1: what the helper's own tests encode and measure.</summary>
    private static QuantizedImage Quantized(RgbaImage image) =>
        ImageQuantizer.Quantize(image, new QuantizeOptions { K = 8, Seed = 1 }, cancellationToken: Ct);

    [Theory]
    [MemberData(nameof(Alpha))]
    public void A_K_sweep_reports_for_each_K_the_figures_of_the_file_Compress_writes(bool translucent)
    {
        // The sweep takes the mapping's squared error, as a written file's result does, while the PNG is encoded.
        using var folder = new TempFolder();
        string source = folder.File("in.png");
        RgbaImage image = translucent ? Fixtures.WithTransparency(64, 48) : Fixtures.Gradient(64, 48, 5);
        using (Image<Rgba32> img = Fixtures.ToImage(image)) img.Save(source, new PngEncoder());

        KSweepResult sweep = KSweep.Run(source, [4, 16], 3, QuantizeColorSpace.Rgb, 1_000_000, cancellationToken: Ct);

        RgbaImage decoded = new(image.Width, image.Height, Fixtures.ReadPixels(source));
        foreach (KSweepPoint point in sweep.Points)
        {
            QuantizeResult written = ImageQuantizer.Quantize(source, folder.File($"k{point.K}.png"), new QuantizeOptions { K = point.K, Seed = 3 },
                cancellationToken: Ct);
            Assert.Equal(written.Mse, point.Mse);
            Assert.Equal(written.Psnr, point.Psnr);
            Assert.Equal(written.Ssim, point.Ssim);
            // And those are the pixels' own figures: summed per colour instead of per pixel, a translucent image's
            // error differs only in the last bits.
            QuantizedImage quantized = ImageQuantizer.Quantize(decoded, new QuantizeOptions { K = point.K, Seed = 3 }, cancellationToken: Ct);
            ImageMetrics fresh = ImageMetrics.Compute(decoded, quantized.ToPixels(), cancellationToken: Ct);
            Assert.Equal(fresh.Mse, point.Mse, fresh.Mse * 1e-12);
            Assert.Equal(fresh.Ssim, point.Ssim);
            Assert.Equal(fresh.Mse * fresh.Channels * image.PixelCount, point.SquaredError, point.SquaredError * 1e-12);
        }
    }

    [Fact]
    public void The_encode_s_error_comes_out_and_no_metrics_stage_is_told()
    {
        RgbaImage image = Fixtures.Gradient(40, 30);
        QuantizedImage quantized = Quantized(image);
        var stages = new List<QuantizeStage>();
        IOException thrown = Assert.Throws<IOException>(() => MetricsBesideEncoder.Run<long>(image, quantized, computeMetrics: true, null,
            () => throw new IOException("disk full"), new SyncProgress(p => stages.Add(p.Stage)), Ct));
        Assert.Equal("disk full", thrown.Message);
        Assert.Empty(stages);
    }

    [Fact]
    public void Without_metrics_only_the_encode_runs()
    {
        RgbaImage image = Fixtures.Gradient(40, 30);
        QuantizedImage quantized = Quantized(image);
        var stages = new List<QuantizeStage>();
        (int encoded, ImageMetrics? metrics) = MetricsBesideEncoder.Run(image, quantized, computeMetrics: false, null, () => 42,
            new SyncProgress(p => stages.Add(p.Stage)), Ct);
        Assert.Equal(42, encoded);
        Assert.Null(metrics);
        Assert.Empty(stages);
    }

    [Fact]
    public void With_metrics_the_stage_is_told_after_the_encode_and_the_figures_are_the_image_s()
    {
        RgbaImage image = Fixtures.WithTransparency(40, 30);
        QuantizedImage quantized = Quantized(image);
        var events = new List<string>();
        (string encoded, ImageMetrics? metrics) = MetricsBesideEncoder.Run(image, quantized, computeMetrics: true, null, () =>
        {
            events.Add("encode");
            return "png";
        }, new SyncProgress(p => events.Add(p.Stage.ToString())), Ct);
        Assert.Equal("png", encoded);
        Assert.Equal(["encode", nameof(QuantizeStage.Metrics)], events);
        ImageMetrics fresh = ImageMetrics.Compute(image, quantized, quantized.SquaredErrorOfSource, null, Ct);
        ImageMetrics measured = Assert.NotNull(metrics);
        Assert.Equal(fresh.Psnr, measured.Psnr);
        Assert.Equal(fresh.Ssim, measured.Ssim);
        Assert.Equal(4, measured.Channels);
    }

    [Fact]
    public void A_cancelled_call_throws_a_cancellation_after_the_encode()
    {
        RgbaImage image = Fixtures.Gradient(40, 30);
        QuantizedImage quantized = Quantized(image);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        bool encoded = false;
        Assert.ThrowsAny<OperationCanceledException>(() => MetricsBesideEncoder.Run(image, quantized, computeMetrics: true, null, () => encoded = true,
            null, cancelled.Token));
        Assert.True(encoded);
    }
}
