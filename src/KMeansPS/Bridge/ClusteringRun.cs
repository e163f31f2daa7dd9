using System.Management.Automation;
using KMeansPS.Engine;
using KMeansPS.Output;

namespace KMeansPS.Bridge;

/// <summary>
/// One engine fit for Invoke-KMeans: maps cmdlet options to the engine, keeps the latest progress for the
/// pipeline thread, and turns the engine's result into the public model. Engine types stay in this class so
/// cmdlet classes never need the engine assembly before the module initializer has run.
/// </summary>
internal sealed class ClusteringRun
{
    internal const int ActivityId = 41;

    private readonly int _k;
    private readonly Output.KMeansAlgorithm _algorithm;
    private readonly Output.KMeansInit _init;
    private readonly double[][]? _initial;
    private readonly int _maxIterations;
    private readonly double _tolerance;
    private readonly int _seed;
    private readonly int _batchSize;
    private readonly int _threads;
    private KMeansProgress _latest;
    private bool _hasNew;

    internal ClusteringRun(int k, Output.KMeansAlgorithm algorithm, Output.KMeansInit init, double[][]? initial,
        int maxIterations, double tolerance, int seed, int batchSize, int threads)
    {
        _k = k;
        _algorithm = algorithm;
        _init = init;
        _initial = initial;
        _maxIterations = maxIterations;
        _tolerance = tolerance;
        _seed = seed;
        _batchSize = batchSize;
        _threads = threads;
    }

    internal KMeansModel Run(double[] data, int dimensions, float[] weights, string[] names, CancellationToken cancellationToken)
    {
        var points = new float[data.Length];
        for (int i = 0; i < data.Length; i++) points[i] = (float)data[i];

        var options = new KMeansOptions
        {
            K = _k,
            Algorithm = _algorithm.ToEngine(),
            Init = _initial is not null ? Engine.KMeansInit.Given : _init.ToEngine(),
            InitialCentroids = _initial?.SelectMany(c => c.Select(v => (float)v)).ToArray(),
            MaxIterations = _maxIterations,
            Tolerance = _tolerance,
            Seed = (ulong)_seed,
            BatchSize = _batchSize,
            MaxDegreeOfParallelism = _threads,
            Progress = new Reporter(this),
        };
        KMeansResult result = KMeans.Fit(points, dimensions, weights, options, cancellationToken);

        var centroids = new double[result.K][];
        for (int c = 0; c < result.K; c++)
        {
            centroids[c] = new double[dimensions];
            for (int j = 0; j < dimensions; j++) centroids[c][j] = result.Centroids[c * dimensions + j];
        }
        return new KMeansModel(result.K, names, centroids, result.Labels, result.Inertia, result.Iterations,
            result.Converged, _algorithm, result.InstructionSet.ToString(), result.Elapsed, _seed, result.Warning);
    }

    /// <summary>The newest progress as a record, or null when nothing changed since the last call.</summary>
    internal ProgressRecord? Progress()
    {
        KMeansProgress p;
        lock (this)
        {
            if (!_hasNew) return null;
            _hasNew = false;
            p = _latest;
        }
        int percent = p.MaxIterations > 0 ? Math.Min(99, 100 * p.Iteration / p.MaxIterations) : -1;
        return new ProgressRecord(ActivityId, "Invoke-KMeans", $"Iteration {p.Iteration}, inertia {p.Inertia:G6}")
        {
            PercentComplete = percent,
        };
    }

    // Called on the engine's thread: only store; the pipeline thread writes.
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
