using Xunit;

namespace KMeansPS.Engine.Tests.Fitting;

public class CancellationAndProgressTests
{
    [Fact]
    public void AnAlreadyCancelledTokenThrows()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => KMeans.Fit(FitTestData.Blobs(100, 2, 2, 1), 2, default, new KMeansOptions { K = 2 }, cts.Token));
    }

    [Theory]
    [InlineData(KMeansAlgorithm.Lloyd)]
    [InlineData(KMeansAlgorithm.Hamerly)]
    [InlineData(KMeansAlgorithm.MiniBatch)]
    public void CancellingFromProgressStopsTheFit(KMeansAlgorithm algorithm)
    {
        // The token is cancelled on the first progress report; the fit must throw rather than finish.
        using var cts = new CancellationTokenSource();
        var progress = new SynchronousProgress(_ => cts.Cancel());
        var options = new KMeansOptions { K = 16, Algorithm = algorithm, Tolerance = 0, MaxIterations = 1000, BatchSize = 100, MaxNoImprovement = 1000, Progress = progress };
        Assert.ThrowsAny<OperationCanceledException>(() => KMeans.Fit(FitTestData.Colours(20000, 1), 3, default, options, cts.Token));
        Assert.Equal(1, progress.Count);
    }

    [Fact]
    public void CancellationInsideAPassIsSeenPerChunk()
    {
        // Cancel from another thread while a long pass runs: the fit ends with OperationCanceledException.
        using var cts = new CancellationTokenSource();
        float[] data = FitTestData.Colours(400000, 2);
        var options = new KMeansOptions { K = 256, Algorithm = KMeansAlgorithm.Lloyd, Tolerance = 0, MaxIterations = 300, MaxInstructionSet = InstructionSet.Scalar };
        cts.CancelAfter(200);
        Assert.ThrowsAny<OperationCanceledException>(() => KMeans.Fit(data, 3, default, options, cts.Token));
    }

    [Fact]
    public void ProgressReportsEveryIterationWithInertia()
    {
        var progress = new SynchronousProgress(_ => { });
        var result = KMeans.Fit(FitTestData.Colours(10000, 3), 3, default,
            new KMeansOptions { K = 8, Progress = progress, Algorithm = KMeansAlgorithm.Lloyd }, TestContext.Current.CancellationToken);
        Assert.Equal(result.Iterations, progress.Count);
        Assert.Equal(Enumerable.Range(1, result.Iterations), progress.Reports.Select(r => r.Iteration));
        Assert.All(progress.Reports, r => Assert.Equal(300, r.MaxIterations));
        // Lloyd never increases the inertia from one iteration to the next.
        for (int i = 1; i < progress.Reports.Count; i++) Assert.True(progress.Reports[i].Inertia <= progress.Reports[i - 1].Inertia * (1 + 1e-12));
        Assert.True(result.Inertia <= progress.Reports[^1].Inertia * (1 + 1e-12));
    }

    private sealed class SynchronousProgress(Action<KMeansProgress> onReport) : IProgress<KMeansProgress>
    {
        internal List<KMeansProgress> Reports { get; } = [];
        internal int Count => Reports.Count;

        public void Report(KMeansProgress value)
        {
            Reports.Add(value);
            onReport(value);
        }
    }
}
