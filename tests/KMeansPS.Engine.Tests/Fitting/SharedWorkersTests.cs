using KMeansPS.Engine.Fitting;
using KMeansPS.Engine.Kernels;
using Xunit;

namespace KMeansPS.Engine.Tests.Fitting;

/// <summary>
/// Fits side by side share their workers: a pass takes the workers divided among the fits not yet done, capped by the
/// fit's degree, and a fit whose share grows part way gives the bits of a fit on one thread.
/// </summary>
public class SharedWorkersTests
{
    [Theory]
    [InlineData(2, 4, new[] { 1, 1, 1, 2, 2 })]     // a palette's four seedings on two cores
    [InlineData(8, 3, new[] { 3, 4, 8, 8 })]       // rounded up: 3 + 3 + 3 threads on 8 cores rather than one idle
    [InlineData(3, 2, new[] { 2, 3, 3 })]
    [InlineData(4, 9, new[] { 1, 1, 1, 1, 1, 1, 2, 2, 4, 4 })]
    [InlineData(1, 2, new[] { 1, 1, 1 })]
    public void EachPassTakesTheWorkersDividedAmongTheFitsNotDone(int workers, int fits, int[] afterEachDone)
    {
        var shared = new SharedWorkers(workers, fits);
        for (int done = 0; done < afterEachDone.Length; done++)
        {
            Assert.True(afterEachDone[done] == shared.PerFit, $"{done} done: {shared.PerFit} workers a pass, expected {afterEachDone[done]}");
            shared.Done();
        }
    }

    [Fact]
    public void AWorkspaceTakesItsShareUpToItsOwnDegree()
    {
        float[] data = FitTestData.Colours(10_000, 3);
        PointSet points = PointSet.FromRows(data, 3, [], 1, TestContext.Current.CancellationToken);
        var shared = new SharedWorkers(8, 4);
        var ws = new FitWorkspace(points, 16, KernelSet.Create(null), 3, TestContext.Current.CancellationToken, shared);
        var alone = new FitWorkspace(points, 16, KernelSet.Create(null), 3, TestContext.Current.CancellationToken);
        Assert.Equal(3, alone.Workers);
        Assert.Equal(2, ws.Workers); // 8 / 4
        shared.Done();
        Assert.Equal(3, ws.Workers); // 8 / 3 rounded up
        shared.Done();
        Assert.Equal(3, ws.Workers); // 8 / 2, capped by the degree
        Assert.Equal(3, ws.Degree);
        ws.ReturnBuffers();
        alone.ReturnBuffers();
    }

    public static TheoryData<KMeansAlgorithm, int, bool?, int> Fits() => new()
    {
        // algorithm, K, neighbour walk, the report after which the third fit is done
        { KMeansAlgorithm.Lloyd, 16, null, 3 },
        { KMeansAlgorithm.Hamerly, 64, false, 3 },
        { KMeansAlgorithm.Hamerly, 64, true, 3 },  // the kept neighbour rows, whose row ranges are shared between workers
        { KMeansAlgorithm.Auto, 48, null, 3 },
        { KMeansAlgorithm.MiniBatch, 16, null, 1 }, // a report every 5 batches of 16,384 here; its labelling at the end takes the grown share
    };

    [Theory]
    [MemberData(nameof(Fits))]
    public async Task FitsWhoseShareGrowsPartWayGiveTheBitsOfOneThread(KMeansAlgorithm algorithm, int k, bool? walk, int reports)
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        // 24 chunks of 4,096: enough for every worker to take several in each pass.
        const int n = 96_000;
        float[] data = FitTestData.Colours(n, 21);
        float[] weights = FitTestData.Weights(n, 22);
        for (var isa = InstructionSet.Scalar; isa <= KMeans.BestInstructionSet; isa++)
        {
            // Two fits side by side on four shared workers, and three more "fits" that are done at one of the first's
            // reports; the first is done at its end. Each pass takes 1 worker, then 2, and the second fit's last passes
            // typically 4 (when is timing). The second goes through PreparedFit, as a palette's seedings do.
            var shared = new SharedWorkers(4, 5);
            KMeansOptions Options(ulong seed, int degree, SharedWorkers? share, IProgress<KMeansProgress>? progress) => new()
            {
                K = k, Algorithm = algorithm, Seed = seed, MaxDegreeOfParallelism = degree, SharedWorkers = share,
                MaxInstructionSet = isa, NeighbourWalk = walk, Progress = progress, Tolerance = 1e-5,
                DistinctRows = true, // the rows fitted as they are, as PreparedFit fits them
                BatchSize = 16_384,
            };
            var others = new DoneOnReport(shared, reports, times: 3);
            Task<KMeansResult> first = Task.Run(() =>
            {
                try { return KMeans.Fit(data, 3, weights, Options(1, 4, shared, others), ct); }
                finally { shared.Done(); }
            }, ct);
            using var prepared = new PreparedFit(data, n, 3, weights, k, 4, ct);
            Task<KMeansResult> second = Task.Run(() =>
            {
                try { return prepared.Fit(Options(2, 4, shared, null), ct); }
                finally { shared.Done(); }
            }, ct);
            KMeansResult[] sideBySide = await Task.WhenAll(first, second);
            Assert.True(others.Done, $"the first fit made {reports} reports");
            FitAssert.Identical(KMeans.Fit(data, 3, weights, Options(1, 1, null, null), ct), sideBySide[0], $"{isa}, {algorithm}, first");
            FitAssert.Identical(KMeans.Fit(data, 3, weights, Options(2, 1, null, null), ct), sideBySide[1], $"{isa}, {algorithm}, second");
            Assert.Equal(4, shared.PerFit);
        }
    }

    /// <summary>
    /// Calls <see cref="SharedWorkers.Done"/> <paramref name="times"/> times at the <paramref name="reports"/>-th report,
    /// synchronously.
    /// </summary>
    private sealed class DoneOnReport(SharedWorkers shared, int reports, int times) : IProgress<KMeansProgress>
    {
        private int _seen;

        internal bool Done => _seen >= reports;

        public void Report(KMeansProgress value)
        {
            if (++_seen != reports) return;
            for (int i = 0; i < times; i++) shared.Done();
        }
    }
}
