using KMeansPS.Engine.Fitting;
using KMeansPS.Engine.Kernels;
using KMeansPS.Engine.Random;
using Xunit;

namespace KMeansPS.Engine.Tests.Fitting;

/// <summary>
/// Planes lie an odd number of cache lines apart, never a multiple of 4 KiB, and the padded layout holds every
/// coordinate where the fit and the kernels read it (sizes that are powers of two, where the padding matters).
/// </summary>
public class PlaneStrideTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(1000)]
    [InlineData(1024)]
    [InlineData(4096)]
    [InlineData(65536)]
    [InlineData(1 << 20)]
    public void StrideIsAnOddNumberOfLinesAtLeastTheCount(int count)
    {
        int stride = PlaneStride.For(count);
        Assert.True(stride >= count);
        Assert.True(stride - count < 32, $"stride {stride} wastes more than two lines for {count}");
        Assert.Equal(0, stride % 16);
        Assert.Equal(1, stride / 16 % 2);
        Assert.NotEqual(0, stride * sizeof(float) % 4096);
    }

    [Theory]
    [InlineData(4096, 13)]
    [InlineData(1024, 37)]
    [InlineData(1000, 5)]
    public void PaddedPlanesHoldEveryCoordinateWhereTheKernelsReadIt(int count, int dims)
    {
        var rng = new DeterministicRandom((ulong)(count + dims));
        var rows = new float[count * dims];
        for (int i = 0; i < rows.Length; i++) rows[i] = (float)(rng.NextDouble() * 10 - 5);
        PointSet points = PointSet.FromRows(rows, dims, default, token: TestContext.Current.CancellationToken);
        Assert.Equal(PlaneStride.For(count), points.Stride);
        for (int i = 0; i < count; i += 7)
            for (int d = 0; d < dims; d++)
            {
                Assert.Equal(rows[i * dims + d], points.Coordinate(i, d));
                Assert.Equal(rows[i * dims + d], points.Planes[d * points.Stride + i]);
            }

        // The kernels over the padded planes label as they do over the rows one at a time.
        const int k = 9;
        var centres = new float[k * dims];
        for (int i = 0; i < centres.Length; i++) centres[i] = (float)(rng.NextDouble() * 10 - 5);
        var labels = new int[count];
        var distances = new float[count];
        KernelSet.Create(null).AssignNearest(points.Planes, points.Stride, count, dims, centres, k, labels, distances);
        var single = new float[dims];
        var one = new int[1];
        var oneDistance = new float[1];
        for (int i = 0; i < count; i += 11)
        {
            Array.Copy(rows, i * dims, single, 0, dims);
            ScalarKernels.AssignNearest(single, 1, 1, dims, centres, k, one, oneDistance);
            Assert.Equal(one[0], labels[i]);
            Assert.Equal(oneDistance[0], distances[i]);
        }
    }
}
