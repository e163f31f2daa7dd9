using KMeansPS.Engine.Fitting;
using KMeansPS.Engine.Random;
using Xunit;

namespace KMeansPS.Engine.Tests.Fitting;

/// <summary>
/// Rows prepared once fit as <see cref="KMeans.Fit"/> fits them (same bits) from any seeding, on every instruction set,
/// many times and from two threads at once; bad input is refused as Fit refuses it.
/// </summary>
public class PreparedFitTests
{
    public static TheoryData<int, int, int, bool> Shapes() => new()
    {
        // n, dims, k, weighted
        { 2_000, 3, 16, true }, { 29_000, 4, 15, true }, { 5_000, 3, 64, false }, { 3_000, 4, 255, true }, { 1_500, 8, 33, true },
        { 10, 3, 16, true }, // fewer rows than K: the distinct rows are the centres
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void FitsAreThoseOfFitOnEveryInstructionSet(int n, int dims, int k, bool weighted)
    {
        var rng = new DeterministicRandom((ulong)(n * 31 + dims * 7 + k));
        float[] data = Values(rng, n * dims, 255);
        float[]? weights = weighted ? Weights(rng, n) : null;
        // Under qemu (the arm64 legs) the platform's own width only: the scalar path is the same managed code that the
        // x64 legs compare, and these fits take minutes there.
        IEnumerable<InstructionSet> caps = Environment.GetEnvironmentVariable("KMEANSPS_EMULATED") == "1"
            ? [KMeans.BestInstructionSet]
            : Kernels.KernelWidths.FitCaps();
        foreach (InstructionSet isa in caps)
        {
            using var prepared = new PreparedFit(data, n, dims, weights, k, null, TestContext.Current.CancellationToken);
            foreach (KMeansOptions options in OptionsFor(k, dims, isa))
            {
                KMeansResult expected = KMeans.Fit(data, dims, weights ?? [], options, TestContext.Current.CancellationToken);
                KMeansResult actual = prepared.Fit(options, TestContext.Current.CancellationToken);
                FitAssert.Identical(expected, actual, $"{isa}, {options.Algorithm}, seed {options.Seed}, tol {options.Tolerance}, init {options.Init}");
                Assert.Equal(expected.Warning, actual.Warning);
                Assert.Equal(expected.InstructionSet, actual.InstructionSet);
            }
        }
    }

    [Fact]
    public void RowsPastCountAndWeightsPastCountAreNotRead()
    {
        var rng = new DeterministicRandom(11);
        const int n = 4_000, dims = 3, k = 24;
        float[] data = Values(rng, n * dims, 255), weights = Weights(rng, n);
        // Rented arrays are often longer than the rows they hold: what follows must not count.
        float[] longer = [.. data, float.NaN, 1, 2, 3, 4, 5];
        float[] longerWeights = [.. weights, -1, 0, 9];
        var options = new KMeansOptions { K = k, Seed = 5, DistinctRows = true };
        KMeansResult expected = KMeans.Fit(data, dims, weights, options, TestContext.Current.CancellationToken);
        using var prepared = new PreparedFit(longer, n, dims, longerWeights, k, 2, TestContext.Current.CancellationToken);
        FitAssert.Identical(expected, prepared.Fit(options, TestContext.Current.CancellationToken), "longer arrays");
    }

    [Fact]
    public void TwoThreadsMayFitAtOnce()
    {
        var rng = new DeterministicRandom(5);
        const int n = 20_000, dims = 4, k = 16;
        float[] data = Values(rng, n * dims, 1), weights = Weights(rng, n);
        KMeansOptions Seeded(ulong seed) => new() { K = k, Seed = seed, MaxDegreeOfParallelism = 1, DistinctRows = true };
        var expected = new KMeansResult[8];
        for (int s = 0; s < expected.Length; s++) expected[s] = KMeans.Fit(data, dims, weights, Seeded((ulong)s), TestContext.Current.CancellationToken);
        using var prepared = new PreparedFit(data, n, dims, weights, k, 1, TestContext.Current.CancellationToken);
        var actual = new KMeansResult[expected.Length];
        Parallel.For(0, actual.Length, new ParallelOptions { MaxDegreeOfParallelism = 2 },
            s => actual[s] = prepared.Fit(Seeded((ulong)s), TestContext.Current.CancellationToken));
        for (int s = 0; s < expected.Length; s++) FitAssert.Identical(expected[s], actual[s], $"seed {s}");
    }

    [Fact]
    public void BadInputIsRefusedAsFitRefusesIt()
    {
        float[] data = [1, 2, 3, float.NaN, 5, 6];
        var e = Assert.Throws<ArgumentException>(() => new PreparedFit(data, 2, 3, null, 1, null, TestContext.Current.CancellationToken));
        Assert.Contains("Row 1", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new PreparedFit([1, 2, 3, 4, 5, 6], 2, 3, [1, -1], 1, null, TestContext.Current.CancellationToken));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PreparedFit([1, 2, 3], 0, 3, null, 1, null, TestContext.Current.CancellationToken));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PreparedFit([1, 2, 3], 2, 3, null, 1, null, TestContext.Current.CancellationToken));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PreparedFit([1, 2, 3], 1, 3, null, 1, 0, TestContext.Current.CancellationToken));

        var prepared = new PreparedFit([1, 2, 3, 4, 5, 6, 7, 8, 9], 3, 3, null, 2, null, TestContext.Current.CancellationToken);
        Assert.Throws<ArgumentException>(() => prepared.Fit(new KMeansOptions { K = 3 }, TestContext.Current.CancellationToken));
        Assert.Equal(2, prepared.Fit(new KMeansOptions { K = 2 }, TestContext.Current.CancellationToken).K);
        prepared.Dispose();
        prepared.Dispose(); // twice is harmless
        Assert.Throws<ObjectDisposedException>(() => prepared.Fit(new KMeansOptions { K = 2 }, TestContext.Current.CancellationToken));
    }

    private static IEnumerable<KMeansOptions> OptionsFor(int k, int dims, InstructionSet isa)
    {
        // A start of given centres, as a palette's split-and-remove move makes.
        var start = new float[k * dims];
        for (int i = 0; i < start.Length; i++) start[i] = (i * 37 % 251) + 0.5f;
        yield return new KMeansOptions { K = k, Init = KMeansInit.Given, InitialCentroids = start, MaxInstructionSet = isa, DistinctRows = true };
        foreach (KMeansAlgorithm algorithm in new[] { KMeansAlgorithm.Auto, KMeansAlgorithm.Lloyd, KMeansAlgorithm.Hamerly })
            foreach (ulong seed in new ulong[] { 1, 0x9E3779B97F4A7C15UL })
                yield return new KMeansOptions { K = k, Algorithm = algorithm, Seed = seed, MaxInstructionSet = isa, DistinctRows = true };
        yield return new KMeansOptions { K = k, Seed = 3, Tolerance = 0, MaxIterations = 7, MaxInstructionSet = isa, DistinctRows = true };
        yield return new KMeansOptions { K = k, Seed = 4, MaxDegreeOfParallelism = 1, MaxInstructionSet = isa, DistinctRows = true };
    }

    private static float[] Values(DeterministicRandom rng, int count, double scale)
    {
        var v = new float[count];
        for (int i = 0; i < count; i++) v[i] = (float)(rng.NextDouble() * scale);
        return v;
    }

    // Whole counts, as a histogram's, with some zeros.
    private static float[] Weights(DeterministicRandom rng, int count)
    {
        var w = new float[count];
        for (int i = 0; i < count; i++) w[i] = i % 17 == 0 ? 0 : MathF.Floor((float)(rng.NextDouble() * 500)) + 1;
        return w;
    }
}
