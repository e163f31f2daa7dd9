using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Histograms;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Histograms;

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
        Assert.Equal([0, 1, 0, 0, 2], histogram.PixelColorIndex!);
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

    /// <summary>Many colours with runs, repeats far apart and transparent pixels of several RGB values.</summary>
    private static Rgba32[] Mixed(int n, int seed)
    {
        var random = new Random(seed);
        var pixels = new Rgba32[n];
        for (int i = 0; i < n; i++)
        {
            pixels[i] = (i % 7) switch
            {
                0 => new Rgba32((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), 0),
                1 or 2 when i > 0 => pixels[i - 1],
                3 => pixels[random.Next(Math.Max(1, i))],
                _ => new Rgba32((byte)random.Next(64), (byte)random.Next(64), (byte)random.Next(8), (byte)(255 - random.Next(2) * 100)),
            };
        }
        return pixels;
    }

    private static void AssertSame(ColorHistogram expected, ColorHistogram actual)
    {
        Assert.Equal(expected.Colors, actual.Colors);
        Assert.Equal(expected.Counts, actual.Counts);
        Assert.Equal(expected.PixelColorIndex, actual.PixelColorIndex);
        Assert.Equal(expected.TransparentIndex, actual.TransparentIndex);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    public void Parallel_parts_merge_to_exactly_the_serial_histogram(int threads)
    {
        // 1.1 M pixels: enough for several parts of at least 2^18 pixels.
        Rgba32[] pixels = Mixed(1_100_000, threads);
        ColorHistogram serial = ColorHistogram.Build(pixels.AsSpan(), true, TestContext.Current.CancellationToken);
        ColorHistogram parallel = ColorHistogram.Build(pixels, true, threads, TestContext.Current.CancellationToken);
        AssertSame(serial, parallel);

        ColorHistogram hashed = ColorHistogram.Build(pixels, false, threads, TestContext.Current.CancellationToken);
        Assert.Equal(serial.Colors, hashed.Colors);
        int[] toEntry = Enumerable.Range(0, serial.Count).Select(i => i % 256).ToArray();
        var a = new byte[pixels.Length];
        var b = new byte[pixels.Length];
        serial.MapPixels(pixels, toEntry, a, TestContext.Current.CancellationToken);
        hashed.MapPixels(pixels, toEntry, b, TestContext.Current.CancellationToken);
        Assert.Equal(a, b);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 7)]
    [InlineData(2, 65_536)]
    [InlineData(4, 300_001)]
    public async Task Counting_while_pixels_arrive_gives_the_serial_histogram(int threads, int step)
    {
        Rgba32[] source = Mixed(700_000, step);
        ColorHistogram serial = ColorHistogram.Build(source.AsSpan(), true, TestContext.Current.CancellationToken);

        // A producer copies the pixels in over time and publishes how many are final, as a decoder does.
        var pixels = new Rgba32[source.Length];
        using var arrival = new PixelArrival(pixels.Length);
        Task producer = Task.Run(() =>
        {
            for (int done = 0; done < pixels.Length;)
            {
                int next = Math.Min(pixels.Length, done + (step == 1 ? 1 + done % 5000 : step));
                source.AsSpan(done, next - done).CopyTo(pixels.AsSpan(done));
                done = next;
                if (done < pixels.Length) arrival.Publish(done);
            }
            arrival.Complete(true);
        }, TestContext.Current.CancellationToken);
        ColorHistogram? streamed = ColorHistogram.Build(pixels, true, threads, arrival, TestContext.Current.CancellationToken);
        await producer;
        Assert.NotNull(streamed);
        AssertSame(serial, streamed);
    }

    [Fact]
    public async Task Counting_stops_with_null_when_the_decoder_fails()
    {
        var pixels = Mixed(10_000, 3);
        using var arrival = new PixelArrival(pixels.Length);
        arrival.Publish(5_000);
        Task producer = Task.Run(() => arrival.Complete(false), TestContext.Current.CancellationToken);
        Assert.Null(ColorHistogram.Build(pixels, true, 2, arrival, TestContext.Current.CancellationToken));
        await producer;
    }
}
