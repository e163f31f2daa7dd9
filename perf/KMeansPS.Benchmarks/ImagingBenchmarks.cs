using BenchmarkDotNet.Attributes;
using KMeansPS.Imaging.Quantization;

namespace KMeansPS.Benchmarks;

/// <summary>
/// The whole Compress-ImageKMeans job (decode, histogram, cluster, map, palette PNG, metrics) on one image per K.
/// The images come from the folder in KMEANSPS_IMAGES, else from the first shared/images folder found above the
/// working directory or the binaries (../shared/images beside the repository on the development machine). Run with
/// <c>dotnet run -c Release --project perf/KMeansPS.Benchmarks -- --filter *ImagingQuantize*</c>.
/// </summary>
[MemoryDiagnoser]
public class ImagingQuantizeBenchmarks
{
    private string _source = "";
    private string _destination = "";

    [Params("twowings.jpg", "gimp-slider-screenshot.png")]
    public string Image { get; set; } = "";

    [Params(16, 64, 256)]
    public int K { get; set; }

    [Params(false, true)]
    public bool Metrics { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string folder = Environment.GetEnvironmentVariable("KMEANSPS_IMAGES") ?? FindImages();
        _source = Path.Combine(folder, Image);
        if (!File.Exists(_source)) throw new FileNotFoundException($"Benchmark image not found (set KMEANSPS_IMAGES): {_source}", _source);
        _destination = Path.Combine(Path.GetTempPath(), $"kmeansps-bench-{Guid.NewGuid():N}.png");
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_destination);

    [Benchmark]
    public long Quantize() =>
        ImageQuantizer.Quantize(_source, _destination, new QuantizeOptions { K = K, Seed = 1, ComputeMetrics = Metrics, Overwrite = true }).CompressedBytes;

    private static string FindImages()
    {
        foreach (string start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "shared", "images");
                if (Directory.Exists(candidate)) return candidate;
            }
        }
        throw new DirectoryNotFoundException("Set KMEANSPS_IMAGES to the folder holding the benchmark images.");
    }
}
