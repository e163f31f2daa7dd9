using System.Diagnostics;
using KMeansPS.Clustering;
using KMeansPS.Engine;
using KMeansPS.Input;
using KMeansPS.Output;

namespace KMeansPS.Bridge;

/// <summary>
/// Invoke-KMeans -Stream: mini-batch k-means fitted batch by batch as the rows arrive, none kept after its batch (the
/// engine's <see cref="MiniBatchStream"/>). The first rows fix the space the engine works in (centre and scale, and the
/// z-scores with -Standardize) and are fitted completely; each later batch moves the centres once.
/// </summary>
internal sealed class StreamingRun(FitSettings settings)
{
    private readonly Stopwatch _clock = new();
    private MiniBatchStream? _stream;
    private FeatureSpace? _space;
    private string[] _names = [];
    private int _weightExponent;

    public bool Started => _stream is not null;

    /// <summary>Rows the engine has fitted so far.</summary>
    public long Rows => _stream?.Rows ?? 0;

    /// <summary>Fits the first rows and fixes the space; <paramref name="heldK"/>: they hold K distinct points (in the input's units).</summary>
    public void Start(PointTable first, bool heldK, CancellationToken cancellationToken)
    {
        _heldK = heldK;
        _clock.Start();
        _names = first.Names;
        double[]? mean = null, deviation = null;
        if (settings.Standardize) (mean, deviation) = ExactStatistics.Standardization(first);
        _space = FeatureSpace.ForData(first, mean, deviation);
        _precision = PrecisionCheck.Describe(first, _space);
        float[]? initial = null;
        if (settings.InitialCentroids is { } given)
        {
            if (given.Length != settings.K || given.Any(c => c is null || c.Length != first.Dimensions))
                throw new FitInputException(ErrorIds.InitialCentroidsMismatch,
                    $"-InitialCentroids needs K = {settings.K} centres of {first.Dimensions} coordinates each (one per clustered property).");
            initial = _space.EngineCentroids(given)
                ?? throw new FitInputException(ErrorIds.InitialCentroidOutOfRange,
                    "An initial centre lies so far from the first rows (more than 2^50 times their spread from their middle) that squared distances to it overflow; give centres near the data.");
        }
        _stream = new MiniBatchStream(first.Dimensions, new KMeansOptions
        {
            K = settings.K,
            Init = initial is not null ? Engine.KMeansInit.Given : settings.Init.ToEngine(),
            InitialCentroids = initial,
            MaxIterations = settings.MaxIterations,
            Tolerance = settings.Tolerance,
            Seed = (ulong)settings.Seed,
            MaxDegreeOfParallelism = settings.MaxThreads,
        });
        float[] rows = _space.EngineRows(first, out _);
        float[] weights = FeatureSpace.EngineWeights(first);
        // Later batches keep the first rows' weight scale, so that every row counts the same in the running means.
        _weightExponent = first.Weights is null ? 0 : FeatureSpace.WeightExponent(first);
        _stream.Start(rows, weights, cancellationToken);
        _firstRows = first.Count;
    }

    private int _firstRows;
    private bool _heldK;

    /// <summary>
    /// One step on a batch; returns the rows (indices in the batch) it left out: lying too far beyond the first rows'
    /// range to be used (Far), or weighing more than float32 holds at the first rows' weight scale (Heavy, not counting
    /// rows already far).
    /// </summary>
    public (IReadOnlyList<int> Far, IReadOnlyList<int> Heavy) Step(PointTable batch, CancellationToken cancellationToken)
    {
        int dims = batch.Dimensions;
        float[] rows = _space!.EngineRows(batch, out List<int>? beyond);
        float[] weights = FeatureSpace.EngineWeights(batch, _weightExponent);
        var left = new HashSet<int>(beyond ?? []);
        var heavy = new List<int>();
        for (int i = 0; i < weights.Length; i++)
            if (float.IsPositiveInfinity(weights[i]) && left.Add(i)) heavy.Add(i);
        if (left.Count > 0)
        {
            int[] kept = Enumerable.Range(0, batch.Count).Where(i => !left.Contains(i)).ToArray();
            rows = kept.SelectMany(i => rows.AsSpan(i * dims, dims).ToArray()).ToArray();
            if (weights.Length > 0) weights = kept.Select(i => weights[i]).ToArray();
        }
        // A batch with no row, or with nothing but zero weights, moves no centre.
        if (rows.Length > 0 && (weights.Length == 0 || weights.Any(w => w > 0)))
        {
            long before = _stream!.Rows;
            _stream.PartialFit(rows, weights, cancellationToken);
            // The rows as the input counts them (a matrix's have no numbers: then as the stream counts them).
            if (_firstFarRows is null && _stream.Order.FarBatches > 0)
                _firstFarRows = (batch.RowNumber(0) ?? before + 1, batch.RowNumber(batch.Count - 1) ?? _stream.Rows);
        }
        return ((IReadOnlyList<int>?)beyond ?? [], heavy);
    }

    /// <summary>The first column of a far row (<see cref="Step"/>) that lies beyond the first rows' range, and its value.</summary>
    public (string Column, double Value) FarValue(PointTable batch, int row)
    {
        int j = Math.Max(0, _space!.FarColumn(batch, row));
        return (batch.Names[j], batch.Value(row, j));
    }

    public KMeansModel Finish() => new()
    {
        K = _stream!.K,
        Count = (int)Math.Min(int.MaxValue, _stream.Rows),
        Properties = _names,
        Centroids = EngineCentroidsInUserUnits(),
        Labels = [],
        ClusterSizes = _stream.ClusterRows().Select(s => (int)Math.Min(int.MaxValue, s)).ToArray(),
        Inertia = double.NaN,
        Iterations = _stream.StartIterations + _stream.Steps,
        Converged = _stream.StartConverged,
        Algorithm = Output.KMeansAlgorithm.MiniBatch,
        InstructionSet = _stream.InstructionSet.ToString(),
        Elapsed = _clock.Elapsed,
        Seed = settings.Seed,
        Means = _space!.Mean,
        StandardDeviations = _space.Deviation,
        Streamed = true,
        // The first rows fix the space: a far outlier among them squeezes every later row as well.
        Warning = string.Join(" ", new[] { _precision, StreamWarning, OrderWarning }.Where(w => w is not null)) is { Length: > 0 } all ? all : null,
    };

    /// <summary>
    /// The engine's warning, but said of the stream when the first rows (which it waited for until they held K distinct
    /// points, or the input ended, or it could hold no more) held fewer: later rows cannot add centres.
    /// </summary>
    private string? StreamWarning => _stream!.K < settings.K && !_heldK // else distinct values met in float32: the engine's own words
        ? (_stream.K == 1 ? "Only 1 distinct point (with positive weight) is" : $"Only {_stream.K} distinct points (with positive weight) are") +
          $" among the first {_firstRows} rows, from which the stream starts, fewer than K = {settings.K}; " +
          $"K was lowered to {_stream.K} for the whole stream. Put varied rows first (shuffle the input), or give -InitialCentroids."
        : _stream.Warning;

    private string? _precision;
    private (long First, long Last)? _firstFarRows;

    /// <summary>Said when the batches' clusters came in proportions random order would not give (<see cref="StreamOrderCheck"/>).</summary>
    private string? OrderWarning
    {
        get
        {
            StreamOrderCheck order = _stream!.Order;
            if (order.FirstFar is not { } far || _firstFarRows is not { } rows) return null;
            return FormattableString.Invariant($"The rows do not come in random order: rows {rows.First:N0}-{rows.Last:N0} fall into the clusters in other proportions than the rows before them ") +
                FormattableString.Invariant($"({far.Share:P0} of them would have to change cluster to match, where random order gives at most {Math.Max(StreamOrderCheck.MinShare, far.Bound):P0}), ") +
                FormattableString.Invariant($"and {order.FarBatches:N0} of {order.Batches:N0} batches were that far. Mini-batch k-means over rows sorted or drifting this way can end far from ") +
                "a fit of all the rows (rows sorted by cluster: many times its inertia). Shuffle the rows first (Get-Random -Shuffle), or fit without -Stream.";
        }
    }

    private double[][] EngineCentroidsInUserUnits()
    {
        double[] centres = _stream!.Centroids();
        int dims = _names.Length;
        var result = new double[_stream.K][];
        for (int c = 0; c < result.Length; c++)
        {
            result[c] = new double[dims];
            for (int j = 0; j < dims; j++) result[c][j] = _space!.Original(_space.WorkingFromEngine(centres[c * dims + j], j), j);
        }
        return result;
    }
}
