using System.Diagnostics;
using System.Globalization;
using KMeansPS.Engine;
using KMeansPS.Imaging;
using KMeansPS.Imaging.ColorSpaces;
using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Histograms;
using KMeansPS.Imaging.Metrics;
using KMeansPS.Imaging.Palettes;
using KMeansPS.Imaging.Quantization;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Benchmarks;

/// <summary>
/// Where the time of one Compress-ImageKMeans job goes: <c>KMeansPS.Benchmarks stages IMAGE K SEED [RUNS] [THREADS]</c>
/// runs the whole <see cref="ImageQuantizer.Quantize(string, string, QuantizeOptions, CancellationToken, IProgress{QuantizeProgress})"/>
/// and then each of its stages alone, warm (after one untimed run), and prints the median milliseconds of each.
/// </summary>
public static class StageTimings
{
    public static int Run(string[] args)
    {
        if (args.Length is < 4 or > 6)
        {
            Console.Error.WriteLine("usage: stages IMAGE K SEED [RUNS] [THREADS]");
            return 2;
        }
        string path = args[1];
        int k = int.Parse(args[2], CultureInfo.InvariantCulture);
        ulong seed = ulong.Parse(args[3], CultureInfo.InvariantCulture);
        int runs = args.Length >= 5 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 9;
        int? threads = args.Length == 6 ? int.Parse(args[5], CultureInfo.InvariantCulture) : null;
        var options = new QuantizeOptions { K = k, Seed = seed, Overwrite = true, MaxDegreeOfParallelism = threads };
        string destination = Path.Combine(Path.GetTempPath(), $"kmeansps-stages-{Environment.ProcessId}.png");

        var stages = Array.Empty<(string Name, Action Body)>();
        RgbaImage image = ImageDecoder.Decode(path);
        ColorHistogram histogram = ColorHistogram.Build(image.Pixels);
        Palette palette = Build(histogram, options);
        QuantizedImage quantized = ImageQuantizer.Quantize(image, options);
        var indices = new byte[image.Pixels.Length];
        (float[] points, float[] weights, int d) = MetricPoints(histogram);
        int clusters = histogram.TransparentIndex >= 0 ? k - 1 : k;
        KMeansResult fitted = Fit(points, weights, d, clusters, options, options.MaxIterations);
        stages =
        [
            ("whole job", () => ImageQuantizer.Quantize(path, destination, options)),
            ("whole job, no buffer reused", () => { LargeBufferCache.Clear(); ImageQuantizer.Quantize(path, destination, options); }),
            // The decode stages hand their buffers back, as a whole job does, so they time the decoding, not page faults.
            ("decode (ImageSharp)", () => LargeBufferCache.Return(ImageDecoder.Decode(path).Pixels)),
            ("decode, fast PNG path", () => LargeBufferCache.Return(
                ImageIntake.Read(path, ImageDecoder.DefaultMaxPixels, false, 0, Environment.ProcessorCount, default).Image.Pixels)),
            ("decode while counting", () =>
            {
                var intake = ImageIntake.Read(path, ImageDecoder.DefaultMaxPixels, true, long.MaxValue, Environment.ProcessorCount, default);
                intake.Histogram?.ReleasePixelIndex(recycle: true);
                LargeBufferCache.Return(intake.Image.Pixels);
            }),
            ("histogram", () => histogram = ColorHistogram.Build(image.Pixels, true, Environment.ProcessorCount)),
            ("histogram, 1 thread", () => histogram = ColorHistogram.Build(image.Pixels)),
            ("palette", () => palette = Build(histogram, options)),
            ("palette, 1 seeding", () => palette = PaletteBuilder.Build(histogram, options.K, options.ColorSpace, options.Algorithm,
                options.MaxIterations, options.Tolerance, options.Seed ?? 0, options.MaxDegreeOfParallelism, null, 1, 0, default)),
            ("fit: k-means++ + 1 iteration", () => Fit(points, weights, d, clusters, options, 1)),
            ("fit: random init + 1 iteration", () => Fit(points, weights, d, clusters, options, 1, KMeansInit.Random)),
            ("fit: k-means++ to the end", () => Fit(points, weights, d, clusters, options, options.MaxIterations)),
            ("map", () => histogram.MapPixels(image.Pixels, palette.ColorToEntry, indices)),
            ("order by counting pixels", () => PaletteOrdering.CompactAndSort(palette.Entries, (byte[])indices.Clone())),
            ("quantize (histogram..order)", () => quantized = ImageQuantizer.Quantize(image, options)),
            ("encode", () => quantized.WritePng(Stream.Null)),
            ("metrics (ssim, mse known)", () => ImageMetrics.Compute(image, quantized, quantized.SquaredErrorOfSource, null, default)),
        ];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFileName(path)} {image.Width}x{image.Height}, {histogram.Count:N0} colours, K={k}, {PaletteBuilder.SeedingsFor(points.Length / d, clusters)} seedings, {fitted.Iterations} iterations (seed 1), median of {runs} warm runs, ms: wall, process CPU (all threads); load average {LoadAverage()}"));
        foreach ((string name, Action body) in stages)
        {
            body();
            var times = new double[runs];
            var cpu = new double[runs];
            using var process = Process.GetCurrentProcess();
            for (int r = 0; r < runs; r++)
            {
                process.Refresh();
                TimeSpan cpuStart = process.TotalProcessorTime;
                long start = Stopwatch.GetTimestamp();
                body();
                times[r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                process.Refresh();
                cpu[r] = (process.TotalProcessorTime - cpuStart).TotalMilliseconds;
            }
            Array.Sort(times);
            Array.Sort(cpu);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-28} {times[runs / 2],8:F1} {cpu[runs / 2],8:F1}"));
        }
        // The whole job once more, timed stage by stage from its own progress reports (medians over the runs).
        var spans = new List<double>[Enum.GetValues<QuantizeStage>().Length + 1];
        for (int i = 0; i < spans.Length; i++) spans[i] = [];
        for (int r = 0; r < runs; r++)
        {
            var watch = new StageWatch();
            long start = Stopwatch.GetTimestamp();
            ImageQuantizer.Quantize(path, destination, options, watch);
            double total = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            foreach ((QuantizeStage stage, double ms) in watch.Durations(start)) spans[(int)stage].Add(ms);
            spans[^1].Add(total);
        }
        Console.WriteLine("whole job with progress, by its stages:");
        foreach (QuantizeStage stage in Enum.GetValues<QuantizeStage>())
            if (spans[(int)stage].Count > 0)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {stage,-26} {Median(spans[(int)stage]),8:F1}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"(whole)",-26} {Median(spans[^1]),8:F1}"));
        File.Delete(destination);
        return 0;
    }

    /// <summary>The 1/5/15-minute load average where the system reports one (Linux), else "n/a".</summary>
    private static string LoadAverage()
    {
        try { return string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "n/a"; }
        catch (UnauthorizedAccessException) { return "n/a"; }
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    /// <summary>Notes when each stage is first reported; a stage lasts until the next one starts.</summary>
    private sealed class StageWatch : IProgress<QuantizeProgress>
    {
        private readonly List<(QuantizeStage Stage, long At)> _starts = [];

        public void Report(QuantizeProgress value)
        {
            if (_starts.Count == 0 || _starts[^1].Stage != value.Stage) _starts.Add((value.Stage, Stopwatch.GetTimestamp()));
        }

        public IEnumerable<(QuantizeStage Stage, double Ms)> Durations(long start)
        {
            long previous = start;
            QuantizeStage? stage = null;
            foreach ((QuantizeStage next, long at) in _starts)
            {
                if (stage is QuantizeStage s) yield return (s, Stopwatch.GetElapsedTime(previous, at).TotalMilliseconds);
                (stage, previous) = (next, at);
            }
        }
    }

    /// <summary>The visible colours as the palette builder clusters them in Rgb (metric space), with their counts.</summary>
    private static (float[] Points, float[] Weights, int D) MetricPoints(ColorHistogram histogram)
    {
        var visible = new List<int>();
        bool partialAlpha = false;
        int transparent = histogram.TransparentIndex; // a search of the colours: once, not per colour
        for (int i = 0; i < histogram.Count; i++)
        {
            if (i == transparent) continue;
            visible.Add(i);
            partialAlpha |= histogram.Colors[i].A != 255;
        }
        int d = partialAlpha ? 4 : 3;
        var points = new float[visible.Count * d];
        var weights = new float[visible.Count];
        for (int j = 0; j < visible.Count; j++)
        {
            MetricColor.ToMetric(histogram.Colors[visible[j]], out float r, out float g, out float b, out float a);
            points[j * d] = r; points[j * d + 1] = g; points[j * d + 2] = b;
            if (d == 4) points[j * d + 3] = a;
            weights[j] = histogram.Counts[visible[j]];
        }
        return (points, weights, d);
    }

    private static KMeansResult Fit(float[] points, float[] weights, int d, int clusters, QuantizeOptions options, int maxIterations,
        KMeansInit init = KMeansInit.KMeansPlusPlus) =>
        KMeans.Fit(points, d, weights, new KMeansOptions
        {
            K = clusters, Init = init, Algorithm = options.Algorithm, MaxIterations = maxIterations, Tolerance = options.Tolerance,
            Seed = options.Seed ?? 0, MaxDegreeOfParallelism = options.MaxDegreeOfParallelism,
        });

    private static Palette Build(ColorHistogram histogram, QuantizeOptions options) =>
        PaletteBuilder.Build(histogram, options.K, options.ColorSpace, options.Algorithm, options.MaxIterations,
            options.Tolerance, options.Seed ?? 0, options.MaxDegreeOfParallelism);
}
