using System.Diagnostics;
using System.Globalization;
using KMeansPS.Engine;
using KMeansPS.Imaging;
using KMeansPS.Imaging.Decoding;

namespace KMeansPS.Benchmarks;

/// <summary>
/// The engine on every pixel (no histogram), for the same-run comparison with scikit-learn on the same data:
/// <c>KMeansPS.Benchmarks fit-raw IMAGE K SEED</c> prints "seconds inertia iterations instruction-set". The
/// pixels are RGB as float32 on the 0-255 scale, exactly what perf/anchors/sklearn_fit_raw.py clusters.
/// </summary>
public static class RawPixelFit
{
    public static int Run(string[] args)
    {
        if (args.Length != 4)
        {
            Console.Error.WriteLine("usage: fit-raw IMAGE K SEED");
            return 2;
        }
        RgbaImage image = ImageDecoder.Decode(args[1]);
        int k = int.Parse(args[2], CultureInfo.InvariantCulture);
        ulong seed = ulong.Parse(args[3], CultureInfo.InvariantCulture);
        var data = new float[image.Pixels.Length * 3];
        for (int i = 0; i < image.Pixels.Length; i++)
        {
            data[3 * i] = image.Pixels[i].R;
            data[3 * i + 1] = image.Pixels[i].G;
            data[3 * i + 2] = image.Pixels[i].B;
        }
        var clock = Stopwatch.StartNew();
        KMeansResult result = KMeans.Fit(data, 3, [], new KMeansOptions { K = k, Seed = seed, MaxIterations = 300, Tolerance = 1e-4 });
        clock.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{clock.Elapsed.TotalSeconds:F3} {result.Inertia:R} {result.Iterations} {result.InstructionSet}"));
        return 0;
    }
}
