using BenchmarkDotNet.Attributes;
using KMeansPS.Engine;

namespace KMeansPS.Benchmarks;

/// <summary>
/// Mapping a 4,096,000-pixel RGB picture onto a K-colour palette with KMeans.Predict (row-major input,
/// transposed per chunk), as the image code does after a fit.
/// </summary>
[MemoryDiagnoser]
public class EnginePredictBenchmarks
{
    private float[] _pixels = null!;
    private float[] _palette = null!;
    private int[] _labels = null!;

    [Params(16, 64, 256)]
    public int K { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _pixels = EngineBenchmarkData.ImageLikeRgb(2560, 1600, seed: 7);
        _palette = EngineBenchmarkData.Uniform(1024, 3, K, seed: 2).Centres;
        _labels = new int[_pixels.Length / 3];
    }

    [Benchmark]
    public double Predict() => KMeans.Predict(_pixels, 3, _palette, _labels);
}
