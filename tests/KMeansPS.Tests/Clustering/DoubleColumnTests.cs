using KMeansPS.Input;
using Xunit;

namespace KMeansPS.Tests.Clustering;

public sealed class DoubleColumnTests
{
    [Fact]
    public void HoldsValuesAcrossBlocksAndCompactsInPlace()
    {
        var column = new DoubleColumn();
        const int n = 40000; // three blocks of 16,384
        for (int i = 0; i < n; i++) column.Add(i);
        Assert.Equal(n, column.Count);
        Assert.Equal(20000.0, column[20000]);
        var keep = Enumerable.Range(0, n).Select(i => i % 3 == 0).ToArray();
        column.Compact(keep);
        Assert.Equal((n + 2) / 3, column.Count);
        for (int i = 0; i < column.Count; i++) Assert.Equal(3.0 * i, column[i]);
        column.Add(-1);
        Assert.Equal(-1.0, column[column.Count - 1]);
    }

    [Fact]
    public void TakesOneColumnOfARowMajorMatrix()
    {
        const int n = 20000, dims = 3;
        double[] matrix = Enumerable.Range(0, n * dims).Select(i => (double)i).ToArray();
        var column = new DoubleColumn();
        column.Add(-1);
        column.AddStrided(matrix, 1, dims, n);
        Assert.Equal(n + 1, column.Count);
        Assert.Equal(-1.0, column[0]);
        for (int i = 0; i < n; i++) Assert.Equal(matrix[i * dims + 1], column[i + 1]);
        Assert.Equal(2, column.BlockCount);
        Assert.Equal(n + 1 - DoubleColumn.BlockLength, column.Block(1).Length);
    }
}
