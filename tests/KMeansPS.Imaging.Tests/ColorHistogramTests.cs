using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests;

public class ColorHistogramTests
{
    [Fact]
    public void Counts_every_colour_and_labels_every_pixel()
    {
        RgbaImage image = Fixtures.Gradient(97, 61);
        ColorHistogram histogram = ColorHistogram.Build(image.Pixels, cancellationToken: TestContext.Current.CancellationToken);

        var expected = new Dictionary<Rgba32, int>();
        foreach (Rgba32 p in image.Pixels) expected[p] = expected.GetValueOrDefault(p) + 1;
        Assert.Equal(expected.Count, histogram.Count);
        Assert.Equal(image.Pixels.Length, histogram.Counts.Sum());
        for (int i = 0; i < histogram.Count; i++) Assert.Equal(expected[histogram.Colors[i]], histogram.Counts[i]);
        for (int p = 0; p < image.Pixels.Length; p++) Assert.Equal(image.Pixels[p], histogram.Colors[histogram.PixelColorIndex![p]]);
        // First-appearance order.
        Assert.Equal(image.Pixels[0], histogram.Colors[0]);
        Assert.Equal(-1, histogram.TransparentIndex);
    }

    [Fact]
    public void All_fully_transparent_pixels_are_one_colour()
    {
        var pixels = new Rgba32[] { new(1, 2, 3, 0), new(9, 9, 9, 255), new(200, 100, 0, 0), new(0, 0, 0, 0), new(9, 9, 9, 1) };
        ColorHistogram histogram = ColorHistogram.Build(pixels, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(3, histogram.Count);
        Assert.Equal(default, histogram.Colors[histogram.TransparentIndex]);
        Assert.Equal(3, histogram.Counts[histogram.TransparentIndex]);
        Assert.Equal(new[] { 0, 1, 0, 0, 2 }, histogram.PixelColorIndex);
    }

    [Fact]
    public void Grows_past_many_distinct_colours()
    {
        // 70,000 distinct colours forces several rehashes.
        var pixels = new Rgba32[70_000];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = new Rgba32((byte)i, (byte)(i >> 8), (byte)(i >> 16), 255);
        ColorHistogram histogram = ColorHistogram.Build(pixels, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(pixels.Length, histogram.Count);
        Assert.All(histogram.Counts, c => Assert.Equal(1, c));
        Assert.Equal(pixels, histogram.Colors);
    }

    [Fact]
    public void Mapping_by_hash_lookup_matches_mapping_by_stored_index()
    {
        RgbaImage image = Fixtures.WithTransparency(83, 41);
        ColorHistogram indexed = ColorHistogram.Build(image.Pixels, keepPixelIndex: true, TestContext.Current.CancellationToken);
        ColorHistogram hashed = ColorHistogram.Build(image.Pixels, keepPixelIndex: false, TestContext.Current.CancellationToken);
        Assert.Null(hashed.PixelColorIndex);
        Assert.Equal(indexed.Colors, hashed.Colors);
        int[] toEntry = Enumerable.Range(0, indexed.Count).Select(i => i % 251).ToArray();
        var a = new byte[image.Pixels.Length];
        var b = new byte[image.Pixels.Length];
        indexed.MapPixels(image.Pixels, toEntry, a, TestContext.Current.CancellationToken);
        hashed.MapPixels(image.Pixels, toEntry, b, TestContext.Current.CancellationToken);
        Assert.Equal(a, b);
        for (int p = 0; p < a.Length; p++) Assert.Equal(toEntry[indexed.PixelColorIndex![p]], a[p]);

        Rgba32[] foreign = [new Rgba32(1, 2, 3, 4)];
        var one = new byte[1];
        ColorHistogram small = ColorHistogram.Build([new Rgba32(9, 9, 9, 255)], keepPixelIndex: false, TestContext.Current.CancellationToken);
        Assert.Throws<ArgumentException>(() => small.MapPixels(foreign, [0], one, TestContext.Current.CancellationToken));
    }
}
