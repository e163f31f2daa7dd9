using BenchmarkDotNet.Attributes;
using KMeansPS.Engine;
using KMeansPS.Engine.Fitting;
using KMeansPS.Engine.Kernels;

namespace KMeansPS.Benchmarks;

/// <summary>
/// Assignment throughput: one full labelling pass (nearest of K centres for every point, with the
/// chunked inertia sum) over 1 M SoA points on all cores, pinned to one SIMD width via the cap.
/// One "operation" is one point: (point, centre) pairs per second = K / (time per op).
/// </summary>
[MemoryDiagnoser]
public class EngineAssignmentBenchmarks
{
    private const int N = 1 << 20;
    private FitWorkspace _workspace = null!;
    private float[] _centres = null!;

    [Params(3, 4)]
    public int D { get; set; }

    [Params(16, 64, 256)]
    public int K { get; set; }

    [Params(InstructionSet.Scalar, InstructionSet.Vector128, InstructionSet.Vector256, InstructionSet.Vector512)]
    public InstructionSet Isa { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var (points, centres) = EngineBenchmarkData.Uniform(N, D, K, seed: 1);
        PointSet set = PointSet.FromRows(points, D, default);
        _workspace = new FitWorkspace(set, K, KernelSet.Create(Isa), Environment.ProcessorCount, CancellationToken.None);
        _centres = centres;
        if (_workspace.Kernels.InstructionSet != Isa) throw new InvalidOperationException($"{Isa} is not accelerated here.");
    }

    [Benchmark(OperationsPerInvoke = N)]
    public double AssignPass() => _workspace.AssignAll(_centres, accumulate: false).Inertia;

}
