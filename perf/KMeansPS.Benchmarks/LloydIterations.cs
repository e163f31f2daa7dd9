using System.Diagnostics;
using System.Globalization;
using KMeansPS.Engine;

namespace KMeansPS.Benchmarks;

/// <summary>
/// The engine's time per Lloyd iteration on general data, for perf/engine-compare.ps1's side-by-side runs with
/// scikit-learn, FAISS and OpenCV from the same starting centres:
/// <c>KMeansPS.Benchmarks lloyd DATA.f32 INIT.f32 D K ITERATIONS ALGORITHM [TOLERANCE [walk|no-walk]]</c> reads N x D and K x D float32
/// little-endian row-major files (written by perf/anchors/engine_anchors.py), runs at most ITERATIONS iterations
/// with tolerance 0 or TOLERANCE (Lloyd, Hamerly or Auto) after one untimed warm-up iteration, and prints "ms-per-iteration inertia iterations instruction-set cpu-ms-per-iteration".
/// </summary>
public static class LloydIterations
{
    public static int Run(string[] args)
    {
        if (args.Length is not (7 or 8 or 9))
        {
            Console.Error.WriteLine("usage: lloyd DATA.f32 INIT.f32|k-means++ D K ITERATIONS Lloyd|Hamerly|Auto [TOLERANCE [walk|no-walk]]");
            return 2;
        }
        float[] data = ReadFloats(args[1]);
        bool seeded = args[2] == "k-means++"; // the engine's own seeding, timed with the fit (to convergence runs)
        float[] init = seeded ? [] : ReadFloats(args[2]);
        int d = int.Parse(args[3], CultureInfo.InvariantCulture);
        int k = int.Parse(args[4], CultureInfo.InvariantCulture);
        int iterations = int.Parse(args[5], CultureInfo.InvariantCulture);
        var algorithm = Enum.Parse<KMeansAlgorithm>(args[6], ignoreCase: true);
        double tolerance = args.Length >= 8 ? double.Parse(args[7], CultureInfo.InvariantCulture) : 0;
        // Hamerly's leftovers among the neighbours forced on or off (default: the engine's rule).
        bool? walk = args.Length == 9 ? args[8] switch { "walk" => true, "no-walk" => false, _ => throw new ArgumentException("walk or no-walk", nameof(args)) } : null;
        if (data.Length % d != 0 || (!seeded && init.Length != k * d))
        {
            Console.Error.WriteLine($"sizes do not match: {data.Length} values for D = {d}, {init.Length} initial values for K x D = {k * d}");
            return 2;
        }
        var options = new KMeansOptions
        {
            K = k,
            Init = seeded ? KMeansInit.KMeansPlusPlus : KMeansInit.Given,
            InitialCentroids = seeded ? null : init,
            Seed = 1,
            MaxIterations = iterations,
            Tolerance = tolerance,
            Algorithm = algorithm,
            MaxDegreeOfParallelism = Threads(),
            NeighbourWalk = walk,
        };
        // One untimed iteration first: the kernels are compiled (JIT) before the clock starts, as the anchors' are.
        KMeans.Fit(data, d, [], new KMeansOptions
        {
            K = k, Init = seeded ? KMeansInit.KMeansPlusPlus : KMeansInit.Given, InitialCentroids = seeded ? null : init,
            MaxIterations = 1, Tolerance = 0, Algorithm = algorithm,
        });
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        KMeansResult result = KMeans.Fit(data, d, [], options);
        clock.Stop();
        // CPU time as well: on a busy machine it still tells two builds apart when wall time cannot.
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        int done = Math.Max(1, result.Iterations);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{clock.Elapsed.TotalMilliseconds / done:F3} {result.Inertia:R} {result.Iterations} {result.InstructionSet} {cpu.TotalMilliseconds / done:F3}"));
        return 0;
    }

    /// <summary>KMEANSPS_BENCH_THREADS=1 times one thread: on a shared machine a single worker's rate is steadier than two.</summary>
    private static int? Threads() =>
        int.TryParse(Environment.GetEnvironmentVariable("KMEANSPS_BENCH_THREADS"), CultureInfo.InvariantCulture, out int n) && n > 0 ? n : null;

    private static float[] ReadFloats(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var values = new float[bytes.Length / sizeof(float)];
        Buffer.BlockCopy(bytes, 0, values, 0, values.Length * sizeof(float));
        return values;
    }
}
