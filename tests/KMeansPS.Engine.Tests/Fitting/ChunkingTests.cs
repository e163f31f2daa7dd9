using KMeansPS.Engine.Fitting;
using Xunit;

namespace KMeansPS.Engine.Tests.Fitting;

public class ChunkingTests
{
    [Theory]
    [InlineData(4_096_000, 256, 4)]
    [InlineData(4_096_000, 64, 3)]
    [InlineData(1, 1, 1)]
    [InlineData(100_000, 1000, 7)]
    public void OrdinaryFitsKeepTheBaseChunkSize(int n, int k, int dims) =>
        Assert.Equal(ChunkScheduler.BaseChunkSize, ChunkScheduler.ChunkSizeFor(n, k, dims));

    [Theory]
    [InlineData(10_000_000, 4096, 16)]
    [InlineData(50_000_000, 1024, 64)]
    [InlineData(2_000_000, 100_000, 3)]
    public void HugeKTimesDGrowsTheChunksUntilThePartialSumsFit(int n, int k, int dims)
    {
        int size = ChunkScheduler.ChunkSizeFor(n, k, dims);
        Assert.True(size > ChunkScheduler.BaseChunkSize);
        Assert.Equal(0, size % ChunkScheduler.BaseChunkSize);
        Assert.True((long)ChunkScheduler.ChunkCount(n, size) * k * (dims + 1) <= 1L << 25 || size >= n, $"size {size}");
        // The smallest such size: half of it would not fit.
        Assert.True((long)ChunkScheduler.ChunkCount(n, size / 2) * k * (dims + 1) > 1L << 25);
    }

    [Fact]
    public void OneChunkIsTheLimitWhenEvenThatDoesNotFit()
    {
        int size = ChunkScheduler.ChunkSizeFor(5000, 10_000_000, 100);
        Assert.True(size >= 5000);
        Assert.Equal(1, ChunkScheduler.ChunkCount(5000, size));
    }
}
