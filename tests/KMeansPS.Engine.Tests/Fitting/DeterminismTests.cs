using Xunit;

namespace KMeansPS.Engine.Tests.Fitting;

/// <summary>
/// The determinism contract: the same input, options and seed give the same bits at every SIMD width,
/// for any thread count, and the exact bounded algorithm gives plain Lloyd's bits.
/// </summary>
public class DeterminismTests
{
    public static TheoryData<int, int, KMeansAlgorithm, KMeansInit, bool> Cases() => new()
    {
        { 3, 16, KMeansAlgorithm.Lloyd, KMeansInit.KMeansPlusPlus, false },
        { 3, 64, KMeansAlgorithm.Hamerly, KMeansInit.KMeansPlusPlus, true },
        { 4, 16, KMeansAlgorithm.Auto, KMeansInit.Random, false },
        { 2, 3, KMeansAlgorithm.Hamerly, KMeansInit.KMeansPlusPlus, true },
        { 1, 5, KMeansAlgorithm.Lloyd, KMeansInit.KMeansPlusPlus, true },
        { 5, 7, KMeansAlgorithm.Hamerly, KMeansInit.Random, false },
        { 7, 2, KMeansAlgorithm.MiniBatch, KMeansInit.KMeansPlusPlus, false },
        { 3, 256, KMeansAlgorithm.Auto, KMeansInit.KMeansPlusPlus, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryWidthGivesTheScalarBits(int dims, int k, KMeansAlgorithm algorithm, KMeansInit init, bool weighted)
    {
        const int n = 9000; // three chunks, the last one ragged
        float[] data = FitTestData.Blobs(n, dims, 6, seed: (ulong)(dims * 100 + k));
        float[] weights = weighted ? FitTestData.Weights(n, 5) : [];
        KMeansResult Run(InstructionSet isa) => KMeans.Fit(data, dims, weights,
            new KMeansOptions { K = k, Seed = 99, Algorithm = algorithm, Init = init, MaxInstructionSet = isa, BatchSize = 500 },
            TestContext.Current.CancellationToken);
        KMeansResult scalar = Run(InstructionSet.Scalar);
        Assert.Equal(InstructionSet.Scalar, scalar.InstructionSet);
        foreach (InstructionSet isa in Kernels.KernelWidths.FitCaps())
        {
            KMeansResult result = Run(isa);
            Assert.Equal(isa, result.InstructionSet);
            FitAssert.Identical(scalar, result, $"{isa} vs Scalar");
        }
    }

    [Theory]
    [InlineData(KMeansAlgorithm.Lloyd)]
    [InlineData(KMeansAlgorithm.Hamerly)]
    [InlineData(KMeansAlgorithm.MiniBatch)]
    public void ThreadCountDoesNotChangeTheBits(KMeansAlgorithm algorithm)
    {
        const int n = 30011;
        float[] data = FitTestData.Colours(n, seed: 8);
        float[] weights = FitTestData.Weights(n, 9);
        KMeansResult Run(int threads) => KMeans.Fit(data, 3, weights,
            new KMeansOptions { K = 24, Seed = 5, Algorithm = algorithm, MaxDegreeOfParallelism = threads },
            TestContext.Current.CancellationToken);
        KMeansResult one = Run(1);
        FitAssert.Identical(one, Run(2), "2 threads vs 1");
        FitAssert.Identical(one, Run(7), "7 threads vs 1");
    }

    [Theory]
    [InlineData(3, 16, 0UL)]
    [InlineData(3, 64, 1UL)]
    [InlineData(4, 32, 2UL)]
    [InlineData(2, 8, 3UL)]
    [InlineData(5, 20, 4UL)]
    [InlineData(1, 6, 5UL)]
    public void HamerlyGivesLloydsBits(int dims, int k, ulong seed)
    {
        const int n = 20000;
        float[] data = dims == 3 ? FitTestData.Colours(n, seed) : FitTestData.Blobs(n, dims, k / 2 + 1, seed, spread: 2.5);
        float[] weights = seed % 2 == 0 ? [] : FitTestData.Weights(n, seed);
        KMeansResult Run(KMeansAlgorithm algorithm) => KMeans.Fit(data, dims, weights,
            new KMeansOptions { K = k, Seed = seed, Algorithm = algorithm, Tolerance = 0 },
            TestContext.Current.CancellationToken);
        KMeansResult lloyd = Run(KMeansAlgorithm.Lloyd);
        Assert.True(lloyd.Iterations > 3, "the case should take several iterations");
        FitAssert.Identical(lloyd, Run(KMeansAlgorithm.Hamerly), "Hamerly vs Lloyd");
        FitAssert.Identical(lloyd, Run(KMeansAlgorithm.Auto), "Auto vs Lloyd");
    }

    /// <summary>
    /// Hamerly searching the points its bound leaves among their centre's neighbours (forced on, as at large K): the
    /// same bits as Lloyd, with rows cut short (K above a row's 64 entries), at D >= 5 (fused terms), on integer data
    /// full of exact ties and duplicate centres, on any number of threads; and the same as without the walk.
    /// </summary>
    [Theory]
    [InlineData(3, 256, 20000, 10UL, false)]
    [InlineData(2, 300, 20000, 11UL, false)]
    [InlineData(4, 100, 8000, 12UL, false)]
    [InlineData(8, 48, 4000, 13UL, false)]
    [InlineData(3, 40, 4000, 14UL, true)]
    [InlineData(2, 64, 6000, 15UL, true)]
    public void HamerlyWithNeighbourWalksGivesLloydsBits(int dims, int k, int n, ulong seed, bool grid)
    {
        float[] data = grid ? FitTestData.Grid(n, dims, levels: dims == 2 ? 16 : 6, seed)
            : dims == 3 ? FitTestData.Colours(n, seed) : FitTestData.Blobs(n, dims, k / 2 + 1, seed, spread: 2.5);
        float[] weights = seed % 2 == 0 ? [] : FitTestData.Weights(n, seed);
        KMeansResult Run(KMeansAlgorithm algorithm, int? threads = null, bool walk = true) => KMeans.Fit(data, dims, weights,
            new KMeansOptions
            {
                K = k, Seed = seed, Algorithm = algorithm, Tolerance = 0, MaxIterations = 40, MaxDegreeOfParallelism = threads, NeighbourWalk = walk,
            },
            TestContext.Current.CancellationToken);
        KMeansResult lloyd = Run(KMeansAlgorithm.Lloyd);
        Assert.True(lloyd.Iterations > 3, "the case should take several iterations");
        FitAssert.Identical(lloyd, Run(KMeansAlgorithm.Hamerly), "Hamerly vs Lloyd");
        FitAssert.Identical(lloyd, Run(KMeansAlgorithm.Hamerly, threads: 1), "Hamerly on 1 thread vs Lloyd");
        FitAssert.Identical(lloyd, Run(KMeansAlgorithm.Hamerly, threads: 3), "Hamerly on 3 threads vs Lloyd");
        FitAssert.Identical(lloyd, Run(KMeansAlgorithm.Hamerly, walk: false), "Hamerly without the walk vs Lloyd");
    }

    [Fact]
    public void SameSeedSameBitsDifferentSeedDifferentStart()
    {
        float[] data = FitTestData.Blobs(5000, 3, 10, seed: 1);
        var options = new KMeansOptions { K = 10, Seed = 42, MaxIterations = 2 };
        KMeansResult a = KMeans.Fit(data, 3, default, options, TestContext.Current.CancellationToken);
        KMeansResult b = KMeans.Fit(data, 3, default, options, TestContext.Current.CancellationToken);
        FitAssert.Identical(a, b, "same seed");
        KMeansResult c = KMeans.Fit(data, 3, default, new KMeansOptions { K = 10, Seed = 43, MaxIterations = 2 }, TestContext.Current.CancellationToken);
        Assert.NotEqual(a.Centroids, c.Centroids);
        Assert.Equal(42UL, a.Seed);
    }
}
