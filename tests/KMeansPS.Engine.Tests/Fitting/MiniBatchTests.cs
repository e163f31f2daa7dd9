using Xunit;

namespace KMeansPS.Engine.Tests.Fitting;

public class MiniBatchTests
{
    [Fact]
    public void MaxStepsBoundsTheRunAndIsReportedAsIterations()
    {
        var result = KMeans.Fit(FitTestData.Colours(20000, 5), 3, default,
            new KMeansOptions { K = 8, Algorithm = KMeansAlgorithm.MiniBatch, BatchSize = 256, MaxSteps = 7, Tolerance = 0, MaxNoImprovement = 1000 },
            TestContext.Current.CancellationToken);
        Assert.Equal(7, result.Iterations);
        Assert.False(result.Converged);
    }

    [Fact]
    public void NoImprovementStopsEarly()
    {
        // Tight blobs: the smoothed batch inertia stops improving quickly, long before the derived step cap.
        var result = KMeans.Fit(FitTestData.Blobs(50000, 2, 4, 3, spread: 0.01), 2, default,
            new KMeansOptions { K = 4, Algorithm = KMeansAlgorithm.MiniBatch, BatchSize = 100, Tolerance = 0, MaxNoImprovement = 5 },
            TestContext.Current.CancellationToken);
        Assert.True(result.Converged);
        Assert.True(result.Iterations < 300L * 50000 / 100, $"{result.Iterations} steps");
    }

    [Fact]
    public void ASubsetWithTooFewDistinctPointsFallsBackToTheFullDataForInit()
    {
        // 99 % of the points sit on one value, so a 3 x batch subset holds fewer than K distinct points;
        // the init must then run on all the data and the fit keep K (the data has 200 distinct values).
        // (Mini-batch reassignment may still park spare centres on the common value, as sklearn's does.)
        var data = new float[20000];
        for (int i = 0; i < data.Length; i += 100) data[i] = i;
        var result = KMeans.Fit(data, 1, default,
            new KMeansOptions { K = 20, Algorithm = KMeansAlgorithm.MiniBatch, BatchSize = 32, Seed = 4 },
            TestContext.Current.CancellationToken);
        Assert.Equal(20, result.K);
        Assert.Null(result.Warning);
        Assert.Equal(20, result.Centroids.Length);
        Assert.All(result.Centroids, c => Assert.InRange(c, 0f, 19900f));
        Assert.All(result.Labels, l => Assert.InRange(l, 0, 19));
    }

    [Fact]
    public void ABatchLargerThanTheDataDrawsTheDataSizePerStep()
    {
        // int.MaxValue once asked for gigabytes of batch buffers; it now means N points per step, as sklearn does.
        float[] data = FitTestData.Blobs(500, 2, 3, 8);
        KMeansResult Run(int batchSize) => KMeans.Fit(data, 2, default,
            new KMeansOptions { K = 3, Algorithm = KMeansAlgorithm.MiniBatch, BatchSize = batchSize, Seed = 6 },
            TestContext.Current.CancellationToken);
        KMeansResult huge = Run(int.MaxValue);
        FitAssert.Identical(Run(500), huge, "BatchSize int.MaxValue vs N");
    }
}
