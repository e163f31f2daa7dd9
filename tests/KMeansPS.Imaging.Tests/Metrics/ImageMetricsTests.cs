using KMeansPS.Imaging.Metrics;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Metrics;

public class ImageMetricsTests
{
    [Fact]
    public void Mse_and_psnr_of_an_opaque_image_are_over_rgb()
    {
        var a = new RgbaImage(2, 1, [new Rgba32(10, 20, 30, 255), new Rgba32(0, 0, 0, 255)]);
        Rgba32[] b = [new Rgba32(13, 20, 26, 255), new Rgba32(0, 5, 0, 255)];
        // Squared errors 9 + 0 + 16 + 0 + 25 + 0 = 50 over 6 channel values.
        AssertMseAndPsnr(a, b, channels: 3, mse: 50.0 / 6, digits: 10);
    }

    [Fact]
    public void Mse_with_alpha_is_over_premultiplied_rgba()
    {
        // Hidden colour of a transparent pixel does not count; a half-transparent one counts scaled by alpha.
        var a = new RgbaImage(2, 1, [new Rgba32(200, 100, 50, 0), new Rgba32(100, 100, 100, 51)]);
        Rgba32[] b = [new Rgba32(0, 0, 0, 0), new Rgba32(50, 100, 100, 51)];
        // Pixel 2: premultiplied R 100*51/255 = 20 against 50*51/255 = 10, so one squared error of 100; 8 values.
        AssertMseAndPsnr(a, b, channels: 4, mse: 100.0 / 8, digits: 4);
    }

    /// <summary>The channels counted, the MSE, and the PSNR that follows from it (10 log10(255^2 / MSE)).</summary>
    private static void AssertMseAndPsnr(RgbaImage a, Rgba32[] b, int channels, double mse, int digits)
    {
        ImageMetrics m = ImageMetrics.Compute(a, b, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(channels, m.Channels);
        Assert.Equal(mse, m.Mse, digits + 1);
        Assert.Equal(10 * Math.Log10(255.0 * 255.0 / mse), m.Psnr, digits);
    }

    [Fact]
    public void Identical_images_have_infinite_psnr_and_ssim_one()
    {
        foreach (RgbaImage image in new[] { Fixtures.Gradient(40, 30), Fixtures.Gradient(5, 4), Fixtures.WithTransparency(32, 20) })
        {
            ImageMetrics m = ImageMetrics.Compute(image, image.Pixels, cancellationToken: TestContext.Current.CancellationToken);
            Assert.Equal(0, m.Mse);
            Assert.Equal(double.PositiveInfinity, m.Psnr);
            Assert.Equal(1.0, m.Ssim, 12);
        }
    }

    [Fact]
    public void Ssim_of_a_tiny_image_is_the_global_formula()
    {
        // Fewer than 11 pixels across: one window with uniform weights. Luma of grey g is g.
        var grey = new byte[] { 10, 20, 30, 40 };
        var other = new byte[] { 12, 18, 33, 40 };
        var a = new RgbaImage(2, 2, grey.Select(g => new Rgba32(g, g, g, 255)).ToArray());
        Rgba32[] b = other.Select(g => new Rgba32(g, g, g, 255)).ToArray();
        double mx = grey.Average(v => (double)v), my = other.Average(v => (double)v);
        double vx = grey.Average(v => (v - mx) * (v - mx)), vy = other.Average(v => (v - my) * (v - my));
        double cxy = grey.Zip(other).Average(p => (p.First - mx) * (p.Second - my));
        double c1 = Math.Pow(0.01 * 255, 2), c2 = Math.Pow(0.03 * 255, 2);
        double expected = (2 * mx * my + c1) * (2 * cxy + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2));
        Assert.Equal(expected, Ssim.Compute(a.Pixels, b, 2, 2, cancellationToken: TestContext.Current.CancellationToken), 5);
    }

    [Fact]
    public void Windowed_ssim_of_a_constant_shift_matches_the_hand_computed_value()
    {
        // Constant images v and v + d: every window has zero variance, so SSIM = (2 v (v+d) + C1) / (v^2 + (v+d)^2 + C1).
        const int v = 100, d = 20;
        var a = Enumerable.Repeat(new Rgba32(v, v, v, 255), 20 * 16).ToArray();
        var b = Enumerable.Repeat(new Rgba32(v + d, v + d, v + d, 255), 20 * 16).ToArray();
        double c1 = Math.Pow(0.01 * 255, 2);
        double expected = (2.0 * v * (v + d) + c1) / (v * v + (v + d) * (double)(v + d) + c1);
        Assert.Equal(expected, Ssim.Compute(a, b, 20, 16, cancellationToken: TestContext.Current.CancellationToken), 4);
    }

    /// <summary>
    /// SSIM by its definition, computed naively: every 11 x 11 window position, Gaussian weights, luma and moments in
    /// double.
    /// </summary>
    private static double DirectSsim(Rgba32[] a, Rgba32[] b, int w, int h)
    {
        // The premultiplied colour's luma (the README's definition): an opaque pixel's is its own.
        static double Y(Rgba32 c) => (0.299 * c.R + 0.587 * c.G + 0.114 * c.B) * c.A / 255.0;
        var g = Enumerable.Range(0, 11).Select(i => Math.Exp(-(i - 5) * (i - 5) / 4.5)).ToArray();
        double gs = g.Sum();
        double c1 = Math.Pow(0.01 * 255, 2), c2 = Math.Pow(0.03 * 255, 2), total = 0;
        for (int oy = 0; oy + 11 <= h; oy++)
            for (int ox = 0; ox + 11 <= w; ox++)
            {
                double mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;
                for (int dy = 0; dy < 11; dy++)
                    for (int dx = 0; dx < 11; dx++)
                    {
                        double k = g[dy] * g[dx] / (gs * gs);
                        double x = Y(a[(oy + dy) * w + ox + dx]), y = Y(b[(oy + dy) * w + ox + dx]);
                        mx += k * x; my += k * y; sxx += k * x * x; syy += k * y * y; sxy += k * x * y;
                    }
                double vx = sxx - mx * mx, vy = syy - my * my, cv = sxy - mx * my;
                total += (2 * mx * my + c1) * (2 * cv + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2));
            }
        return total / ((w - 10) * (h - 10));
    }

    [Fact]
    public void Windowed_ssim_matches_a_direct_double_precision_computation()
    {
        const int w = 31, h = 24;
        RgbaImage image = Fixtures.Gradient(w, h);
        var random = new Random(5);
        Rgba32[] noisy = image.Pixels.Select(p => new Rgba32((byte)Math.Clamp(p.R + random.Next(-30, 31), 0, 255), p.G, (byte)(p.B / 2), 255)).ToArray();
        double expected = DirectSsim(image.Pixels, noisy, w, h);
        Assert.Equal(expected, Ssim.Compute(image.Pixels, noisy, w, h, cancellationToken: TestContext.Current.CancellationToken), 6);
        Assert.InRange(expected, 0.05, 0.99);
    }

    [Fact]
    public void Windowed_ssim_of_translucent_images_is_on_the_premultiplied_colours_luma()
    {
        const int w = 29, h = 23;
        var random = new Random(11);
        Rgba32[] a = Enumerable.Range(0, w * h).Select(_ => new Rgba32((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256))).ToArray();
        // The same colours under other alphas: a measure of the plain colour would call the pair identical.
        Rgba32[] b = a.Select(p => new Rgba32(p.R, p.G, p.B, (byte)Math.Clamp(p.A + random.Next(-60, 61), 0, 255))).ToArray();
        double expected = DirectSsim(a, b, w, h);
        Assert.Equal(expected, Ssim.Compute(a, b, w, h, cancellationToken: TestContext.Current.CancellationToken), 6);
        Assert.InRange(expected, 0.05, 0.99);
    }

    [Theory]
    [InlineData(250, 2, 1)]
    [InlineData(240, 4, 2)]
    [InlineData(200, 1, 3)]
    [InlineData(128, 3, 4)]
    [InlineData(20, 2, 5)]
    public void Ssim_of_nearly_flat_images_is_the_definition_to_six_decimals(int level, int spread, int seed)
    {
        // Flat areas are where E[x^2] - E[x]^2 cancels most: variances near 0 beside squares near level^2. The
        // fourth decimal, the one the tables print, was off by up to 2e-4 on bright images with float32 moments.
        const int w = 53, h = 47;
        var random = new Random(seed);
        byte Near(int v) => (byte)Math.Clamp(v + random.Next(-spread, spread + 1), 0, 255);
        var a = new Rgba32[w * h];
        var b = new Rgba32[w * h];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = new Rgba32(Near(level), Near(level), Near(level), 255);
            b[i] = random.Next(3) == 0 ? new Rgba32(Near(level), Near(level), Near(level), 255) : a[i];
        }
        double expected = DirectSsim(a, b, w, h);
        Assert.Equal(expected, Ssim.Compute(a, b, w, h, cancellationToken: TestContext.Current.CancellationToken), 6);
        Assert.InRange(expected, 0.3, 0.999);
    }

    [Fact]
    public void Ssim_drops_with_noise_and_stays_in_range()
    {
        RgbaImage image = Fixtures.Gradient(64, 48);
        var random = new Random(2);
        Rgba32[] noisy = image.Pixels.Select(p => new Rgba32((byte)Math.Clamp(p.R + random.Next(-40, 41), 0, 255), p.G, p.B, 255)).ToArray();
        double ssim = Ssim.Compute(image.Pixels, noisy, 64, 48, cancellationToken: TestContext.Current.CancellationToken);
        Assert.InRange(ssim, 0.0, 0.99);
    }

    [Fact]
    public void Ssim_does_not_depend_on_the_thread_count_beyond_rounding()
    {
        RgbaImage image = Fixtures.Gradient(90, 400);
        var random = new Random(3);
        Rgba32[] noisy = image.Pixels.Select(p => new Rgba32(p.R, (byte)Math.Clamp(p.G + random.Next(-20, 21), 0, 255), p.B, 255)).ToArray();
        double one = Ssim.Compute(image.Pixels, noisy, 90, 400, maxDegreeOfParallelism: 1, cancellationToken: TestContext.Current.CancellationToken);
        double four = Ssim.Compute(image.Pixels, noisy, 90, 400, maxDegreeOfParallelism: 4, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(one, four, 12);
        Assert.InRange(one, 0.1, 0.999);
    }
}
