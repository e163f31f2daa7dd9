using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Runtime.ExceptionServices;
using KMeansPS.Clustering;
using KMeansPS.Engine;
using KMeansPS.Input;
using KMeansPS.Output;

namespace KMeansPS.Bridge;

/// <summary>
/// One Invoke-KMeans fit: the user's values become float32 engine values in a centred, scaled space (see
/// <see cref="FeatureSpace"/>); the engine fits (the best of -Restarts seeded runs, several at once when the data is too
/// small to keep every core busy; each run is finished as below and the lowest inertia kept); then the centres are the double-precision means of their points in user units, the
/// points are labelled against those centres exactly as a later Invoke-KMeans -Model would label them (nearest in double
/// precision: <see cref="PointAssignment"/>), and the inertia is measured in double precision. With -Tolerance 0 the
/// last two steps repeat until no label changes. Keeps the latest progress for the pipeline thread. Engine types stay in the bridge
/// so cmdlet classes never need the engine assembly before the module initializer has run.
/// </summary>
internal sealed class ClusteringRun
{
    /// <summary>The warning given with an inertia beyond the largest double, by a fit and by -Model.</summary>
    internal const string InfiniteInertia =
        "The inertia exceeds the largest double (the squared distances are beyond 1.8e308) and is reported as Infinity; the centroids and labels are exact.";

    /// <summary>The warning given with an inertia below double's normal range although points lie apart from their centres.</summary>
    internal const string UnderflowedInertia =
        "The inertia is below 2.2e-308, the smallest double held to full precision (squared differences under 1.5e-162 round to 0), so its digits are not exact and it may be reported as 0 although the points are not at their centres; the centroids and labels are exact. Scale the data up to measure it.";

    internal const int ActivityId = 41;
    // Restart r starts from seed + r x this odd constant; the engine's SplitMix64 seeding makes the streams unrelated.
    private const ulong RestartSeedStep = 0x9E3779B97F4A7C15UL;

    private readonly FitSettings _settings;
    private KMeansProgress _latest;
    private int _runsDone;
    private bool _hasNew;
    private volatile string _phase = "Preparing the data (centring and scaling)";
    private int _percentShown; // read and written on the pipeline thread only
    private string? _mergedInitialCentres;

    internal ClusteringRun(FitSettings settings) => _settings = settings;

    /// <summary>The seed of restart <paramref name="run"/> (run 0 uses the seed itself, so one run is the plain fit).</summary>
    internal static ulong RunSeed(int seed, int run) => (ulong)seed + (ulong)run * RestartSeedStep;

    internal KMeansModel Fit(PointTable table, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        int dims = table.Dimensions;
        double[]? mean = null, deviation = null;
        if (_settings.Standardize) (mean, deviation) = ExactStatistics.Standardization(table, _settings.MaxThreads);
        FeatureSpace space = FeatureSpace.ForData(table, mean, deviation, _settings.MaxThreads);
        float[] weights = FeatureSpace.EngineWeights(table);
        float[]? initial = InitialCentroids(space, dims);
        float[] rows = space.EngineRows(table, out _, _settings.MaxThreads); // the data spans the space: nothing is beyond its limit

        Phase("Fitting");
        KMeansResult[] runs = Runs(rows, dims, weights, initial, cancellationToken);
        Phase("Labelling the points (exact centres, labels and inertia)");
        // Each run is finished in double precision and the lowest inertia so found is kept: the engine's float32 inertia
        // ranks runs differently often enough (a -Tolerance 0 run that moves on in double precision, near ties) that the
        // best of ten was sometimes worse than the first alone, which the printed inertia then showed.
        KMeansResult best = runs[0];
        Refined chosen = Refine(table, space, rows, best, mean, deviation, cancellationToken);
        var finished = new List<KMeansResult> { best };
        foreach (KMeansResult run in runs.Skip(1))
        {
            // Restarts often end in the same partition: the same labels and centres finish the same, and a tie keeps the
            // earlier run, so such a run needs no second finishing.
            if (finished.Any(f => f.Labels.AsSpan().SequenceEqual(run.Labels) && f.Centroids.AsSpan().SequenceEqual(run.Centroids))) continue;
            finished.Add(run);
            Refined refined = Refine(table, space, rows, run, mean, deviation, cancellationToken);
            if (refined.Inertia < chosen.Inertia || (double.IsNaN(chosen.Inertia) && !double.IsNaN(refined.Inertia)))
                (best, chosen) = (run, refined);
        }
        (double[][] centroids, int[] labels, int iterations, bool converged, double inertia, bool apart) = chosen;
        var sizes = new int[best.K];
        var clusterWeights = new double[best.K];
        for (int i = 0; i < labels.Length; i++)
        {
            sizes[labels[i]]++;
            clusterWeights[labels[i]] += table.Weight(i);
        }
        string? warning = FitWarning(table, space, best, sizes);
        string? beyondDouble = double.IsPositiveInfinity(inertia) ? InfiniteInertia
            : ExactStatistics.IsUnderflowed(inertia, apart) ? UnderflowedInertia
            : null;
        if (beyondDouble is not null) warning = (warning is null ? "" : warning + " ") + beyondDouble;
        return new KMeansModel
        {
            K = best.K,
            Count = table.Count,
            Properties = table.Names,
            Centroids = centroids,
            Labels = labels,
            ClusterSizes = sizes,
            ClusterWeights = clusterWeights,
            Inertia = inertia,
            Iterations = iterations,
            Converged = converged,
            Algorithm = best.Algorithm.ToOutput(), // what ran: Auto resolved
            InstructionSet = best.InstructionSet.ToString(),
            Elapsed = clock.Elapsed,
            Seed = _settings.Seed,
            Restarts = _settings.Restarts,
            Means = mean,
            StandardDeviations = deviation,
            Warning = warning,
        };
    }

    /// <summary>A run finished in double precision: centres, labels, iterations, whether it converged, and its inertia.</summary>
    private readonly record struct Refined(double[][] Centroids, int[] Labels, int Iterations, bool Converged, double Inertia, bool Apart);

    /// <summary>
    /// One engine run in user units: the centres are the exact means of its clusters, the points are labelled against
    /// them in double precision, and with -Tolerance 0 both repeat until no label changes; then the inertia.
    /// </summary>
    private Refined Refine(PointTable table, FeatureSpace space, float[] rows, KMeansResult best, double[]? mean, double[]? deviation,
        CancellationToken cancellationToken)
    {
        int dims = table.Dimensions;
        // Centres in user units: the exact means of the engine's clusters; then labels and inertia against them.
        double[][] engineCentres = new double[best.K][];
        for (int c = 0; c < best.K; c++)
        {
            engineCentres[c] = new double[dims];
            for (int j = 0; j < dims; j++) engineCentres[c][j] = space.Original(space.WorkingFromEngine(best.Centroids[c * dims + j], j), j);
        }
        double[][] centroids = ExactStatistics.Means(table, best.Labels, best.K, space, engineCentres, _settings.MaxThreads);
        int[] labels = PointAssignment.Assign(table, centroids, mean, deviation, _settings.MaxThreads, cancellationToken, reuse: rows);
        int iterations = best.Iterations;
        bool converged = best.Converged;
        // -Tolerance 0 asks for a fixed point, which the engine reached in float32: carried on in double precision until
        // the labels hold still, the centroids are the means of the points labelled with them (as a float64 Lloyd ends).
        if (_settings.Tolerance == 0 && converged && best.Algorithm != Engine.KMeansAlgorithm.MiniBatch)
        {
            int[] from = best.Labels;
            while (!labels.AsSpan().SequenceEqual(from))
            {
                if (iterations >= _settings.MaxIterations)
                {
                    converged = false;
                    break;
                }
                cancellationToken.ThrowIfCancellationRequested();
                centroids = ExactStatistics.Means(table, labels, best.K, space, centroids, _settings.MaxThreads);
                from = labels;
                labels = PointAssignment.Assign(table, centroids, mean, deviation, _settings.MaxThreads, cancellationToken, reuse: rows);
                iterations++;
            }
        }
        double inertia = ExactStatistics.Inertia(table, labels, ExactStatistics.ToWorking(centroids, space), space, _settings.MaxThreads, out bool apart);
        return new Refined(centroids, labels, iterations, converged, inertia, apart);
    }

    // What the user must be told about the fit: float32 merging the data's values (then the engine's own "only k distinct
    // points" would mislead: the data has more, the engine cannot see them), and clusters left with no point.
    private string? FitWarning(PointTable table, FeatureSpace space, KMeansResult best, int[] sizes)
    {
        var parts = new List<string>();
        string? merged = PrecisionCheck.Describe(table, space);
        if (merged is not null)
        {
            parts.Add(merged);
            if (best.K < _settings.K)
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"At that resolution only {best.K} distinct points exist, so K was lowered from {_settings.K} to {best.K}."));
        }
        else if (best.K < _settings.K && DistinctUpToK(table) is var distinct && distinct > best.K)
        {
            // The engine saw best.K distinct points, the data holds more: float32 merged them, though too few of a
            // column's sampled values to trip PrecisionCheck (a few close pairs far apart: 1e12 and 1e12 + 5000 ms).
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"The data holds {(distinct >= _settings.K ? "at least " : "")}{distinct} distinct points, but the engine clusters in float32, which tells values apart only to about {PrecisionCheck.Resolution(space):G3} here (2^-24 of the widest column's range): at that resolution they are {best.K}, so K was lowered from {_settings.K} to {best.K}, and each centre is the mean of the points that merged. Points closer than that cannot be put in different clusters; cluster such a group on its own to separate them."));
        }
        else if (best.Warning is not null)
        {
            parts.Add(best.Warning);
        }
        if (_mergedInitialCentres is not null) parts.Add(_mergedInitialCentres);
        int[] empty = Enumerable.Range(0, sizes.Length).Where(c => sizes[c] == 0).ToArray();
        if (empty.Length > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"{(empty.Length == 1 ? "Cluster" : "Clusters")} {string.Join(", ", empty)} {(empty.Length == 1 ? "holds" : "hold")} no point after the final assignment; {(empty.Length == 1 ? "its centre is" : "their centres are")} where the fit left {(empty.Length == 1 ? "it" : "them")}, not the mean of any points."));
        }
        return parts.Count == 0 ? null : string.Join(" ", parts);
    }

    /// <summary>Distinct points of positive weight in the data, in double precision, counted up to K.</summary>
    private int DistinctUpToK(PointTable table)
    {
        var counter = new DistinctRowCounter(_settings.K);
        counter.Scan(table);
        return counter.Distinct;
    }

    /// <summary>
    /// A note when distinct -InitialCentroids are one point in float32 (the engine then starts with fewer centres than
    /// given, and the rest end empty or elsewhere), or null.
    /// </summary>
    private static string? MergedCentres(double[][] given, float[] engine, int dims, FeatureSpace space)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < given.Length; c++)
        {
            string key = string.Join(",", Enumerable.Range(0, dims).Select(j => BitConverter.SingleToInt32Bits(engine[c * dims + j] + 0f)));
            if (!first.TryAdd(key, c) && !given[first[key]].AsSpan().SequenceEqual(given[c]))
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"Initial centres {first[key]} and {c} differ, but not by the about {PrecisionCheck.Resolution(space):G3} (2^-24 of the widest column's range) that float32 tells apart here, so the engine started them as one point.");
            }
        }
        return null;
    }

    private float[]? InitialCentroids(FeatureSpace space, int dims)
    {
        double[][]? given = _settings.InitialCentroids;
        if (given is null) return null;
        if (given.Length != _settings.K || given.Any(c => c is null || c.Length != dims))
        {
            throw new FitInputException(ErrorIds.InitialCentroidsMismatch,
                $"-InitialCentroids needs K = {_settings.K} centres of {dims} coordinates each (one per clustered property), " +
                $"but holds {given.Length} of {string.Join(", ", given.Select(c => c?.Length ?? 0).Distinct())}.");
        }
        float[]? engine = space.EngineCentroids(given);
        if (engine is null)
        {
            throw new FitInputException(ErrorIds.InitialCentroidOutOfRange,
                "An initial centre lies so far from the data (more than 2^50 times the data's spread from its middle) that squared distances to it overflow; give centres near the data.");
        }
        _mergedInitialCentres = MergedCentres(given, engine, dims, space);
        return engine;
    }

    private KMeansResult[] Runs(float[] rows, int dims, float[] weights, float[]? initial, CancellationToken cancellationToken)
    {
        int runs = initial is null ? _settings.Restarts : 1;
        int threads = _settings.MaxThreads;
        // A fit spreads its passes over chunks of 4096 points; with fewer chunks than threads, run fits side by side.
        int chunks = (int)Math.Min(int.MaxValue, (rows.LongLength / dims + 4095) / 4096);
        int together = Math.Clamp(threads / Math.Max(1, Math.Min(threads, chunks)), 1, runs);
        int perRun = Math.Max(1, threads / together);
        var results = new KMeansResult[runs];
        void Run(int run)
        {
            results[run] = KMeans.Fit(rows, dims, weights, Options(RunSeed(_settings.Seed, run), initial, perRun), cancellationToken);
            Interlocked.Increment(ref _runsDone);
        }
        if (together == 1)
        {
            for (int run = 0; run < runs; run++) Run(run);
        }
        else
        {
            try
            {
                Parallel.For(0, runs, new ParallelOptions { MaxDegreeOfParallelism = together, CancellationToken = cancellationToken }, Run);
            }
            catch (AggregateException e)
            {
                // The first failure as itself, so the cmdlet reports it with its own id.
                ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }
        }
        return results;
    }

    private KMeansOptions Options(ulong seed, float[]? initial, int threads) => new()
    {
        K = _settings.K,
        Algorithm = _settings.Algorithm.ToEngine(),
        Init = initial is not null ? Engine.KMeansInit.Given : _settings.Init.ToEngine(),
        InitialCentroids = initial,
        MaxIterations = _settings.MaxIterations,
        Tolerance = _settings.Tolerance,
        Seed = seed,
        BatchSize = _settings.BatchSize,
        MaxDegreeOfParallelism = threads,
        Progress = new Reporter(this),
    };

    // A new phase of the fit (on the worker thread): the next progress record tells it.
    private void Phase(string phase)
    {
        lock (this)
        {
            _phase = phase;
            _hasNew = true;
        }
    }

    /// <summary>
    /// The newest progress as a record, or null when nothing changed since the last call: the phase (preparing, fitting,
    /// labelling) and while fitting the run and its iteration. The percentage counts finished runs and the current run's
    /// iterations of at most -MaxIterations (a fit that converges early jumps to the end).
    /// </summary>
    internal ProgressRecord? Progress()
    {
        KMeansProgress p;
        string phase;
        lock (this)
        {
            if (!_hasNew) return null;
            _hasNew = false;
            (p, phase) = (_latest, _phase);
        }
        int runsDone = Volatile.Read(ref _runsDone);
        int restarts = _settings.Restarts;
        if (phase != "Fitting")
        {
            return new ProgressRecord(ActivityId, "Invoke-KMeans", phase) { PercentComplete = runsDone >= restarts ? 99 : -1 };
        }
        string runs = restarts > 1
            ? string.Create(CultureInfo.InvariantCulture, $"run {Math.Min(restarts, runsDone + 1)} of {restarts}, ")
            : "";
        double inRun = p.MaxIterations > 0 ? Math.Min(1.0, (double)p.Iteration / p.MaxIterations) : 0;
        // Runs side by side report in turn, and a finished run's last iteration may be read after the next began.
        int percent = _percentShown = Math.Max(_percentShown, (int)Math.Min(99, 100 * (runsDone + inRun) / restarts));
        return new ProgressRecord(ActivityId, "Invoke-KMeans",
            string.Create(CultureInfo.InvariantCulture, $"Fitting: {runs}iteration {p.Iteration} of at most {p.MaxIterations}"))
        {
            PercentComplete = percent,
        };
    }

    // Called on the engine's threads: only store; the pipeline thread writes.
    private sealed class Reporter(ClusteringRun owner) : IProgress<KMeansProgress>
    {
        public void Report(KMeansProgress value)
        {
            lock (owner)
            {
                owner._latest = value;
                owner._hasNew = true;
            }
        }
    }
}
