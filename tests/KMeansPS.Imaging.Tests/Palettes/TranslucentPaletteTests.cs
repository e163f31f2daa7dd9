using KMeansPS.Engine;
using KMeansPS.Imaging.ColorSpaces;
using KMeansPS.Imaging.Histograms;
using KMeansPS.Imaging.Palettes;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Palettes;

/// <summary>
/// Palettes for GUI screenshots with soft drop shadows (issue #15, section 3): a fully transparent background,
/// opaque windows, and shadows whose alpha ramps down to 2 on a few % of the pixels.
/// </summary>
public class TranslucentPaletteTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Windows (flat body, gradient title bar, anti-aliased marks for text) over a transparent background, each with
    /// a black shadow below and to the right whose alpha falls from <paramref name="peak"/> to 2 over 10 pixels.
    /// </summary>
    internal static RgbaImage Screenshot(int seed, int width, int height, int windows, int peak)
    {
        var random = new Random(seed);
        var pixels = new Rgba32[width * height];
        for (int w = 0; w < windows; w++)
        {
            int ww = random.Next(width / 3, width * 2 / 3), wh = random.Next(height / 3, height * 2 / 3);
            int x0 = random.Next(12, width - ww - 12), y0 = random.Next(12, height - wh - 12);
            // The shadow first, so this window covers its own; over an earlier window it darkens it.
            const int Reach = 10;
            for (int y = y0 - Reach + 4; y < y0 + wh + Reach + 4; y++)
            {
                for (int x = x0 - Reach + 2; x < x0 + ww + Reach + 2; x++)
                {
                    if ((uint)x >= (uint)width || (uint)y >= (uint)height) continue;
                    int dx = Math.Max(0, Math.Max(x0 + 2 - x, x - (x0 + ww + 2 - 1)));
                    int dy = Math.Max(0, Math.Max(y0 + 4 - y, y - (y0 + wh + 4 - 1)));
                    double t = 1 - Math.Sqrt(dx * dx + dy * dy) / Reach;
                    if (t <= 0) continue;
                    int alpha = Math.Max(2, (int)Math.Round(peak * t * t));
                    pixels[y * width + x] = Over(new Rgba32(0, 0, 0, (byte)alpha), pixels[y * width + x]);
                }
            }
            var body = new Rgba32((byte)random.Next(200, 256), (byte)random.Next(200, 256), (byte)random.Next(200, 256), 255);
            var top = new Rgba32((byte)random.Next(40, 200), (byte)random.Next(40, 200), (byte)random.Next(40, 200), 255);
            var ink = new Rgba32((byte)random.Next(90), (byte)random.Next(90), (byte)random.Next(90), 255);
            for (int y = y0; y < y0 + wh; y++)
            {
                for (int x = x0; x < x0 + ww; x++)
                {
                    Rgba32 c = body;
                    if (y - y0 < 20) c = Mix(top, body, (y - y0) / 20.0);
                    else if ((y - y0) % 12 is >= 4 and < 10 && (x - x0) % 9 < 6 && x - x0 > 8 && x0 + ww - x > 8)
                        c = Mix(ink, body, ((x - x0) % 9 == 0 || (y - y0) % 12 == 4) ? 0.5 : 0.1 * random.Next(3));
                    pixels[y * width + x] = c;
                }
            }
        }
        return new RgbaImage(width, height, pixels);
    }

    private static Rgba32 Mix(Rgba32 a, Rgba32 b, double t) => new(
        (byte)Math.Round(a.R + (b.R - a.R) * t), (byte)Math.Round(a.G + (b.G - a.G) * t), (byte)Math.Round(a.B + (b.B - a.B) * t), 255);

    /// <summary>Porter-Duff source over destination, straight alpha in and out.</summary>
    private static Rgba32 Over(Rgba32 src, Rgba32 dst)
    {
        double sa = src.A / 255.0, da = dst.A / 255.0, oa = sa + da * (1 - sa);
        if (oa <= 0) return default;
        byte Channel(byte s, byte d) => (byte)Math.Round((s * sa + d * da * (1 - sa)) / oa);
        return new Rgba32(Channel(src.R, dst.R), Channel(src.G, dst.G), Channel(src.B, dst.B), (byte)Math.Round(oa * 255));
    }

    private static double Error(ColorHistogram histogram, Palette p) =>
        PaletteBuilder.TotalError(histogram.Colors, histogram.Counts, p.Entries, p.ColorToEntry);

    [Fact]
    public void The_generated_screenshot_is_of_the_class()
    {
        RgbaImage image = Screenshot(1, 240, 200, 3, 120);
        int n = image.Pixels.Length;
        int transparent = image.Pixels.Count(c => c.A == 0), partial = image.Pixels.Count(c => c.A is > 0 and < 255);
        Assert.InRange(transparent, n / 10, n * 7 / 10);
        Assert.InRange(partial, n / 50, n / 5);
        Assert.True(image.Pixels.Where(c => c.A is > 0 and < 255).Select(c => c.A).Distinct().Count() >= 40);
        Assert.True(ColorHistogram.Build(image.Pixels, cancellationToken: Ct).Count > 200);
    }

    [Theory]
    [InlineData(1, 16)]
    [InlineData(2, 16)]
    [InlineData(3, 64)]
    public void The_palette_is_no_worse_than_the_same_fit_with_alpha_rounded_first_and_its_labels_kept(int seed, int k)
    {
        // scikit-learn's way (perf/anchors/sklearn_quantize.py): fit premultiplied RGBA, round each centre's alpha,
        // then its colour at that alpha, keep the fit's labels. The builder's first seeding is this very fit.
        RgbaImage image = Screenshot(seed, 240, 200, 3, 120);
        ColorHistogram histogram = ColorHistogram.Build(image.Pixels, cancellationToken: Ct);
        int transparent = histogram.TransparentIndex;
        Assert.True(transparent >= 0);
        var visible = Enumerable.Range(0, histogram.Count).Where(i => i != transparent).ToArray();
        var data = new float[visible.Length * 4];
        var weights = new float[visible.Length];
        for (int j = 0; j < visible.Length; j++)
        {
            MetricColor.ToMetric(histogram.Colors[visible[j]], out data[4 * j], out data[4 * j + 1], out data[4 * j + 2], out data[4 * j + 3]);
            weights[j] = histogram.Counts[visible[j]];
        }
        const ulong Seed = 9;
        KMeansResult fit = KMeans.Fit(data, 4, weights, new KMeansOptions { K = k - 1, Algorithm = KMeansAlgorithm.Auto, MaxIterations = 300, Tolerance = 1e-4, Seed = Seed }, Ct);
        double reference = 0;
        for (int j = 0; j < visible.Length; j++)
        {
            ReadOnlySpan<float> c = fit.Centroids.AsSpan(fit.Labels[j] * 4, 4);
            byte a8 = Math.Max((byte)1, MetricColor.ToByte(c[3]));
            var entry = new Rgba32(MetricColor.ToByte(c[0] * 255.0 / a8), MetricColor.ToByte(c[1] * 255.0 / a8), MetricColor.ToByte(c[2] * 255.0 / a8), a8);
            reference += histogram.Counts[visible[j]] * MetricColor.SquaredDistance(histogram.Colors[visible[j]], entry);
        }

        Palette one = PaletteBuilder.Build(histogram, k, QuantizeColorSpace.Rgb, KMeansAlgorithm.Auto, 300, 1e-4, Seed, null, null, 1, 0, Ct);
        Palette all = PaletteBuilder.Build(histogram, k, QuantizeColorSpace.Rgb, KMeansAlgorithm.Auto, 300, 1e-4, Seed, null, cancellationToken: Ct);
        Assert.True(Error(histogram, one) <= reference * (1 + 1e-9), $"one seeding: {Error(histogram, one)} against {reference}");
        Assert.True(Error(histogram, all) <= Error(histogram, one));
    }

    [Theory]
    [InlineData(16)]
    [InlineData(64)]
    public void Entries_round_trip_transparent_stays_transparent_and_each_colour_takes_its_nearest_entry(int k)
    {
        RgbaImage image = Screenshot(4, 240, 200, 3, 120);
        ColorHistogram histogram = ColorHistogram.Build(image.Pixels, cancellationToken: Ct);
        Palette p = PaletteBuilder.Build(histogram, k, QuantizeColorSpace.Rgb, KMeansAlgorithm.Auto, 300, 1e-4, 5, null, cancellationToken: Ct);
        Assert.Equal(k, p.Entries.Length);
        Assert.Equal(0, p.Entries[p.ColorToEntry[histogram.TransparentIndex]].A);
        Assert.Contains(p.Entries, e => e.A is > 0 and < 255); // the shadows got translucent entries
        foreach (Rgba32 e in p.Entries)
        {
            MetricColor.ToMetric(e, out float r, out float g, out float b, out float a);
            Assert.Equal(e, MetricColor.FromMetric(r, g, b, a));
        }
        for (int i = 0; i < histogram.Count; i++)
        {
            double chosen = MetricColor.SquaredDistance(histogram.Colors[i], p.Entries[p.ColorToEntry[i]]);
            foreach (Rgba32 e in p.Entries)
                Assert.True(chosen <= MetricColor.SquaredDistance(histogram.Colors[i], e) * (1 + 1e-5) + 1e-3);
        }
    }

    [Fact]
    public void A_small_histogram_gets_more_seedings_and_they_only_lower_the_error_deterministically()
    {
        RgbaImage image = Screenshot(6, 240, 200, 3, 120);
        ColorHistogram histogram = ColorHistogram.Build(image.Pixels, cancellationToken: Ct);
        Assert.True(PaletteBuilder.SeedingsFor(histogram.Count, 15) > PaletteBuilder.Seedings);
        Palette Fit(int? seedings) => PaletteBuilder.Build(histogram, 16, QuantizeColorSpace.Rgb, KMeansAlgorithm.Auto, 300, 1e-4, 11, null, null, seedings, 0, Ct);
        Palette four = Fit(PaletteBuilder.Seedings);
        Palette more = Fit(null);
        Assert.True(Error(histogram, more) <= Error(histogram, four));
        Palette again = Fit(null);
        Assert.Equal(more.Entries, again.Entries);
        Assert.Equal(more.ColorToEntry, again.ColorToEntry);
    }
}
