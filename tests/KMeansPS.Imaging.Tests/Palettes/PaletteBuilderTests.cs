using KMeansPS.Engine;
using KMeansPS.Imaging.ColorSpaces;
using KMeansPS.Imaging.Histograms;
using KMeansPS.Imaging.Palettes;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Palettes;

public class PaletteBuilderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Several_seedings_never_do_worse_than_the_first_and_stay_deterministic()
    {
        // A few hundred colours in clumps: local optima differ between seedings.
        var random = new Random(12);
        var pixels = new Rgba32[20_000];
        for (int i = 0; i < pixels.Length; i++)
        {
            int clump = random.Next(40);
            pixels[i] = new Rgba32((byte)(clump * 6 + random.Next(4)), (byte)(255 - clump * 5 + random.Next(3)), (byte)(clump * clump % 256), 255);
        }
        ColorHistogram histogram = ColorHistogram.Build(pixels, cancellationToken: Ct);
        Assert.Equal(PaletteBuilder.MaxSeedings, PaletteBuilder.SeedingsFor(histogram.Count, 16));

        Palette Fit(int? seedings) => PaletteBuilder.Build(histogram, 16, QuantizeColorSpace.Rgb, KMeansAlgorithm.Auto, 300, 1e-4, 77, null, null, seedings, 0, Ct);
        double Error(Palette p) => PaletteBuilder.TotalError(histogram.Colors, histogram.Counts, p.Entries, p.ColorToEntry);

        Palette one = Fit(1);
        Palette several = Fit(null);
        Assert.True(Error(several) <= Error(one));
        Assert.Equal(77UL, several.Seed);
        Palette again = Fit(null);
        Assert.Equal(several.Entries, again.Entries);
        Assert.Equal(several.ColorToEntry, again.ColorToEntry);
    }

    [Theory]
    [InlineData(255)]
    [InlineData(180)]
    public void Seedings_side_by_side_give_the_palette_of_seedings_one_after_another(byte alpha)
    {
        var random = new Random(8);
        var pixels = new Rgba32[30_000];
        for (int i = 0; i < pixels.Length; i++)
        {
            int clump = random.Next(60);
            pixels[i] = new Rgba32((byte)(clump * 4 + random.Next(6)), (byte)(clump * 37 % 256 + random.Next(4)), (byte)random.Next(256), i % 3 == 0 ? alpha : (byte)255);
        }
        ColorHistogram histogram = ColorHistogram.Build(pixels, cancellationToken: Ct);
        Assert.True(PaletteBuilder.SeedingsFor(histogram.Count, 16) > 2);
        Palette Fit(int? threads) => PaletteBuilder.Build(histogram, 16, QuantizeColorSpace.Rgb, KMeansAlgorithm.Auto, 300, 1e-4, 21, threads, null, null, null, Ct);

        Palette oneThread = Fit(1);   // one after another, each fit on one thread
        foreach (int threads in new[] { 2, 3, 8 })
        {
            Palette sideBySide = Fit(threads);
            Assert.Equal(oneThread.Entries, sideBySide.Entries);
            Assert.Equal(oneThread.ColorToEntry, sideBySide.ColorToEntry);
            Assert.Equal(oneThread.Iterations, sideBySide.Iterations);
        }
    }

    [Theory]
    [InlineData(255, 2)]  // opaque: D = 3, a few seedings
    [InlineData(200, 1)]  // translucent: D = 4, the transparent slot, one seeding
    public void A_palette_is_the_same_whatever_its_rented_buffers_held(byte alpha, int seedings)
    {
        // More colours than the cache's smallest buffer of ints, so the fit's labels, the nearest-entry labels and the
        // colour-to-entry maps are rented from LargeBufferCache, which is first filled with garbage of those lengths.
        var random = new Random(31);
        var pixels = new Rgba32[60_000];
        for (int i = 0; i < pixels.Length; i++)
            pixels[i] = i % 97 == 0 ? default : new Rgba32((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), alpha);
        ColorHistogram histogram = ColorHistogram.Build(pixels, cancellationToken: Ct);
        Assert.True(histogram.Count > KMeansPS.Engine.Memory.LargeBufferCache.MinBytes / 4);
        Palette Fit() => PaletteBuilder.Build(histogram, 32, QuantizeColorSpace.Rgb, KMeansAlgorithm.Auto, 300, 1e-4, 5, null, null, seedings, null, Ct);
        Palette first = Fit();

        int visible = histogram.Colors.Count(c => c.A != 0);
        foreach (int length in new[] { histogram.Count, visible })
        {
            int[][] poison = [KMeansPS.Engine.Memory.LargeBufferCache.Rent<int>(length), KMeansPS.Engine.Memory.LargeBufferCache.Rent<int>(length),
                KMeansPS.Engine.Memory.LargeBufferCache.Rent<int>(length)];
            foreach (int[] p in poison) { Array.Fill(p, int.MinValue); KMeansPS.Engine.Memory.LargeBufferCache.Return(p); }
        }
        Palette again = Fit();
        Assert.Equal(first.Entries, again.Entries);
        Assert.Equal(first.ColorToEntry, again.ColorToEntry);
    }

    [Theory]
    [InlineData(255, 1)]
    [InlineData(0, 1)]
    [InlineData(255, 40)]
    [InlineData(0, 40)]
    public void The_refinement_s_one_pass_gives_TotalError_s_bits_and_each_entry_s_sums(byte opaqueOrMixed, int longestRun)
    {
        // longestRun = 1: every colour draws its entry; 40: runs of 1-40 neighbouring colours share one (as a fit's
        // mapping of a sorted histogram does), the case where the pass keeps an entry's sums in locals.
        // opaqueOrMixed = 0: alpha varies, with fully transparent pixels (the reserved entry) and fractional metric values.
        var random = new Random(77);
        var pixels = new Rgba32[20_000];
        for (int i = 0; i < pixels.Length; i++)
        {
            byte alpha = opaqueOrMixed == 255 ? (byte)255 : (byte)(i % 11 == 0 ? 0 : random.Next(1, 256));
            pixels[i] = new Rgba32((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), alpha);
        }
        ColorHistogram histogram = ColorHistogram.Build(pixels, cancellationToken: Ct);
        int transparent = histogram.TransparentIndex;
        var palette = new Rgba32[16];
        for (int e = 0; e < palette.Length; e++)
            palette[e] = e == 0 && transparent >= 0 ? default : new Rgba32((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256),
                opaqueOrMixed == 255 ? (byte)255 : (byte)random.Next(1, 256));
        int first = transparent >= 0 ? 1 : 0;
        var map = new int[histogram.Count];
        for (int i = 0, left = 0, entry = first; i < map.Length; i++, left--)
        {
            if (left == 0) (entry, left) = (random.Next(first, palette.Length), random.Next(1, longestRun + 1));
            map[i] = i == transparent ? 0 : entry;
        }

        // The pass adds to what the arrays hold.
        var sums = new double[palette.Length * 4];
        var weight = new double[palette.Length];
        for (int j = 0; j < sums.Length; j++) sums[j] = random.NextDouble() * 1e6;
        for (int e = 0; e < weight.Length; e++) weight[e] = random.Next(1000);
        var expectedSums = (double[])sums.Clone();
        var expectedWeight = (double[])weight.Clone();
        double total = PaletteBuilder.ErrorAndSums(histogram.Colors, histogram.Counts, transparent, palette, map, sums, weight);

        Assert.Equal(PaletteBuilder.TotalError(histogram.Colors, histogram.Counts, palette, map), total); // bit for bit
        for (int i = 0; i < histogram.Count; i++)
        {
            if (i == transparent) continue;
            MetricColor.ToMetric(histogram.Colors[i], out float r, out float g, out float b, out float a);
            double w = histogram.Counts[i];
            int e = map[i];
            expectedSums[4 * e] += w * r; expectedSums[4 * e + 1] += w * g; expectedSums[4 * e + 2] += w * b; expectedSums[4 * e + 3] += w * a;
            expectedWeight[e] += w;
        }
        Assert.Equal(expectedSums, sums);
        Assert.Equal(expectedWeight, weight);
        if (transparent >= 0) Assert.Equal(expectedWeight[0], weight[0]); // the transparent colour adds to no entry's mean
    }

    [Fact]
    public void Each_colour_maps_to_its_nearest_entry_and_entries_are_8_bit_rounded_centres()
    {
        RgbaImage image = Fixtures.WithTransparency(40, 40);
        ColorHistogram histogram = ColorHistogram.Build(image.Pixels, cancellationToken: Ct);
        Palette p = PaletteBuilder.Build(histogram, 10, QuantizeColorSpace.Rgb, KMeansAlgorithm.Auto, 300, 1e-4, 3, null, cancellationToken: Ct);
        Assert.Equal(10, p.Entries.Length);
        Assert.Equal(default, p.Entries[0]); // reserved transparent entry
        Assert.Equal(0, p.ColorToEntry[histogram.TransparentIndex]);
        var search = new NearestPaletteSearch(p.Entries);
        for (int i = 0; i < histogram.Count; i++)
        {
            if (i == histogram.TransparentIndex) continue;
            MetricColor.ToMetric(histogram.Colors[i], out float r, out float g, out float b, out float a);
            MetricColor.ToMetric(p.Entries[p.ColorToEntry[i]], out float er, out float eg, out float eb, out float ea);
            MetricColor.ToMetric(p.Entries[search.Nearest(histogram.Colors[i])], out float nr, out float ng, out float nb, out float na);
            float chosen = (er - r) * (er - r) + (eg - g) * (eg - g) + (eb - b) * (eb - b) + (ea - a) * (ea - a);
            float nearest = (nr - r) * (nr - r) + (ng - g) * (ng - g) + (nb - b) * (nb - b) + (na - a) * (na - a);
            Assert.True(chosen <= nearest * (1 + 1e-5f) + 1e-3f);
        }
    }

    [Theory]
    [InlineData(348, 64, 16)]         // a screenshot
    [InlineData(1_339, 15, 16)]       // a GUI screenshot with soft shadows
    [InlineData(1_660, 255, 9)]
    [InlineData(4_100, 255, 4)]
    [InlineData(241_316, 16, 4)]      // a photo at small K
    [InlineData(65_517, 63, 4)]       // a large logo with transparency
    [InlineData(96_615, 64, 2)]       // a photo at K = 64
    [InlineData(241_316, 256, 1)]
    public void SeedingsShrinkAsTheHistogramGrows(long colors, int clusters, int expected)
    {
        Assert.Equal(expected, PaletteBuilder.SeedingsFor(colors, clusters));
    }
}
