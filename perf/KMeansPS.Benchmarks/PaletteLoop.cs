using System.Diagnostics;
using System.Globalization;
using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Histograms;
using KMeansPS.Imaging.Palettes;
using KMeansPS.Imaging.Quantization;

namespace KMeansPS.Benchmarks;

/// <summary>
/// The palette stage alone, many times, for a profiler: <c>KMeansPS.Benchmarks palette IMAGE K SEED RUNS</c> builds
/// the image's palette RUNS times after one untimed build and prints each build's milliseconds and their median.
/// </summary>
public static class PaletteLoop
{
    public static int Run(string[] args)
    {
        if (args.Length != 5)
        {
            Console.Error.WriteLine("usage: palette IMAGE K SEED RUNS");
            return 2;
        }
        int k = int.Parse(args[2], CultureInfo.InvariantCulture);
        ulong seed = ulong.Parse(args[3], CultureInfo.InvariantCulture);
        int runs = int.Parse(args[4], CultureInfo.InvariantCulture);
        var options = new QuantizeOptions { K = k, Seed = seed };
        ColorHistogram histogram = ColorHistogram.Build(ImageDecoder.Decode(args[1]).Pixels);
        Palette Build() => PaletteBuilder.Build(histogram, k, options.ColorSpace, options.Algorithm, options.MaxIterations,
            options.Tolerance, seed, null);
        Palette first = Build();
        var times = new double[runs];
        for (int run = 0; run < runs; run++)
        {
            long start = Stopwatch.GetTimestamp();
            Build();
            times[run] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{histogram.Count:N0} colours, K = {k}, {first.Iterations} iterations: median {times[runs / 2]:F1} ms, min {times[0]:F1} ms over {runs} builds"));
        return 0;
    }
}
