using System.Globalization;
using System.Management.Automation;
using System.Security.Cryptography;
using KMeansPS.Bridge;
using KMeansPS.Clustering;
using KMeansPS.Input;
using KMeansPS.Output;
using KMeansPS.Parameters;
using KMeansPS.Pipeline;

namespace KMeansPS.Commands;

/// <summary>
/// Clusters points with K-means (objects by their numeric properties, CSV rows, arrays of numbers, or the matrix form of
/// New-SyntheticClusterData), or assigns new points to the clusters of a model fitted before.
/// </summary>
/// <remarks>
/// <para>Fits K centres with k-means++ initialisation and Lloyd's algorithm with exact distance-skipping bounds (the
/// result of plain Lloyd, with far fewer distance computations). The engine is vectorised by hand for AVX-512, AVX2, SSE
/// and ARM NEON and gives bit-identical results on every one of them and for any -MaxThreads.</para>
/// <para>Precision: the engine computes in float32, on each column less the middle of its range and scaled by a power of
/// two, so data with large offsets (Unix times, prices in cents, coordinates in metres) keeps its significant digits.
/// The centroids are then the double-precision means of the points the last iteration gave them and the inertia is computed in double precision
/// from the values read, in the input's units, as scikit-learn does. Every point is labelled with the centre nearest
/// in double precision (the labels agree with -IncludeDistance's distances): a label float32 cannot vouch for is
/// decided again in double, so a few points may be labelled with another centre than the one whose mean they entered
/// (as with scikit-learn's labels_ and cluster_centers_). With -Tolerance 0 a converged fit goes on in double precision
/// until no label changes, so each centroid is the mean of the points labelled with it. Coordinates may be any number up to ±1e300.
/// Values are read as doubles, which hold integers exactly up to 2^53: an integer beyond that changed by reading
/// (nanosecond Unix times, 64-bit ids) is told once per column, as a warning.</para>
/// <para>Columns: without -Property the coordinates are the properties of the first object (a hashtable's keys; a CSV
/// file's columns) that hold a number in at least one row and never hold text that is not a number, except TrueCluster,
/// Cluster, the -Weight property, and Distance beside Distances (what -PassThru -IncludeDistance adds). Numbers in text count (Import-Csv gives text) and are read the same in every
/// culture: '.' is the decimal point and there is no thousands separator, so '1,5' is not a number (and in a session
/// whose culture groups thousands with '.', text such as '1.000' is read as 1, with a warning naming the column); a column holding
/// numbers and such text is left out with a warning (name it with -Property to get an error for each such row
/// instead). A blank cell does not disqualify a column. -Verbose lists the columns used.</para>
/// <para>A row with a blank, missing, non-numeric, NaN, infinite or out-of-range value in a used column, or a weight
/// that is missing, negative or not a number, is reported as a non-terminating error naming the row (counted from 1,
/// as in a CSV file without its header) and the column, and left out; the rest is clustered. A row of weight 0 is
/// read and labelled but pulls no centre and adds nothing to the inertia: the model's ClusterSizes count rows, as
/// scikit-learn's numpy.bincount(labels) (a row of weight 0 counts as one), and ClusterWeights sums their weights.</para>
/// <para>Input is read as it arrives into compact columns of numbers, and no input object is kept unless -PassThru
/// has to emit it again: the points take 16 bytes per coordinate (the doubles read and the engine's float32 copies) and
/// about 30 per point, on top of what PowerShell itself uses. With -Algorithm MiniBatch -Stream no row is kept after
/// its batch: the first 3 x BatchSize rows (at least 3 x K, and up to the row that brings the K-th distinct point when
/// they hold fewer, at most 1,048,576 rows) are fitted completely (they also decide the columns, the centring and,
/// with -Standardize, the z-scores), and every later batch of BatchSize rows moves the centres once, as scikit-learn's
/// partial_fit does; a file larger than memory can be clustered this way. Mini-batch needs rows in random order: when a batch falls into the clusters in proportions far from those of the rows before it (beyond what random order gives, and at least a quarter of its rows), as rows sorted by cluster or drifting over time do, the model's Warning says so and names those rows. A streamed model has no Labels and its
/// Inertia is NaN: label the rows with a second pass, Invoke-KMeans -Model.</para>
/// <para>-Model assigns points to the clusters of a model without refitting (scikit-learn's predict), reading the
/// model's properties; it streams, so Import-Csv big.csv | Invoke-KMeans -Model $m -PassThru | Export-Csv out.csv holds
/// only a few thousand rows at a time. The model can be one saved with Export-Clixml or ConvertTo-Json and read back
/// with Import-Clixml or ConvertFrom-Json (or the JSON text itself). -IncludeDistance adds each point's distance to
/// every centre (scikit-learn's transform).</para>
/// <para>-Restarts N keeps the best (lowest inertia) of N seeded runs (scikit-learn's n_init): run r starts from seed +
/// r x 0x9E3779B97F4A7C15, so the result is deterministic, and small data runs several at once on the cores.
/// -Standardize clusters z-scores (as StandardScaler before KMeans), so that columns on scales 1 and 1000 count alike;
/// the centroids are still reported in the input's units, the inertia in squared standard deviations. A column whose
/// values differ only in their last few bits (0.1 + 0.2 against 0.3) counts as constant, as StandardScaler counts it,
/// and is left unscaled.</para>
/// <para>Returns a KMeansModel (centroids, labels, inertia, iterations, the instruction set used and the seed); with
/// -Model a KMeansPrediction (labels, cluster sizes, inertia); with -PassThru the input objects with a Cluster property
/// added. Errors have stable ids: NoNumericInput, MissingProperty, NonFiniteInput, ValueOutOfRange, InvalidWeight,
/// InconsistentDimensions (rows); PropertyNotFound, ZeroTotalWeight, InitialCentroidsMismatch,
/// InitialCentroidOutOfRange, InvalidArgument (the command). Ctrl+C stops the fit within one iteration.</para>
/// </remarks>
/// <example title="The blog's clustering">
/// <code>New-SyntheticClusterData -Seed 1 | Invoke-KMeans -K 3 -Seed 1</code>
/// <para>Fits three centres to the blog's 300 points and shows the model.</para>
/// </example>
/// <example title="Label the points themselves">
/// <code>New-SyntheticClusterData -Seed 1 | Invoke-KMeans -K 3 -PassThru | Group-Object Cluster</code>
/// <para>Each point comes back with a Cluster property.</para>
/// </example>
/// <example title="Cluster rows of a CSV file on chosen columns, with weights">
/// <code>
/// New-SyntheticClusterData -Seed 1 | Select-Object X, Y, @{ n = 'Count'; e = { 1 + $_.TrueCluster } } | Export-Csv weighted.csv
/// Import-Csv weighted.csv | Invoke-KMeans -K 3 -Property X, Y -Weight Count
/// </code>
/// <para>Numbers read as text are converted; a point with Count 3 counts as three points.</para>
/// </example>
/// <example title="Fit once, save the model, label new data later">
/// <code>
/// $model = New-SyntheticClusterData -Seed 1 | Invoke-KMeans -K 3 -Seed 1 -Restarts 4
/// $model | Export-Clixml model.xml
/// New-SyntheticClusterData -Seed 2 | Invoke-KMeans -Model (Import-Clixml model.xml) -PassThru -IncludeDistance | Select-Object -First 3
/// </code>
/// <para>The best of four runs is saved; new points get the Cluster of their nearest centre and their distances to every centre.</para>
/// </example>
/// <example title="Columns on different scales">
/// <code>
/// $random = [Random]::new(7)
/// $rows = 1..200 | ForEach-Object { [pscustomobject]@{ Metres = ($_ % 2) * 3 + $random.NextDouble(); Grams = $random.Next(1000) } }
/// ($rows | Invoke-KMeans -K 2 -Standardize -Seed 1).Centroids
/// </code>
/// <para>With z-scores both columns count; without -Standardize the grams alone would decide. Centroids are in metres and grams.</para>
/// </example>
/// <example title="A file larger than memory">
/// <code>
/// New-SyntheticClusterData -Count 20000 -Seed 1 | Export-Csv big.csv
/// $model = Import-Csv big.csv | Invoke-KMeans -K 3 -Algorithm MiniBatch -Stream -Seed 1
/// Import-Csv big.csv | Invoke-KMeans -Model $model -PassThru | Export-Csv labelled.csv
/// </code>
/// <para>Neither command keeps more than a few thousand rows in memory.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Invoke, "KMeans", DefaultParameterSetName = FitSet)]
[OutputType(typeof(KMeansModel), ParameterSetName = [FitSet])]
[OutputType(typeof(KMeansPrediction), ParameterSetName = [PredictSet])]
[OutputType(typeof(PSObject))]
public sealed class InvokeKMeansCommand : PSCmdlet, IDisposable
{
    private const string FitSet = "Fit";
    private const string PredictSet = "Predict";
    // Rows labelled at a time with -Model: one block of the fit's inertia sum (ExactStatistics.Inertia adds each block's
    // rows, then the blocks in order), so the rows a model was fitted on give its inertia back to the last bit.
    private const int PredictBatch = DoubleColumn.BlockLength;

    private readonly CancellationTokenSource _cancel = new();
    private PointReader? _reader;
    private StreamingRun? _stream;
    private int _streamStart;
    private DistinctRowCounter? _startDistinct;

    /// <summary>The most rows a stream holds before it starts, waiting for K distinct points among them.</summary>
    private int MaxStartRows => Math.Max(_streamStart, 1 << 20);
    private FeatureSpace? _modelSpace;
    private double[][]? _modelWorking;
    private List<int>? _predicted;
    private double[]? _predictedWeights;
    private double _predictedInertia;
    private bool _predictedApart;
    private readonly ProgressThrottle _inputProgress = new(TimeSpan.FromMilliseconds(300));

    #region Parameters

    /// <summary>A point: an object with numeric properties (a CSV row, a hashtable), an array of numbers, a number, or a SyntheticClusterMatrix.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [AllowEmptyCollection]
    [AllowNull] // a $null row is reported as a row, so the rows after it keep their numbers
    public PSObject? InputObject { get; set; }

    /// <summary>Number of clusters.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = FitSet)]
    [ValidateRange(1, 65536)]
    public int K { get; set; }

    /// <summary>Assign the points to this model's clusters instead of fitting (scikit-learn's predict). A saved model (Import-Clixml, ConvertFrom-Json, or JSON text) works too.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PredictSet)]
    [KMeansModelTransformation]
    public KMeansModel? Model { get; set; }

    /// <summary>Properties to cluster on. Default: the properties of the first object that hold numbers (see the description), except TrueCluster and Cluster.</summary>
    [Parameter(Position = 1, ParameterSetName = FitSet)]
    [ValidateNotNullOrEmpty]
    public string[]? Property { get; set; }

    /// <summary>Name of a property holding each point's weight (a point with weight 3 counts as three points). An error when the first object has no such property.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Weight { get; set; }

    /// <summary>Auto (the default: Hamerly's bounds from K = 48 below 16 columns, else Lloyd), Lloyd, Hamerly, or MiniBatch for very large data.</summary>
    [Parameter(ParameterSetName = FitSet)]
    public KMeansAlgorithm Algorithm { get; set; } = KMeansAlgorithm.Auto;

    /// <summary>KMeansPlusPlus (greedy k-means++, the default) or Random.</summary>
    [Parameter(ParameterSetName = FitSet)]
    public KMeansInit Init { get; set; } = KMeansInit.KMeansPlusPlus;

    /// <summary>Start from these centres instead of an initialisation: K arrays of coordinates, in the input's units.</summary>
    [Parameter(ParameterSetName = FitSet)]
    [ValidateNotNullOrEmpty]
    [ValidateFinite]
    public double[][]? InitialCentroids { get; set; }

    /// <summary>Most Lloyd iterations (or mini-batch epochs) to run.</summary>
    [Parameter(ParameterSetName = FitSet)]
    [ValidateRange(1, 100_000)]
    public int MaxIterations { get; set; } = 300;

    /// <summary>
    /// Relative tolerance on centre movement (scikit-learn's tol): the fit stops when the centres' squared movement,
    /// summed, is at most this times the mean of the columns' variances (weighted by -Weight, as repeated points would
    /// be). The centroids reported are then the exact means of the points of the last labelling, one update past
    /// scikit-learn's cluster_centers_ after the same iterations, so the inertia is at or below scikit-learn's.
    /// </summary>
    [Parameter(ParameterSetName = FitSet)]
    [ValidateRange(0.0, 1.0)]
    public double Tolerance { get; set; } = 1e-4;

    /// <summary>Seed of the initialisation. Drawn at random when absent, and reported in the model.</summary>
    [Parameter(ParameterSetName = FitSet)]
    [ValidateRange(0, int.MaxValue)]
    public int? Seed { get; set; }

    /// <summary>Points per step of -Algorithm MiniBatch (at most the number of points is used, as in scikit-learn).</summary>
    [Parameter(ParameterSetName = FitSet)]
    [ValidateRange(1, int.MaxValue)]
    public int BatchSize { get; set; } = 1024;

    /// <summary>Keep the best of this many seeded runs (scikit-learn's n_init); deterministic for a seed.</summary>
    [Parameter(ParameterSetName = FitSet)]
    [ValidateRange(1, 1000)]
    public int Restarts { get; set; } = 1;

    /// <summary>Cluster z-scores (each property less its mean, over its standard deviation); centroids stay in the input's units.</summary>
    [Parameter(ParameterSetName = FitSet)]
    public SwitchParameter Standardize { get; set; }

    /// <summary>Fit by mini-batches as rows arrive, keeping none (for input larger than memory); implies -Algorithm MiniBatch, and refuses Lloyd and Hamerly.</summary>
    [Parameter(ParameterSetName = FitSet)]
    public SwitchParameter Stream { get; set; }

    /// <summary>Most threads the fit uses (default: all cores). The result does not depend on it.</summary>
    [Parameter]
    [ValidateRange(1, 1024)]
    public int MaxThreads { get; set; } = Environment.ProcessorCount;

    /// <summary>Emit each input object with a Cluster property added (replacing a Cluster it had, as when data labelled before is clustered again), instead of the model (custom objects and CSV rows as copies: the input is left unchanged).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>With -PassThru, also add Distance (to the point's centre) and Distances (to every centre, by cluster number: an array, which Export-Csv writes as its type name, so select Distance or the entries you need before Export-Csv).</summary>
    [Parameter]
    public SwitchParameter IncludeDistance { get; set; }

    #endregion

    private int Seeded => Seed ??= RandomNumberGenerator.GetInt32(int.MaxValue);

    /// <inheritdoc/>
    protected override void BeginProcessing()
    {
        Bridge.ImportWarmup.CommandStarting();
        if (IncludeDistance.IsPresent && !PassThru.IsPresent) Misuse("-IncludeDistance adds properties to the objects -PassThru emits; add -PassThru.");
        if (ParameterSetName == PredictSet)
        {
            _reader = new PointReader(this, Model!.Properties, Weight, keepObjects: PassThru.IsPresent, propertyFromModel: true);
            _modelSpace = FeatureSpace.ForCentroids(Model.Centroids, Model.Means, Model.StandardDeviations);
            _modelWorking = ExactStatistics.ToWorking(Model.Centroids, _modelSpace);
            if (!PassThru.IsPresent)
            {
                _predicted = new List<int>();
                _predictedWeights = new double[Model!.K];
            }
            return;
        }
        if (Restarts > 1 && InitialCentroids is not null) Misuse("-Restarts draws new starting centres for each run; with -InitialCentroids every run would be the same. Leave one out.");
        if (Stream.IsPresent)
        {
            if (Algorithm is not (KMeansAlgorithm.MiniBatch or KMeansAlgorithm.Auto)) Misuse("-Stream fits with -Algorithm MiniBatch; Lloyd and Hamerly need every row at every iteration.");
            if (PassThru.IsPresent) Misuse("-Stream keeps no row, so it has none to pass through. Fit with -Stream, then label the rows with Invoke-KMeans -Model.");
            if (Restarts > 1) Misuse("-Stream reads the input once, so it cannot restart. Leave out -Restarts.");
            _streamStart = (int)Math.Min(int.MaxValue, Math.Max(3L * BatchSize, 3L * K));
            _startDistinct = new DistinctRowCounter(InitialCentroids is null ? K : 1); // given centres need no distinct rows
            _stream = new StreamingRun(Settings());
            _reader = new PointReader(this, Property, Weight, keepObjects: false, decideAfter: _streamStart, trackRows: true);
            return;
        }
        _reader = new PointReader(this, Property, Weight, keepObjects: PassThru.IsPresent);
    }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (InputObject is null) _reader!.AddNull();
        else _reader!.Add(InputObject);
        // Reading a large input takes a while too: say how many rows have come (the clock is looked at once per 4096).
        if ((_reader.Received & 4095) == 0 && _inputProgress.Due())
        {
            string what = _stream is not null ? $"{_stream.Rows:N0} rows fitted, {_reader.Received:N0} read" : $"Reading rows: {_reader.Received:N0}";
            WriteProgress(new ProgressRecord(ClusteringRun.ActivityId, "Invoke-KMeans", what));
        }
        if (_modelSpace is not null && _reader.Pending >= PredictBatch) PredictRows(_reader.Take());
        else if (_stream is not null && _reader.Decided) StreamRows(end: false);
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        if (_modelSpace is not null)
        {
            PointTable rest = _reader!.Finish();
            if (rest.Count > 0) PredictRows(rest);
            if (_predicted is not null)
            {
                int[] labels = _predicted.ToArray();
                var sizes = new int[Model!.K];
                foreach (int label in labels) sizes[label]++;
                if (double.IsPositiveInfinity(_predictedInertia)) NonPromptingStreams.Warning(this, ClusteringRun.InfiniteInertia.Replace("the centroids and labels are exact", "the labels are exact", StringComparison.Ordinal));
                else if (ExactStatistics.IsUnderflowed(_predictedInertia, _predictedApart)) NonPromptingStreams.Warning(this, ClusteringRun.UnderflowedInertia.Replace("the centroids and labels are exact", "the labels are exact", StringComparison.Ordinal));
                WriteObject(new KMeansPrediction
                {
                    K = Model.K, Count = labels.Length, Properties = Model.Properties, Labels = labels, ClusterSizes = sizes, ClusterWeights = _predictedWeights!, Inertia = _predictedInertia,
                });
            }
            WriteProgress(new ProgressRecord(ClusteringRun.ActivityId, "Invoke-KMeans", "Done") { RecordType = ProgressRecordType.Completed });
            return;
        }
        if (_stream is not null)
        {
            StreamRows(end: true);
            _reader!.SummarizeErrors(); // a started stream's last rows come through Take, not Finish
            KMeansModel streamed = _stream.Finish();
            WriteProgress(new ProgressRecord(ClusteringRun.ActivityId, "Invoke-KMeans", "Done") { RecordType = ProgressRecordType.Completed });
            if (streamed.Warning is not null) NonPromptingStreams.Warning(this, streamed.Warning);
            NonPromptingStreams.Verbose(this, $"K={streamed.K}: {streamed.Count} rows streamed, {streamed.Iterations} steps, {streamed.InstructionSet}, seed {streamed.Seed}.");
            WriteObject(streamed);
            return;
        }

        PointTable points = _reader!.Finish();
        var fit = new ClusteringRun(Settings());
        KMeansModel? model = Run(() => fit.Fit(points, _cancel.Token), fit.Progress);
        if (model is null) return;
        WriteProgress(new ProgressRecord(ClusteringRun.ActivityId, "Invoke-KMeans", "Done") { RecordType = ProgressRecordType.Completed });
        if (model.Warning is not null) NonPromptingStreams.Warning(this, model.Warning);
        NonPromptingStreams.Verbose(this, $"K={model.K}: {model.Iterations} iterations, converged {model.Converged}, inertia {model.Inertia:G6}, {model.InstructionSet}, seed {model.Seed}" +
            (Restarts > 1 ? $", best of {Restarts} runs." : "."));
        if (!PassThru.IsPresent)
        {
            WriteObject(model);
            return;
        }
        var space = FeatureSpace.ForCentroids(model.Centroids, model.Means, model.StandardDeviations);
        double[][]? working = IncludeDistance.IsPresent ? ExactStatistics.ToWorking(model.Centroids, space) : null;
        foreach (PSObject point in ClusteredObjects.Of(points, model.Labels, working, space)) WriteObject(point);
    }

    private FitSettings Settings() => new()
    {
        K = K,
        Algorithm = Stream.IsPresent ? KMeansAlgorithm.MiniBatch : Algorithm,
        Init = Init,
        InitialCentroids = InitialCentroids,
        MaxIterations = MaxIterations,
        Tolerance = Tolerance,
        Seed = Seeded,
        BatchSize = BatchSize,
        MaxThreads = MaxThreads,
        Restarts = Restarts,
        Standardize = Standardize.IsPresent,
    };

    private void PredictRows(PointTable rows)
    {
        int[] labels = PointAssignment.Assign(rows, Model!.Centroids, Model.Means, Model.StandardDeviations, MaxThreads, _cancel.Token);
        _predictedInertia += ExactStatistics.Inertia(rows, labels, _modelWorking!, _modelSpace!, MaxThreads, out bool apart);
        _predictedApart |= apart;
        if (_predicted is not null)
        {
            _predicted.AddRange(labels);
            for (int i = 0; i < labels.Length; i++) _predictedWeights![labels[i]] += rows.Weight(i);
            return;
        }
        foreach (PSObject point in ClusteredObjects.Of(rows, labels, IncludeDistance.IsPresent ? _modelWorking : null, _modelSpace!)) WriteObject(point);
    }

    private void StreamRows(bool end)
    {
        if (!end && _reader!.Pending < (_stream!.Started ? BatchSize : _streamStart)) return;
        // The first rows must hold K distinct points, or the stream would start (and stay) with fewer centres: while
        // they do not, more rows are held, up to MaxStartRows.
        if (!end && !_stream!.Started && _reader!.Pending < MaxStartRows && _startDistinct!.Scan(_reader.Peek()) < 0) return;
        // Usually one batch (or the first rows) arrived; a matrix brings every row at once and is cut up the same way.
        PointTable rows = end && !_stream!.Started ? _reader!.Finish() : _reader!.Take();
        int offset = 0;
        if (!_stream!.Started)
        {
            // At most MaxStartRows, also when a matrix brings every row at once.
            int distinctAt = _startDistinct!.Scan(rows, MaxStartRows);
            PointTable first = rows.Slice(0, distinctAt < 0 ? Math.Min(rows.Count, MaxStartRows) : Math.Max(Math.Min(_streamStart, rows.Count), distinctAt));
            Guard(() => _stream.Start(first, distinctAt >= 0, _cancel.Token));
            offset = first.Count;
        }
        while (offset < rows.Count)
        {
            PointTable batch = rows.Slice(offset, Math.Min(BatchSize, rows.Count - offset));
            offset += batch.Count;
            (IReadOnlyList<int> Far, IReadOnlyList<int> Heavy) skipped = ([], []);
            Guard(() => skipped = _stream.Step(batch, _cancel.Token));
            // One error per row left out, naming it as the rows refused on reading are named.
            foreach (int i in skipped.Far)
            {
                (string column, double value) = _stream.FarValue(batch, i);
                WriteError(new ErrorRecord(new ArgumentException(
                    $"Row {batch.RowNumber(i)}: '{column}' is {value.ToString("R", CultureInfo.InvariantCulture)}, more than 2^50 times the first rows' spread away from them, " +
                    "which float32 cannot hold beside them; the row is left out."),
                    ErrorIds.ValueOutOfRange, ErrorCategory.InvalidData, batch.RowNumber(i)));
            }
            foreach (int i in skipped.Heavy)
            {
                WriteError(new ErrorRecord(new ArgumentException(
                    $"Row {batch.RowNumber(i)}'s weight {batch.Weight(i).ToString("R", CultureInfo.InvariantCulture)} is more than float32 holds at the weight scale the first rows set " +
                    "(about 2^128 times their largest weight); the row is left out. Give the largest weights among the first rows, or scale the weights down."),
                    ErrorIds.ValueOutOfRange, ErrorCategory.InvalidData, batch.RowNumber(i)));
            }
        }
    }

    /// <summary>A short step of a stream, on the pipeline thread, its failures mapped as <see cref="Run"/> maps them.</summary>
    private void Guard(Action work) => Run<object>(() => { work(); return this; }, progress: null);

    /// <summary>
    /// Runs work (on a worker thread when there is progress to show), mapping its failures to this command's errors;
    /// null when cancelled.
    /// </summary>
    private T? Run<T>(Func<T> work, Func<ProgressRecord?>? progress) where T : class
    {
        try
        {
            return progress is null ? work() : BackgroundWork.Run(this, work, progress, TimeSpan.FromMilliseconds(300));
        }
        catch (OperationCanceledException)
        {
            return null; // Ctrl+C: StopProcessing cancelled the fit; PowerShell stops the pipeline.
        }
        catch (FitInputException ex)
        {
            TerminatingError.Throw(this, ex.ErrorId, ErrorCategory.InvalidData, null, ex.Message, ex);
            return null;
        }
        catch (ArgumentException ex)
        {
            TerminatingError.Throw(this, ErrorIds.InvalidArgument, ErrorCategory.InvalidData, null, ex.Message, ex);
            return null;
        }
    }

    private void Misuse(string message) =>
        TerminatingError.Throw(this, ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument, null, message);

    /// <inheritdoc/>
    protected override void StopProcessing() => _cancel.Cancel();

    /// <inheritdoc/>
    public void Dispose() => _cancel.Dispose();
}
