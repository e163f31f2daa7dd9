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
    [InlineData(8, 3, new[] { 2, 4, 8, 8 })]
    [InlineData(4, 9, new[] { 1, 1, 1, 1, 1, 1, 1, 2, 4, 4 })]
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
        Assert.Equal(2, ws.Workers);
        shared.Done();
        Assert.Equal(2, ws.Workers); // 8 / 3
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
            var shared = new SharedWorkers(4, 3);
            KMeansOptions Options(ulong seed, int degree, SharedWorkers? share, IProgress<KMeansProgress>? progress) => new()
            {
                K = k, Algorithm = algorithm, Seed = seed, MaxDegreeOfParallelism = degree, SharedWorkers = share,
                MaxInstructionSet = isa, NeighbourWalk = walk, Progress = progress, Tolerance = 1e-5,
            };
            // Two fits side by side on the shared workers; a third "fit" is done at one of the first's reports, the
            // first after its own end, so the second's share goes 1 -> 2 -> 4 while it runs.
            var third = new DoneOnReport(shared, reports);
            Task<KMeansResult> first = Task.Run(() =>
            {
                try { return KMeans.Fit(data, 3, weights, Options(1, 4, shared, third), ct); }
                finally { shared.Done(); }
            }, ct);
            Task<KMeansResult> second = Task.Run(() =>
            {
                try { return KMeans.Fit(data, 3, weights, Options(2, 4, shared, null), ct); }
                finally { shared.Done(); }
            }, ct);
            KMeansResult[] sideBySide = await Task.WhenAll(first, second);
            Assert.True(third.Done, $"the first fit made {reports} reports");
            FitAssert.Identical(KMeans.Fit(data, 3, weights, Options(1, 1, null, null), ct), sideBySide[0], $"{isa}, {algorithm}, first");
            FitAssert.Identical(KMeans.Fit(data, 3, weights, Options(2, 1, null, null), ct), sideBySide[1], $"{isa}, {algorithm}, second");
            Assert.Equal(4, shared.PerFit);
        }
    }

    /// <summary>Calls <see cref="SharedWorkers.Done"/> once, at the <paramref name="reports"/>-th report, synchronously.</summary>
    private sealed class DoneOnReport(SharedWorkers shared, int reports) : IProgress<KMeansProgress>
    {
        private int _seen;

        internal bool Done => _seen >= reports;

        public void Report(KMeansProgress value)
        {
            if (++_seen == reports) shared.Done();
        }
    }
}
