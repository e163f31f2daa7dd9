using BenchmarkDotNet.Attributes;
using KMeansPS.Engine;

namespace KMeansPS.Benchmarks;

/// <summary>
/// A whole fit as a user runs it: 4,096,000 RGB points (a seeded 2560 x 1600 image-like picture, the
/// size of twowings.jpg), K = 64, greedy k-means++, sklearn's defaults (tol 1e-4, max 300 iterations),
/// all cores, the widest SIMD width. scikit-learn takes ~37 s on this machine for the real image.
/// </summary>
[MemoryDiagnoser]
public class EngineFitBenchmarks
{
    private float[] _pixels = null!;

    [Params(KMeansAlgorithm.Auto, KMeansAlgorithm.Lloyd)]
    public KMeansAlgorithm Algorithm { get; set; }

    [GlobalSetup]
    public void Setup() => _pixels = EngineBenchmarkData.ImageLikeRgb(2560, 1600, seed: 7);

    [Benchmark]
    public double FitK64() => KMeans.Fit(_pixels, 3, default, new KMeansOptions { K = 64, Seed = 1, Algorithm = Algorithm }).Inertia;
}
