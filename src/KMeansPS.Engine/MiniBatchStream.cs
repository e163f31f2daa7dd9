using KMeansPS.Engine.Fitting;
using KMeansPS.Engine.Kernels;
using KMeansPS.Engine.Random;

namespace KMeansPS.Engine;

/// <summary>
/// Mini-batch k-means over a stream whose rows are never all in memory, in the manner of scikit-learn's
/// MiniBatchKMeans.partial_fit: <see cref="Start"/> fits the first rows completely (k-means++ and Lloyd, as
/// <see cref="KMeans.Fit"/>), and each <see cref="PartialFit"/> then labels one batch against the current centres and
/// moves each centre to the running weighted mean of every row it has received, in double precision. Centres whose
/// share of the weight falls below 1 % of the largest are moved to random rows of a batch now and then (every 10 x K
/// rows, or when one has none), as scikit-learn does. The result depends only on the rows, their order and the seed:
/// labelling uses the engine's kernels, bit-identical on every instruction set, and the sums run in row order.
/// </summary>
internal sealed class MiniBatchStream
{
    private const double ReassignmentRatio = 0.01;

    private readonly int _dims;
    private readonly KMeansOptions _options;
    private readonly KernelSet _kernels;
    private readonly DeterministicRandom _rng;
    private double[] _centres = [];
    private float[] _centresSingle = [];
    private double[] _weights = [];
    private long[] _rowsPerCentre = [];
    private long _sinceReassign;

    /// <param name="dimensions">Coordinates per row.</param>
    /// <param name="options">K, Seed, Init (and InitialCentroids), MaxIterations and Tolerance of the first fit,
    /// MaxDegreeOfParallelism and MaxInstructionSet; Algorithm and BatchSize are the caller's business.</param>
    public MiniBatchStream(int dimensions, KMeansOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (dimensions < 1) ThrowHelper.OutOfRange(nameof(dimensions), dimensions, "Dimensions must be at least 1.");
        InputValidator.Options(options, dimensions);
        _dims = dimensions;
        _options = options;
        _kernels = KernelSet.Create(options.MaxInstructionSet);
        // Its own stream of draws for reassignment, apart from the first fit's.
        _rng = new DeterministicRandom(options.Seed ^ 0x5DEECE66DUL);
    }

    /// <summary>Centres: K, lower than asked when the first rows held fewer distinct points.</summary>
    public int K { get; private set; }
    public bool Started { get; private set; }
    /// <summary>Rows fitted so far, <see cref="Start"/>'s included.</summary>
    public long Rows { get; private set; }
    /// <summary>Batches fitted by <see cref="PartialFit"/>.</summary>
    public int Steps { get; private set; }
    /// <summary>Iterations and convergence of the first fit.</summary>
    public int StartIterations { get; private set; }
    public bool StartConverged { get; private set; }
    public InstructionSet InstructionSet => _kernels.InstructionSet;
    /// <summary>The first fit's warning, when K had to be lowered.</summary>
    public string? Warning { get; private set; }
    /// <summary>Whether the batches came in an order mini-batch k-means can use (rows shuffled, not sorted or drifting).</summary>
    public StreamOrderCheck Order { get; private set; } = new(1);

    /// <summary>Fits the first rows (N x D, row-major, weights empty or one per row) completely, giving the first centres.</summary>
    public void Start(ReadOnlySpan<float> rows, ReadOnlySpan<float> weights, CancellationToken cancellationToken = default)
    {
        if (Started) throw new InvalidOperationException("The stream has already started.");
        var first = new KMeansOptions
        {
            K = _options.K,
            Algorithm = KMeansAlgorithm.Auto,
            Init = _options.Init,
            InitialCentroids = _options.InitialCentroids,
            MaxIterations = _options.MaxIterations,
            Tolerance = _options.Tolerance,
            Seed = _options.Seed,
            MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism,
            MaxInstructionSet = _options.MaxInstructionSet,
        };
        KMeansResult fit = KMeans.Fit(rows, _dims, weights, first, cancellationToken);
        K = fit.K;
        Warning = fit.Warning;
        StartIterations = fit.Iterations;
        StartConverged = fit.Converged;
        // The running means start from the exact (double) means of the first rows' clusters.
        var sums = new double[fit.Centroids.Length];
        _weights = new double[K];
        _rowsPerCentre = new long[K];
        for (int i = 0; i < fit.Labels.Length; i++)
        {
            int c = fit.Labels[i];
            _rowsPerCentre[c]++;
            double w = weights.IsEmpty ? 1.0 : weights[i];
            _weights[c] += w;
            for (int d = 0; d < _dims; d++) sums[c * _dims + d] += w * rows[i * _dims + d];
        }
        _centres = new double[sums.Length];
        for (int i = 0; i < sums.Length; i++)
        {
            double weight = _weights[i / _dims];
            _centres[i] = weight > 0 ? sums[i] / weight : fit.Centroids[i];
        }
        _centresSingle = new float[_centres.Length];
        for (int i = 0; i < _centres.Length; i++) _centresSingle[i] = (float)_centres[i];
        Order = new StreamOrderCheck(K);
        Order.Begin(fit.Labels, weights);
        Rows = fit.Labels.Length;
        Started = true;
    }

    /// <summary>One step: labels the batch (N x D, row-major) with the nearest current centre and moves the centres.</summary>
    public void PartialFit(ReadOnlySpan<float> rows, ReadOnlySpan<float> weights, CancellationToken cancellationToken = default)
    {
        if (!Started) throw new InvalidOperationException("Start the stream with its first rows before fitting batches.");
        cancellationToken.ThrowIfCancellationRequested();
        InputValidator.Shape(rows, _dims, weights);
        for (int i = 0; i < rows.Length; i++)
        {
            if (!float.IsFinite(rows[i]))
                ThrowHelper.Argument($"Row {i / _dims} holds {rows[i]} in dimension {i % _dims}; every value must be finite (no NaN or infinity).", nameof(rows));
        }
        InputValidator.Weights(weights);
        int n = rows.Length / _dims, k = K, dims = _dims;

        var planes = new float[rows.Length];
        for (int i = 0; i < n; i++)
            for (int d = 0; d < dims; d++) planes[d * n + i] = rows[i * dims + d];
        var labels = new int[n];
        var distances = new float[n];
        _kernels.AssignNearest(planes, n, n, dims, _centresSingle, k, labels, distances);
        Order.Observe(labels, weights);

        var sums = new double[k * dims];
        var batchWeight = new double[k];
        for (int i = 0; i < n; i++)
        {
            int c = labels[i];
            _rowsPerCentre[c]++;
            double w = weights.IsEmpty ? 1.0 : (double)weights[i];
            batchWeight[c] += w;
            for (int d = 0; d < dims; d++) sums[c * dims + d] += w * (double)rows[i * dims + d];
        }
        for (int c = 0; c < k; c++)
        {
            if (!(batchWeight[c] > 0)) continue;
            double total = _weights[c] + batchWeight[c];
            for (int d = 0; d < dims; d++) _centres[c * dims + d] = (_centres[c * dims + d] * _weights[c] + sums[c * dims + d]) / total;
            _weights[c] = total;
        }

        _sinceReassign += n;
        if (_sinceReassign >= 10L * k || Array.IndexOf(_weights, 0.0) >= 0)
        {
            _sinceReassign = 0;
            Reassign(planes, n);
        }
        for (int i = 0; i < _centres.Length; i++) _centresSingle[i] = (float)_centres[i];
        Rows += n;
        Steps++;
    }

    /// <summary>The current centres, K x D row-major, in double precision.</summary>
    public double[] Centroids() => (double[])_centres.Clone();

    /// <summary>The weight (rows, when unweighted) each centre has received; a reassigned centre restarts from a small weight.</summary>
    public double[] ClusterWeights() => (double[])_weights.Clone();

    /// <summary>Rows labelled with each centre when they were fitted (the first rows by the first fit).</summary>
    public long[] ClusterRows() => (long[])_rowsPerCentre.Clone();

    // Centres holding under 1 % of the largest weight move to distinct random batch rows (at most half the batch), and
    // restart at the smallest weight among the others.
    private void Reassign(float[] planes, int n)
    {
        int k = K, dims = _dims;
        double max = _weights.Max();
        var chosen = new List<int>();
        for (int c = 0; c < k; c++)
        {
            if (_weights[c] < ReassignmentRatio * max) chosen.Add(c);
        }
        if (chosen.Count == 0) return;
        if (chosen.Count > n / 2)
        {
            chosen.Sort((a, b) => _weights[a] != _weights[b] ? _weights[a].CompareTo(_weights[b]) : a.CompareTo(b));
            chosen.RemoveRange(n / 2, chosen.Count - n / 2);
            chosen.Sort();
        }
        double minKept = double.PositiveInfinity;
        for (int c = 0; c < k; c++)
        {
            if (!chosen.Contains(c)) minKept = Math.Min(minKept, _weights[c]);
        }
        var order = new int[n];
        for (int r = 0; r < n; r++) order[r] = r;
        for (int j = 0; j < chosen.Count; j++)
        {
            int pick = j + _rng.NextInt(n - j);
            (order[j], order[pick]) = (order[pick], order[j]);
            int c = chosen[j];
            for (int d = 0; d < dims; d++) _centres[c * dims + d] = (double)planes[d * n + order[j]];
            _weights[c] = double.IsPositiveInfinity(minKept) ? 0 : minKept;
        }
    }
}
