using KMeansPS.Engine.Fitting;

namespace KMeansPS.Engine;

// The engine's types are internal (the module, its tests and the benchmarks see them through InternalsVisibleTo);
// these three option enums stay public because xunit theories and BenchmarkDotNet parameters must be public.

/// <summary>Which iteration scheme fits the centres.</summary>
public enum KMeansAlgorithm
{
    /// <summary>
    /// The default: the fastest exact scheme, Hamerly's bounds from K = 48 and plain Lloyd below (where the
    /// bounds cost more than they save). Same bits as Lloyd either way.
    /// </summary>
    Auto = 0,
    /// <summary>Plain Lloyd: every point against every centre each iteration.</summary>
    Lloyd = 1,
    /// <summary>Lloyd with Hamerly's single lower bound per point.</summary>
    Hamerly = 2,
    /// <summary>Sculley's mini-batch k-means, for data too large for full passes.</summary>
    MiniBatch = 3,
}

/// <summary>How the first centres are chosen.</summary>
public enum KMeansInit
{
    /// <summary>Greedy k-means++ (2 + ln K candidates per step), weighted by sample weight.</summary>
    KMeansPlusPlus = 0,
    /// <summary>K distinct points drawn uniformly.</summary>
    Random = 1,
    /// <summary>The centres in <see cref="KMeansOptions.InitialCentroids"/>.</summary>
    Given = 2,
}

/// <summary>The SIMD width a kernel ran at.</summary>
public enum InstructionSet
{
    /// <summary>No vectors: the reference every width is tested against.</summary>
    Scalar = 0,
    /// <summary>128-bit vectors (SSE on x64, NEON on ARM64): 4 points at a time.</summary>
    Vector128 = 1,
    /// <summary>256-bit vectors (AVX2): 8 points at a time.</summary>
    Vector256 = 2,
    /// <summary>512-bit vectors (AVX-512): 16 points at a time.</summary>
    Vector512 = 3,
}

/// <summary>Progress of a fit, reported once per iteration.</summary>
internal readonly record struct KMeansProgress(int Iteration, double Inertia, int MaxIterations);

/// <summary>Options of one K-means fit. Defaults follow scikit-learn's KMeans.</summary>
internal sealed class KMeansOptions
{
    public int K { get; init; } = 8;
    public KMeansAlgorithm Algorithm { get; init; } = KMeansAlgorithm.Auto;
    public KMeansInit Init { get; init; } = KMeansInit.KMeansPlusPlus;
    /// <summary>K x D row-major centres, for <see cref="KMeansInit.Given"/> (and warm starts).</summary>
    public float[]? InitialCentroids { get; init; }
    public int MaxIterations { get; init; } = 300;
    /// <summary>Relative tolerance: stop when total squared centre shift &lt;= Tolerance x mean per-feature variance.</summary>
    public double Tolerance { get; init; } = 1e-4;
    public ulong Seed { get; init; }
    /// <summary>Mini-batch size (points per step).</summary>
    public int BatchSize { get; init; } = 1024;
    /// <summary>Mini-batch: maximum steps; 0 means derived from MaxIterations x N / BatchSize.</summary>
    public int MaxSteps { get; init; }
    /// <summary>Mini-batch: stop after this many steps without improvement of the smoothed batch inertia.</summary>
    public int MaxNoImprovement { get; init; } = 10;
    /// <summary>Worker threads; null means the machine's processor count. Results do not depend on it.</summary>
    public int? MaxDegreeOfParallelism { get; init; }
    /// <summary>
    /// Workers this fit shares with fits running beside it: each pass takes its share of them, at most
    /// <see cref="MaxDegreeOfParallelism"/>. Null: every pass takes MaxDegreeOfParallelism (or the processor count).
    /// Results do not depend on it.
    /// </summary>
    internal SharedWorkers? SharedWorkers { get; init; }
    /// <summary>Highest SIMD width the kernels may use (tests and benchmarks pin a path with it).</summary>
    public InstructionSet? MaxInstructionSet { get; init; }
    /// <summary>
    /// Hamerly's leftovers searched among their centre's neighbours: null where it was measured to pay, true wherever
    /// the kernels allow it, false never (tests and benchmarks; results do not depend on it).
    /// </summary>
    public bool? NeighbourWalk { get; init; }
    /// <summary>
    /// The caller knows no two rows are equal (a histogram's colours), so the search for repeated rows is skipped: it
    /// would hash a sample of them and find none. Results do not depend on it.
    /// </summary>
    public bool DistinctRows { get; init; }
    public IProgress<KMeansProgress>? Progress { get; init; }
}
