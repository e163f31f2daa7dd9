using Xunit;

namespace KMeansPS.Engine.Tests.Fitting;

/// <summary>
/// The determinism contract across processes and machines: these seeded fits must give exactly these
/// bits on every ISA leg (AVX-512, AVX2, Vector128, scalar), on ARM64 and on any thread count. A change
/// of the engine's arithmetic order changes the fingerprints; that breaks users' reproducible seeds and
/// must be deliberate.
/// </summary>
public class ResultFingerprintTests
{
    [Theory]
    [InlineData(KMeansAlgorithm.Lloyd, 0xB11AED55BED14069UL)]
    [InlineData(KMeansAlgorithm.Hamerly, 0xB11AED55BED14069UL)]
    [InlineData(KMeansAlgorithm.MiniBatch, 0xFFF15FF9FDF1A33CUL)]
    public void SeededFitHasTheRecordedFingerprint(KMeansAlgorithm algorithm, ulong expected)
    {
        const int n = 20011;
        float[] data = FitTestData.Colours(n, seed: 77);
        float[] weights = FitTestData.Weights(n, seed: 78);
        var result = KMeans.Fit(data, 3, weights, new KMeansOptions { K = 16, Seed = 2026, Algorithm = algorithm, BatchSize = 512 },
            TestContext.Current.CancellationToken);
        ulong hash = 14695981039346656037UL;
        foreach (float c in result.Centroids) hash = (hash ^ (uint)BitConverter.SingleToInt32Bits(c)) * 1099511628211UL;
        foreach (int l in result.Labels) hash = (hash ^ (uint)l) * 1099511628211UL;
        hash = (hash ^ (ulong)BitConverter.DoubleToInt64Bits(result.Inertia)) * 1099511628211UL;
        hash = (hash ^ (ulong)result.Iterations) * 1099511628211UL;
        Assert.True(expected == hash, $"{algorithm}: fingerprint 0x{hash:X16}, recorded 0x{expected:X16} ({KMeans.BestInstructionSet})");
    }
}
