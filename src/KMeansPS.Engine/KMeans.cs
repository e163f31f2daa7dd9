using System.Diagnostics;
using KMeansPS.Engine.Fitting;
using KMeansPS.Engine.Kernels;
using KMeansPS.Engine.Memory;
using KMeansPS.Engine.Random;

namespace KMeansPS.Engine;

/// <summary>Entry point of the engine.</summary>
internal static class KMeans
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

        // Heavily repeated rows (image pixels) are fitted once each, weighted by their copies: the same objective.
        // Mini-batch samples rows, so it keeps them as they are.
        if (options.Algorithm != KMeansAlgorithm.MiniBatch)
        {
            InputValidator.Weights(weights);
            DuplicateRows.Collapsed? collapsed = options.DistinctRows ? null : DuplicateRows.TryCollapse(data, dimensions, weights, cancellationToken);
            if (collapsed is not null)
            {
                KMeansResult fit = FitRows(collapsed.Data, dimensions, collapsed.Weights, options, clock, cancellationToken);
                var labels = new int[collapsed.RowToUnique.Length];
                for (int i = 0; i < labels.Length; i++) labels[i] = fit.Labels[collapsed.RowToUnique[i]];
                LargeBufferCache.Return(fit.Labels); // the distinct rows' labels, expanded above
                return new KMeansResult
                {
                    Centroids = fit.Centroids, Labels = labels, Inertia = fit.Inertia, K = fit.K, Dimensions = fit.Dimensions,
                    Iterations = fit.Iterations, Converged = fit.Converged, InstructionSet = fit.InstructionSet,
                    Elapsed = clock.Elapsed, Seed = fit.Seed, Warning = fit.Warning, Algorithm = fit.Algorithm,
                };
            }
        }
        return FitRows(data, dimensions, weights, options, clock, cancellationToken);
    }

    private static unsafe KMeansResult FitRows(ReadOnlySpan<float> data, int dimensions, ReadOnlySpan<float> weights,
        KMeansOptions options, Stopwatch clock, CancellationToken cancellationToken)
    {
        int degree = options.MaxDegreeOfParallelism ?? Environment.ProcessorCount;
        if (options.SharedWorkers is { } shared) degree = Math.Min(degree, shared.PerFit);
        PointSet points = PointSet.FromRows(data, dimensions, weights, degree, cancellationToken);
        fixed (float* rows = data)
        {
            points.Rows = rows;
            KMeansResult result;
            try
            {
                result = FitPoints(points, options, clock, cancellationToken);
            }
            finally
            {
                points.Rows = null;
            }
            // The planes go to the next fit of this size (restarts, K sweeps, a palette's seedings); nothing holds them now.
            LargeBufferCache.Return(points.Planes);
            return result;
        }
    }

    private static KMeansResult FitPoints(PointSet points, KMeansOptions options, Stopwatch clock, CancellationToken cancellationToken) =>
        FitChunked(points, ChunkFor(points, options.K), options, clock, cancellationToken);

    /// <summary>
    /// Chunks <paramref name="points"/> for fits of <paramref name="k"/> centres (the chunking decides the sums' bits,
    /// so every fit of these points and K must use this one) and returns their first K distinct rows.
    /// </summary>
    internal static List<int> ChunkFor(PointSet points, int k)
    {
        List<int> distinct = DistinctRows.FirstDistinct(points, k);
        points.UseChunkSize(ChunkScheduler.ChunkSizeFor(points.Count, distinct.Count, points.Dimensions));
        return distinct;
    }

    /// <summary>
    /// The fit proper, on points already chunked for <paramref name="options"/>' K, whose first K distinct rows are
    /// <paramref name="distinct"/>; reads the points only, so fits of one <see cref="PreparedFit"/> may run at once.
    /// </summary>
    internal static KMeansResult FitChunked(PointSet points, List<int> distinct, KMeansOptions options, Stopwatch clock,
        CancellationToken cancellationToken)
    {
        int dimensions = points.Dimensions;
        int degree = options.MaxDegreeOfParallelism ?? Environment.ProcessorCount;
        KernelSet kernels = KernelSet.Create(options.MaxInstructionSet);

        // Given centres are the start asked for, whatever the points hold (a stream's first rows may be one point repeated):
        // K stays; a centre no point is nearest is repaired as in any fit (moved onto the farthest point).
        if (distinct.Count < options.K && options.Init != KMeansInit.Given)
        {
            // Fewer distinct points than K: they are the optimal centres (inertia 0).
            int k = distinct.Count;
            var centres = new float[k * dimensions];
            for (int c = 0; c < k; c++) points.CopyRow(distinct[c], centres.AsSpan(c * dimensions, dimensions));
            var small = new FitWorkspace(points, k, kernels, degree, cancellationToken, options.SharedWorkers);
            double zeroInertia = small.AssignAll(centres, accumulate: false).Inertia;
            KMeansResult fewer = Result(small, centres, zeroInertia, 0, true, options, clock,
                k == 1
                    ? $"Only 1 distinct point (with positive weight) exists, fewer than K = {options.K}; K was lowered to 1 and that point is the centre."
                    : $"Only {k} distinct points (with positive weight) exist, fewer than K = {options.K}; K was lowered to {k} and the distinct points are the centres.");
            small.ReturnBuffers();
            return fewer;
        }

        var ws = new FitWorkspace(points, options.K, kernels, degree, cancellationToken, options.SharedWorkers);
        var rng = new DeterministicRandom(options.Seed);
        bool miniBatch = options.Algorithm == KMeansAlgorithm.MiniBatch;
        float[] initial = miniBatch ? MiniBatchSolver.Initialize(ws, options, rng) : CentroidInitializer.Create(ws, options, rng);
        // Tolerance 0 needs no scale (scikit-learn skips it too): the variance is a full pass over the data.
        double tolerance = options.Tolerance > 0 ? options.Tolerance * ws.MeanVariance() : 0;

        KMeansAlgorithm scheme = options.Algorithm switch
        {
            KMeansAlgorithm.MiniBatch => KMeansAlgorithm.MiniBatch,
            KMeansAlgorithm.Hamerly when HamerlySolver.Applies(ws, initial) => KMeansAlgorithm.Hamerly,
            KMeansAlgorithm.Auto when HamerlySolver.PaysOff(ws) && HamerlySolver.Applies(ws, initial) => KMeansAlgorithm.Hamerly,
            _ => KMeansAlgorithm.Lloyd,
        };
        IterationOutcome outcome = scheme switch
        {
            KMeansAlgorithm.MiniBatch => MiniBatchSolver.Run(ws, initial, options, tolerance, rng),
            KMeansAlgorithm.Hamerly => HamerlySolver.Run(ws, initial, options, tolerance),
            _ => LloydSolver.Run(ws, initial, options, tolerance),
        };

        // One more labelling pass so labels and inertia belong to the final centres.
        double inertia = ws.AssignAll(outcome.Centroids, accumulate: false).Inertia;
        KMeansResult result = Result(ws, outcome.Centroids, inertia, outcome.Iterations, outcome.Converged, options, clock, null, scheme);
        ws.ReturnBuffers();
        return result;
    }

    /// <summary>
    /// Labels each row of <paramref name="data"/> (N x D, row-major) with the index of its nearest centre in
    /// <paramref name="centroids"/> (K x D, row-major; ties go to the lowest index) and returns the inertia:
    /// the sum of weight x squared distance (weights empty = all 1). Same kernels and sums as
    /// <see cref="Fit"/>'s final labelling pass, so predicting a fit's own data reproduces its labels and inertia.
    /// </summary>
    public static double Predict(ReadOnlySpan<float> data, int dimensions, ReadOnlySpan<float> centroids, Span<int> labels,
        ReadOnlySpan<float> weights = default, int? maxDegreeOfParallelism = null, InstructionSet? maxInstructionSet = null,
        CancellationToken cancellationToken = default)
    {
        InputValidator.Shape(data, dimensions, weights);
        InputValidator.CentroidRows(centroids, dimensions, nameof(centroids));
        int n = data.Length / dimensions;
        if (labels.Length != n) throw new ArgumentException($"labels has {labels.Length} slots for {n} points.", nameof(labels));
        int degree = InputValidator.Degree(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        RequireFinite(data, dimensions);
        InputValidator.Weights(weights);
        return PointAssigner.Assign(data, dimensions, centroids, labels, weights, KernelSet.Create(maxInstructionSet),
            degree, null, null, cancellationToken);
    }

    /// <summary>
    /// As <see cref="Predict"/> (the same labels), plus each point's squared distance to its centre and to the second
    /// nearest, in float32 as the kernels compute them: how close each label came to being another.
    /// </summary>
    public static void PredictNearestTwo(ReadOnlySpan<float> data, int dimensions, ReadOnlySpan<float> centroids, Span<int> labels,
        float[] nearest, float[] second, int? maxDegreeOfParallelism = null, InstructionSet? maxInstructionSet = null,
        CancellationToken cancellationToken = default)
    {
        InputValidator.Shape(data, dimensions, default);
        InputValidator.CentroidRows(centroids, dimensions, nameof(centroids));
        ArgumentNullException.ThrowIfNull(nearest);
        ArgumentNullException.ThrowIfNull(second);
        int n = data.Length / dimensions;
        if (labels.Length != n || nearest.Length < n || second.Length < n)
            throw new ArgumentException($"labels, nearest and second need {n} slots each, one per point.", nameof(labels));
        int degree = InputValidator.Degree(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        RequireFinite(data, dimensions);
        PointAssigner.Assign(data, dimensions, centroids, labels, default, KernelSet.Create(maxInstructionSet), degree, nearest, second, cancellationToken);
    }

    private static void RequireFinite(ReadOnlySpan<float> data, int dimensions)
    {
        for (int i = 0; i < data.Length; i++)
        {
            if (!float.IsFinite(data[i]))
                throw new ArgumentException($"Row {i / dimensions} holds {data[i]} in dimension {i % dimensions}; every value must be finite (no NaN or infinity).", nameof(data));
        }
    }

    private static KMeansResult Result(FitWorkspace ws, float[] centroids, double inertia, int iterations, bool converged,
        KMeansOptions options, Stopwatch clock, string? warning, KMeansAlgorithm? scheme = null) => new()
        {
            Algorithm = scheme ?? (options.Algorithm == KMeansAlgorithm.MiniBatch ? KMeansAlgorithm.MiniBatch : KMeansAlgorithm.Lloyd),
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
