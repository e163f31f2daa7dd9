using System.Diagnostics;
using KMeansPS.Engine.Fitting;
using KMeansPS.Engine.Kernels;
using KMeansPS.Engine.Random;

namespace KMeansPS.Engine;

/// <summary>Entry point of the engine.</summary>
public static class KMeans
{
    /// <summary>
    /// The widest SIMD width in force in this process (hardware and DOTNET_* knobs), i.e. what
    /// <see cref="Fit"/> uses when <see cref="KMeansOptions.MaxInstructionSet"/> is not set.
    /// </summary>
    public static InstructionSet BestInstructionSet => KernelSet.Best;

    /// <summary>
    /// Fits K centres to <paramref name="data"/>: N x D floats, row-major. <paramref name="weights"/> is empty
    /// (all ones) or N non-negative finite weights. Deterministic: the same input, options and seed give the
    /// same bits on every instruction set and thread count.
    /// </summary>
    public static KMeansResult Fit(ReadOnlySpan<float> data, int dimensions, ReadOnlySpan<float> weights,
        KMeansOptions options, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        InputValidator.Shape(data, dimensions, weights);
        InputValidator.Options(options, dimensions);
        cancellationToken.ThrowIfCancellationRequested();

        PointSet points = PointSet.FromRows(data, dimensions, weights);
        KernelSet kernels = KernelSet.Create(options.MaxInstructionSet);
        int degree = options.MaxDegreeOfParallelism ?? Environment.ProcessorCount;

        List<int> distinct = DistinctRows.FirstDistinct(points, options.K);
        if (distinct.Count < options.K)
        {
            // Fewer distinct points than K: they are the optimal centres (inertia 0).
            int k = distinct.Count;
            var centres = new float[k * dimensions];
            for (int c = 0; c < k; c++) points.CopyRow(distinct[c], centres.AsSpan(c * dimensions, dimensions));
            var small = new FitWorkspace(points, k, kernels, degree, cancellationToken);
            double zeroInertia = small.AssignAll(centres, accumulate: false).Inertia;
            return Result(small, centres, zeroInertia, 0, true, options, clock,
                $"Only {k} distinct points (with positive weight) exist, fewer than K = {options.K}; K was lowered to {k} and the distinct points are the centres.");
        }

        var ws = new FitWorkspace(points, options.K, kernels, degree, cancellationToken);
        var rng = new DeterministicRandom(options.Seed);
        bool miniBatch = options.Algorithm == KMeansAlgorithm.MiniBatch;
        float[] initial = miniBatch ? MiniBatchSolver.Initialize(ws, options, rng) : CentroidInitializer.Create(ws, options, rng);
        double tolerance = options.Tolerance * ws.MeanVariance();

        IterationOutcome outcome = options.Algorithm switch
        {
            KMeansAlgorithm.MiniBatch => MiniBatchSolver.Run(ws, initial, options, tolerance, rng),            KMeansAlgorithm.Lloyd => LloydSolver.Run(ws, initial, options, tolerance),
            _ when HamerlySolver.Applies(ws) => HamerlySolver.Run(ws, initial, options, tolerance),
            _ => LloydSolver.Run(ws, initial, options, tolerance),
        };

        // One more labelling pass so labels and inertia belong to the final centres.
        double inertia = ws.AssignAll(outcome.Centroids, accumulate: false).Inertia;
        return Result(ws, outcome.Centroids, inertia, outcome.Iterations, outcome.Converged, options, clock, null);
    }

    private static KMeansResult Result(FitWorkspace ws, float[] centroids, double inertia, int iterations, bool converged,
        KMeansOptions options, Stopwatch clock, string? warning) => new()
        {
            Centroids = centroids,
            Labels = ws.Labels,
            Inertia = inertia,
            K = ws.K,
            Dimensions = ws.Dimensions,
            Iterations = iterations,
            Converged = converged,
            InstructionSet = ws.Kernels.InstructionSet,
            Elapsed = clock.Elapsed,
            Seed = options.Seed,
            Warning = warning,
        };
}
