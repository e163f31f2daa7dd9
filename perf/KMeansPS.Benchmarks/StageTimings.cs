using System.Diagnostics;
using System.Globalization;
using KMeansPS.Imaging;
using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Histograms;
using KMeansPS.Imaging.Metrics;
using KMeansPS.Imaging.Palettes;
using KMeansPS.Imaging.Quantization;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Benchmarks;

/// <summary>
/// Where the time of one Compress-ImageKMeans job goes: <c>KMeansPS.Benchmarks stages IMAGE K SEED [RUNS]</c>
/// runs the whole <see cref="ImageQuantizer.Quantize(string, string, QuantizeOptions, CancellationToken, IProgress{QuantizeProgress})"/>
/// and then each of its stages alone, warm (after one untimed run), and prints the median milliseconds of each.
/// </summary>
public static class StageTimings
{
    public static int Run(string[] args)
    {
        if (args.Length is < 4 or > 5)
        {
            Console.Error.WriteLine("usage: stages IMAGE K SEED [RUNS]");
            return 2;
        }
        string path = args[1];
        int k = int.Parse(args[2], CultureInfo.InvariantCulture);
        ulong seed = ulong.Parse(args[3], CultureInfo.InvariantCulture);
        int runs = args.Length == 5 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 9;
        var options = new QuantizeOptions { K = k, Seed = seed, Overwrite = true };
        string destination = Path.Combine(Path.GetTempPath(), $"kmeansps-stages-{Environment.ProcessId}.png");

        var stages = Array.Empty<(string Name, Action Body)>();
        RgbaImage image = ImageDecoder.Decode(path);
        ColorHistogram histogram = ColorHistogram.Build(image.Pixels);
        Palette palette = Build(histogram, options);
        QuantizedImage quantized = ImageQuantizer.Quantize(image, options);
        var indices = new byte[image.Pixels.Length];
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
            ("map", () => histogram.MapPixels(image.Pixels, palette.ColorToEntry, indices)),
            ("order by counting pixels", () => PaletteOrdering.CompactAndSort(palette.Entries, (byte[])indices.Clone())),
            ("quantize (histogram..order)", () => quantized = ImageQuantizer.Quantize(image, options)),
            ("encode", () => quantized.WritePng(Stream.Null)),
            ("metrics (ssim, mse known)", () => ImageMetrics.Compute(image, quantized, quantized.SquaredErrorOfSource, null, default)),
        ];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFileName(path)} {image.Width}x{image.Height}, {histogram.Count:N0} colours, K={k}, median of {runs} warm runs, ms"));
        foreach ((string name, Action body) in stages)
        {
            body();
            var times = new double[runs];
            for (int r = 0; r < runs; r++)
            {
                long start = Stopwatch.GetTimestamp();
                body();
                times[r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
            Array.Sort(times);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-28} {times[runs / 2],8:F1}"));
        }
        File.Delete(destination);
        return 0;
    }

    private static Palette Build(ColorHistogram histogram, QuantizeOptions options) =>
        PaletteBuilder.Build(histogram, options.K, options.ColorSpace, options.Algorithm, options.MaxIterations,
            options.Tolerance, options.Seed ?? 0, options.MaxDegreeOfParallelism);
}
