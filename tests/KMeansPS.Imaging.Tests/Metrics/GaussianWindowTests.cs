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
    [InlineData(1001)]
    public void Column_filter_gives_the_same_bits_on_every_vector_width(int width)
    {
        double[][] rows = Enumerable.Range(0, GaussianWindow.Taps).Select(r => RandomRow(width, 100 + r)).ToArray();
        for (int oldest = 0; oldest < GaussianWindow.Taps; oldest += 4)
        {
            var scalar = new double[width];
            GaussianWindow.FilterColumn(rows, oldest, scalar, maxVectorBits: 0);
            foreach (int bits in new[] { 128, 256, 512 })
            {
                var vector = new double[width];
                GaussianWindow.FilterColumn(rows, oldest, vector, bits);
                Assert.Equal(scalar, vector);
            }
            // Column t of the ring, laid out as a row, filters to the same value as the row filter.
            var column = Enumerable.Range(0, GaussianWindow.Taps).Select(t => rows[(oldest + t) % GaussianWindow.Taps][0]).ToArray();
            var viaRow = new double[1];
            GaussianWindow.FilterRow(column, viaRow, maxVectorBits: 0);
            Assert.Equal(viaRow[0], scalar[0]);
        }
    }
}
