using Xunit;

namespace KMeansPS.Engine.Tests.Fitting;

public class KnownOptimaTests
{
    [Fact]
    public void OneDimensionalPairsSplitAtTheGap()
    {
        // Two groups on a line: {0, 1, 2} and {10, 11, 12}. The optimum is their means, inertia 4.
        float[] data = [0, 1, 2, 10, 11, 12];
        var result = KMeans.Fit(data, 1, default, new KMeansOptions { K = 2, Seed = 3 }, TestContext.Current.CancellationToken);
        float[] centres = [.. result.Centroids.Order()];
        Assert.Equal([1f, 11f], centres);
        Assert.Equal(4.0, result.Inertia);
        Assert.True(result.Converged);
        Assert.Equal(result.Labels[0], result.Labels[2]);
        Assert.Equal(result.Labels[3], result.Labels[5]);
        Assert.NotEqual(result.Labels[0], result.Labels[3]);
    }

    [Theory]
    [InlineData(KMeansAlgorithm.Lloyd)]
    [InlineData(KMeansAlgorithm.Hamerly)]
    [InlineData(KMeansAlgorithm.Auto)]
    public void WellSeparatedBlobsAreFoundExactly(KMeansAlgorithm algorithm)
    {
        var data = FourBlobs();
        var result = KMeans.Fit(data, 2, default, new KMeansOptions { K = 4, Seed = 11, Algorithm = algorithm, BatchSize = 256 }, TestContext.Current.CancellationToken);
        var found = Enumerable.Range(0, 4).Select(k => (result.Centroids[2 * k], result.Centroids[2 * k + 1])).Order().ToArray();
        Assert.Equal([(0f, 0f), (0f, 100f), (100f, 0f), (100f, 100f)], found);
        Assert.Equal(50 * 4 * 5.0, result.Inertia, 9); // per blob: 1 + 1 + 1 + 1 + 0.5 + 0.5
        Assert.True(result.Converged);
    }

    [Fact]
    public void MiniBatchFindsWellSeparatedBlobsApproximately()
    {
        // Mini-batch centres are running means of sampled points: near, not exactly at, the blob centres.
        // The final labelling pass still splits the blobs exactly.
        var data = FourBlobs();
        var result = KMeans.Fit(data, 2, default, new KMeansOptions { K = 4, Seed = 11, Algorithm = KMeansAlgorithm.MiniBatch, BatchSize = 256 },
            TestContext.Current.CancellationToken);
        var found = Enumerable.Range(0, 4).Select(k => (X: result.Centroids[2 * k], Y: result.Centroids[2 * k + 1])).OrderBy(c => c.X > 50).ThenBy(c => c.Y > 50).ToArray();
        (float X, float Y)[] truth = [(0, 0), (0, 100), (100, 0), (100, 100)];
        for (int c = 0; c < 4; c++)
        {
            Assert.InRange(found[c].X, truth[c].X - 0.5f, truth[c].X + 0.5f);
            Assert.InRange(found[c].Y, truth[c].Y - 0.5f, truth[c].Y + 0.5f);
        }
        for (int i = 0; i < data.Length / 2; i++) Assert.Equal(result.Labels[i % 24 / 6 * 6], result.Labels[i]); // point i is in blob (i mod 24) / 6
        Assert.InRange(result.Inertia, 1000.0, 1000.0 + 1200 * 0.5);
    }

    /// <summary>Four tight blobs, symmetric offsets around known centres: each optimum centre is exactly the blob centre.</summary>
    private static float[] FourBlobs()
    {
        float[][] centres = [[0, 0], [100, 0], [0, 100], [100, 100]];
        float[][] offsets = [[1, 0], [-1, 0], [0, 1], [0, -1], [0.5f, 0.5f], [-0.5f, -0.5f]];
        var data = new List<float>();
        for (int r = 0; r < 50; r++)
            foreach (var c in centres)
                foreach (var o in offsets)
                {
                    data.Add(c[0] + o[0]);
                    data.Add(c[1] + o[1]);
                }
        return data.ToArray();
    }

    [Theory]
    [InlineData(KMeansAlgorithm.Lloyd)]
    [InlineData(KMeansAlgorithm.Hamerly)]
    public void ConvergedCentresAreTheWeightedMeansOfTheirPoints(KMeansAlgorithm algorithm)
    {
        // With tolerance 0 the fit stops only when no label changes, so each centre must be the weighted
        // mean of the points labelled to it. An independent double-precision mean catches any stale or
        // misattributed partial sum (the engine reuses the sums of chunks whose labels did not change).
        const int n = 30011;
        float[] data = FitTestData.Colours(n, 31);
        float[] weights = FitTestData.Weights(n, 32);
        var result = KMeans.Fit(data, 3, weights, new KMeansOptions { K = 12, Seed = 6, Tolerance = 0, Algorithm = algorithm },
            TestContext.Current.CancellationToken);
        Assert.True(result.Converged);
        Assert.True(result.Iterations < 300);
        var sums = new double[12 * 3];
        var mass = new double[12];
        for (int i = 0; i < n; i++)
        {
            int c = result.Labels[i];
            mass[c] += weights[i];
            for (int d = 0; d < 3; d++) sums[c * 3 + d] += (double)weights[i] * data[i * 3 + d];
        }
        for (int c = 0; c < 12; c++)
        {
            Assert.True(mass[c] > 0, $"cluster {c} is empty");
            for (int d = 0; d < 3; d++)
            {
                double mean = sums[c * 3 + d] / mass[c];
                Assert.True(Math.Abs(result.Centroids[c * 3 + d] - mean) <= 1e-5 * (1 + Math.Abs(mean)), $"centre {c}.{d}: {result.Centroids[c * 3 + d]} vs {mean}");
            }
        }
    }
}
