using KMeansPS.Imaging.Metrics;

namespace KMeansPS.Imaging.Tests.Metrics;

public class GaussianWindowTests
{
    private static double[] RandomRow(int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => random.NextDouble() * 65025).ToArray();
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(26)]
    [InlineData(27)]
    [InlineData(100)]
    [InlineData(1931)]
    public void Row_filter_gives_the_same_bits_on_every_vector_width(int width)
    {
        double[] source = RandomRow(width, width);
        int outWidth = width - GaussianWindow.Taps + 1;
        var scalar = new double[outWidth];
        GaussianWindow.FilterRow(source, scalar, maxVectorBits: 0);
        foreach (int bits in new[] { 128, 256, 512 })
        {
            var vector = new double[outWidth];
            GaussianWindow.FilterRow(source, vector, bits);
            Assert.Equal(scalar, vector);
        }
        // And it is the window's weighted sum, to double rounding.
        double expected = 0;
        for (int t = 0; t < GaussianWindow.Taps; t++)
            expected += source[t] * Math.Exp(-(t - 5) * (t - 5) / (2 * 1.5 * 1.5));
        double norm = Enumerable.Range(0, GaussianWindow.Taps).Sum(t => Math.Exp(-(t - 5) * (t - 5) / (2 * 1.5 * 1.5)));
        Assert.Equal(expected / norm, scalar[0], 65025 * 1e-14);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(37)]
    [InlineData(GaussianWindow.RingStride)]
    public void Column_filter_gives_the_same_bits_on_every_vector_width(int width)
    {
        double[][] rows = Enumerable.Range(0, GaussianWindow.Taps).Select(r => RandomRow(width, 100 + r)).ToArray();
        for (int oldest = 0; oldest < GaussianWindow.Taps; oldest += 4)
        {
            // Slot (oldest + t) mod 11 holds row t, so the filter must read them from the oldest on, across the end.
            var ring = new double[GaussianWindow.RingLength];
            for (int t = 0; t < GaussianWindow.Taps; t++) GaussianWindow.StoreRingRow(rows[t], ring, (oldest + t) % GaussianWindow.Taps);
            var scalar = new double[width];
            GaussianWindow.FilterColumn(ring, oldest, scalar, maxVectorBits: 0);
            foreach (int bits in new[] { 128, 256, 512 })
            {
                var vector = new double[width];
                GaussianWindow.FilterColumn(ring, oldest, vector, bits);
                Assert.Equal(scalar, vector);
            }
            // Every column filters to the same value as the row filter gives that column laid out as a row.
            for (int i = 0; i < width; i++)
            {
                var column = Enumerable.Range(0, GaussianWindow.Taps).Select(t => rows[t][i]).ToArray();
                var viaRow = new double[1];
                GaussianWindow.FilterRow(column, viaRow, maxVectorBits: 0);
                Assert.Equal(viaRow[0], scalar[i]);
            }
        }
    }

    [Fact]
    public void A_row_filtered_into_the_ring_is_the_row_filter_in_its_slot_and_its_copy()
    {
        double[] source = RandomRow(GaussianWindow.RingStride + GaussianWindow.Taps - 1, 7);
        var expected = new double[GaussianWindow.RingStride];
        GaussianWindow.FilterRow(source, expected);
        var ring = new double[GaussianWindow.RingLength];
        GaussianWindow.FilterRowIntoRing(source, GaussianWindow.RingStride, ring, 3);
        Assert.Equal(expected, ring.AsSpan(3 * GaussianWindow.RingStride, GaussianWindow.RingStride).ToArray());
        Assert.Equal(expected, ring.AsSpan((3 + GaussianWindow.Taps) * GaussianWindow.RingStride, GaussianWindow.RingStride).ToArray());
    }
}
