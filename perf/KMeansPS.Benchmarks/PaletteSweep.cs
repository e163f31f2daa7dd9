using System.Diagnostics;
using System.Globalization;
using KMeansPS.Engine;
using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Histograms;
using KMeansPS.Imaging.Palettes;
using KMeansPS.Imaging.Quantization;

namespace KMeansPS.Benchmarks;

/// <summary>
/// Time and quality of whole jobs over a folder: <c>KMeansPS.Benchmarks sweep FOLDER [K,K,..] [RUNS] [SEED] [ALGORITHM]</c> runs
/// every PNG of the folder at every K, in process and warm (one untimed run each), and prints per case the colours,
/// the seedings the palette builder gives, the PSNR of the result and the median wall and process CPU milliseconds
/// of the whole job (decode, histogram, palette, mapping, encoding, metrics), then the total CPU of the medians.
/// For comparing palette-builder changes case by case against scikit-learn's PSNR (perf/anchors/sklearn_quantize.py).
/// </summary>
public static class PaletteSweep
{
    public static int Run(string[] args)
    {
        if (args.Length is < 2 or > 6)
        {
            Console.Error.WriteLine("usage: sweep FOLDER [K,K,..] [RUNS] [SEED] [ALGORITHM]");
            return 2;
        }
        int[] ks = args.Length >= 3 ? args[2].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() : [16, 64, 256];
        int runs = args.Length >= 4 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 5;
        ulong seed = args.Length >= 5 ? ulong.Parse(args[4], CultureInfo.InvariantCulture) : 1;
        KMeansAlgorithm algorithm = args.Length >= 6 ? Enum.Parse<KMeansAlgorithm>(args[5], ignoreCase: true) : KMeansAlgorithm.Auto;
        string destination = Path.Combine(Path.GetTempPath(), $"kmeansps-sweep-{Environment.ProcessId}.png");
        using var process = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median of {runs} warm runs, seed {seed}, {algorithm}, load average {File.ReadAllText("/proc/loadavg").Trim()}"));
        Console.WriteLine("image K colours seedings PSNR wall-ms cpu-ms");
        double totalCpu = 0;
        foreach (string path in Directory.GetFiles(args[1], "*.png").Order(StringComparer.Ordinal))
        {
            ColorHistogram histogram = ColorHistogram.Build(ImageDecoder.Decode(path).Pixels);
            long visible = histogram.TransparentIndex >= 0 ? histogram.Count - 1 : histogram.Count;
            foreach (int k in ks)
            {
                var options = new QuantizeOptions { K = k, Seed = seed, Overwrite = true, Algorithm = algorithm };
                QuantizeResult result = ImageQuantizer.Quantize(path, destination, options);
                var wall = new double[runs];
                var cpu = new double[runs];
                for (int r = 0; r < runs; r++)
                {
                    process.Refresh();
                    TimeSpan cpuStart = process.TotalProcessorTime;
                    long start = Stopwatch.GetTimestamp();
                    result = ImageQuantizer.Quantize(path, destination, options);
                    wall[r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    process.Refresh();
                    cpu[r] = (process.TotalProcessorTime - cpuStart).TotalMilliseconds;
                }
                Array.Sort(wall);
                Array.Sort(cpu);
                totalCpu += cpu[runs / 2];
                int clusters = histogram.TransparentIndex >= 0 ? k - 1 : k;
                string seedings = visible <= k ? "-" : PaletteBuilder.SeedingsFor(visible, clusters).ToString(CultureInfo.InvariantCulture);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{Path.GetFileNameWithoutExtension(path)} {k} {histogram.Count} {seedings} {result.Psnr:F3} {wall[runs / 2]:F1} {cpu[runs / 2]:F1}"));
            }
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total cpu-ms (medians) {totalCpu:F0}; load average {File.ReadAllText("/proc/loadavg").Trim()}"));
        File.Delete(destination);
        return 0;
    }
}
