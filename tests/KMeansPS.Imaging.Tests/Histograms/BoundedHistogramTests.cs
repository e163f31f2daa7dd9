using System.Runtime.InteropServices;
using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Histograms;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Histograms;

/// <summary>The colour histogram's bound: exact up to its limit, coarse cells of at most that many entries above it.</summary>
public class BoundedHistogramTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A noisy gradient with some transparent and half-transparent pixels: nearly every pixel its own colour.</summary>
    private static Rgba32[] Noisy(int n, int seed, bool alpha = true)
    {
        var random = new Random(seed);
        var pixels = new Rgba32[n];
        for (int i = 0; i < n; i++)
        {
            int t = (int)(255L * i / n);
            byte a = !alpha ? (byte)255 : (byte)((i % 97) switch { 0 => 0, < 10 => random.Next(1, 255), _ => 255 });
            pixels[i] = i % 5 == 1 ? pixels[i - 1]
                : new Rgba32((byte)Math.Clamp(t + random.Next(-40, 41), 0, 255), (byte)random.Next(256),
                    (byte)Math.Clamp(255 - t + random.Next(-40, 41), 0, 255), a);
        }
        return pixels;
    }

    private static int DistinctKeys(Rgba32[] pixels, int level)
    {
        uint mask = ColorCells.Mask(level);
        var keys = new HashSet<uint>();
        foreach (uint c in MemoryMarshal.Cast<Rgba32, uint>(pixels)) keys.Add(ColorCells.Key(ColorHistogram.Canonical(c), mask));
        return keys.Count;
    }

    private static void AssertSame(ColorHistogram expected, ColorHistogram actual)
    {
        Assert.Equal(expected.Level, actual.Level);
        Assert.Equal(expected.Colors, actual.Colors);
        Assert.Equal(expected.Counts, actual.Counts);
        Assert.Equal(expected.PixelColorIndex, actual.PixelColorIndex);
    }

    [Fact]
    public void The_limit_grows_with_the_image_and_never_depends_on_anything_else()
    {
        Assert.Equal(ColorHistogram.MinMaxEntries, ColorHistogram.MaxEntriesFor(1));
        Assert.Equal(ColorHistogram.MinMaxEntries, ColorHistogram.MaxEntriesFor(2560 * 1600));
        Assert.Equal(2_000_000, ColorHistogram.MaxEntriesFor(8000 * 8000));
        Assert.Equal(8_388_608, ColorHistogram.MaxEntriesFor(256L << 20));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void At_or_under_the_limit_the_histogram_is_exactly_the_unbounded_one(int threads)
    {
        Rgba32[] pixels = Noisy(600_000, 3);
        var unbounded = new ColorTable();
        var index = new int[pixels.Length];
        unbounded.Add(MemoryMarshal.Cast<Rgba32, uint>(pixels.AsSpan()), index, 0, Ct);
        ColorHistogram expected = unbounded.ToHistogram(index);
        int distinct = expected.Count;

        ColorHistogram atLimit = ColorHistogram.Build(pixels, true, threads, null, distinct, Ct)!;
        Assert.True(atLimit.IsExact);
        Assert.Equal(distinct, atLimit.DistinctColors);
        AssertSame(expected, atLimit);

        // One entry fewer and it is coarse, at level 1 or more.
        ColorHistogram under = ColorHistogram.Build(pixels, true, threads, null, distinct - 1, Ct)!;
        Assert.False(under.IsExact);
        Assert.Null(under.PixelColorIndex);
        Assert.Equal(distinct, under.DistinctColors); // the lower bound: the limit + 1
        Assert.Throws<InvalidOperationException>(() => under.MapPixels(pixels, new int[under.Count], new byte[pixels.Length], Ct));
    }

    [Theory]
    [InlineData(4_096)]
    [InlineData(50_000)]
    public void Above_the_limit_the_cells_are_the_finest_that_fit_and_hold_every_pixel(int maxEntries)
    {
        Rgba32[] pixels = Noisy(400_000, 11);
        ColorHistogram histogram = ColorHistogram.Build(pixels.AsSpan(), true, maxEntries, Ct);

        Assert.True(histogram.Level > 0);
        Assert.True(histogram.Count <= maxEntries);
        Assert.Equal(DistinctKeys(pixels, histogram.Level), histogram.Count);
        Assert.True(DistinctKeys(pixels, histogram.Level - 1) > maxEntries);
        Assert.Equal(pixels.Length, histogram.Counts.Sum());

        // Each cell: its pixels' count and the 8-bit colour nearest their premultiplied mean, in first-appearance order.
        uint mask = ColorCells.Mask(histogram.Level);
        var order = new List<uint>();
        var cells = new Dictionary<uint, (long[] Sums, int Count)>();
        foreach (uint c in MemoryMarshal.Cast<Rgba32, uint>(pixels))
        {
            uint color = ColorHistogram.Canonical(c), key = ColorCells.Key(color, mask);
            if (!cells.TryGetValue(key, out var cell)) { cell = (new long[4], 0); order.Add(key); }
            ColorCells.Add(cell.Sums, color, 1);
            cells[key] = (cell.Sums, cell.Count + 1);
        }
        for (int i = 0; i < order.Count; i++)
        {
            (long[] sums, int count) = cells[order[i]];
            Assert.Equal(count, histogram.Counts[i]);
            Assert.Equal(ColorCells.Mean(sums, count), histogram.Colors[i]);
        }
        int transparent = histogram.TransparentIndex;
        Assert.True(transparent >= 0);
        Assert.Equal(1, histogram.Colors.Count(c => c.A == 0));
    }

    [Fact]
    public void A_bounded_table_never_holds_more_than_its_limit_in_memory()
    {
        // 2 M nearly all-distinct colours into a table of 8,192 entries.
        var random = new Random(2);
        var pixels = new uint[2_000_000];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (uint)random.NextInt64(0, 1L << 32);
        const int limit = 8_192;
        var table = new ColorTable(limit, mayCoarsen: true);
        long most = 0;
        for (int start = 0; start < pixels.Length; start += 100_000)
        {
            Assert.Equal(100_000, table.Add(pixels.AsSpan(start, 100_000), null, 0, Ct));
            Assert.True(table.Count <= limit);
            most = Math.Max(most, table.AllocatedBytes);
        }
        // Colour, count (4 + 4), sums (32), slots at most half full (16), and the fixed 128 KiB cache of recent colours.
        Assert.True(most <= limit * (4 + 4 + 32 + 16) + (8 << 14), $"{most} bytes");
        Assert.True(table.Level >= 4);

        // A table that may not coarsen stops at its limit and says how far it got.
        var exact = new ColorTable(limit, mayCoarsen: false);
        int counted = exact.Add(pixels, null, 0, Ct);
        Assert.InRange(counted, limit, limit + 100);
        Assert.Equal(limit, exact.Count);
        Assert.Equal(0, exact.Level);
    }

    /// <summary>
    /// Noise whose first part has few colours, or many, and a later part many: the parallel build merges, or falls
    /// back to counting the rest in the first table, and coarsens at different moments, yet always gives the serial cells.
    /// </summary>
    [Theory]
    [InlineData(2, false)]
    [InlineData(3, false)]
    [InlineData(8, false)]
    [InlineData(2, true)]
    [InlineData(4, true)]
    public void Coarse_histograms_are_the_same_for_any_threads(int threads, bool quietStart)
    {
        Rgba32[] pixels = Noisy(1_200_000, threads);
        if (quietStart) Array.Fill(pixels, new Rgba32(1, 2, 3, 255), 0, 500_000);
        foreach (int limit in new[] { 20_000, 150_000, 300_000 })
        {
            ColorHistogram serial = ColorHistogram.Build(pixels.AsSpan(), false, limit, Ct);
            ColorHistogram parallel = ColorHistogram.Build(pixels, false, threads, null, limit, Ct)!;
            AssertSame(serial, parallel);
            ColorHistogram indexed = ColorHistogram.Build(pixels, true, threads, null, limit, Ct)!;
            Assert.Equal(serial.Colors, indexed.Colors);
            Assert.Equal(serial.IsExact, indexed.PixelColorIndex is not null);
        }
    }

    [Theory]
    [InlineData(2, 7_919)]
    [InlineData(3, 300_001)]
    public async Task Coarse_histograms_counted_while_pixels_arrive_are_the_serial_ones(int threads, int step)
    {
        Rgba32[] source = Noisy(900_000, step);
        const int limit = 30_000;
        ColorHistogram serial = ColorHistogram.Build(source.AsSpan(), false, limit, Ct);
        var pixels = new Rgba32[source.Length];
        using var arrival = new PixelArrival(pixels.Length);
        Task producer = Task.Run(() =>
        {
            for (int done = 0; done < pixels.Length;)
            {
                int next = Math.Min(pixels.Length, done + step);
                source.AsSpan(done, next - done).CopyTo(pixels.AsSpan(done));
                done = next;
                if (done < pixels.Length) arrival.Publish(done);
            }
            arrival.Complete(true);
        }, Ct);
        ColorHistogram? streamed = ColorHistogram.Build(pixels, true, threads, arrival, limit, Ct);
        await producer;
        Assert.NotNull(streamed);
        AssertSame(serial, streamed);
    }
}
