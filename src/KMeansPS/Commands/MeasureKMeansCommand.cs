using System.Management.Automation;
using System.Security.Cryptography;
using KMeansPS.Bridge;
using KMeansPS.Clustering;
using KMeansPS.Input;
using KMeansPS.Output;
using KMeansPS.Pipeline;

namespace KMeansPS.Commands;

/// <summary>
/// Tries several K on numeric data and reports the inertia and the silhouette of each, with a suggested K.
/// </summary>
/// <remarks>
/// <para>Reads the points once, exactly as Invoke-KMeans does (the same columns, errors, -Property, -Weight and
/// -Standardize), then for each K fits them as Invoke-KMeans -K would with the same seed (and -Algorithm, -Init,
/// -MaxIterations, -Tolerance and -Restarts), so every row's Model is the model that command gives. One row per K, in
/// ascending K.</para>
/// <para>With fewer distinct points (of positive weight) than a K, the fit lowers K to their number, as Invoke-KMeans
/// does (scikit-learn keeps n_clusters and returns duplicate centres, with a ConvergenceWarning): the row keeps the K
/// asked, FittedK says how many clusters its fit has (its Model.K, and the K Invoke-KMeans reports), a warning names
/// the row, and the table shows such a K as FittedK/K (3/5: K = 5 fitted as 3 clusters), its inertia and silhouette
/// being those of the FittedK clusters. Its inertia stays on the curve (no K-cluster partition does better), but it is
/// never marked as the elbow, and the suggestion is among the K fitted as asked; when every K was lowered, the smallest
/// is suggested and the Reason says how many clusters it has.</para>
/// <para>Inertia is in the input's units squared (squared standard deviations with -Standardize). It usually falls as K
/// grows, but each K is its own fit from its own k-means++ start, so a larger K can land in a worse local optimum and
/// give more (-Restarts makes that rarer); the Elbow column marks the K past which it falls little (the point farthest below the straight line between the first
/// and last points, both axes scaled to 0..1), where the curve has such a bend: none is marked for two K values, or a straight or concave curve. The silhouette (-1 to 1, as scikit-learn's silhouette_score) says how
/// much closer each point is to its own cluster than to the next one; the suggested K (Suggested = True, with the
/// Reason) is the one with the highest silhouette (when every K scores the same, the elbow, and the Reason says so). The silhouette costs time quadratic in the points, so with more than
/// -SampleSize points it is computed on a seeded sample of that many (the same for every K): SilhouettePoints says on
/// how many, Sampled whether it was a sample, and the Scored on column shows it. Weights do not enter the silhouette.</para>
/// <para>-PlotPath draws the silhouette and the inertia over K, with the suggested K marked; the file is written
/// whole (temporary name, then renamed), replaces an existing file only with -Force, and -WhatIf shows it. The path is
/// taken literally and checked before any input is read, under -WhatIf too, as Export-ClusterPlot checks -Path: its
/// folder must exist (FileWriteError; it is not created), and a folder is PathIsDirectory.</para>
/// </remarks>
/// <example title="Which K for these points?">
/// <code>New-SyntheticClusterData -Seed 1 -Clusters 4 | Measure-KMeans -K (2..8) -Seed 1</code>
/// <para>One row per K; the highest silhouette is suggested, and the elbow of the inertia is marked.</para>
/// </example>
/// <example title="Draw the curve, then fit the suggested K">
/// <code>
/// $points = New-SyntheticClusterData -Seed 1
/// $best = $points | Measure-KMeans -K (2..6) -Seed 1 -PlotPath k-curve.png | Where-Object Suggested
/// $best.Model.Centroids
/// </code>
/// <para>Writes k-curve.png; each row carries the fitted model, so the suggested one needs no second fit.</para>
/// </example>
/// <example title="CSV columns on different scales, many rows">
/// <code>
/// New-SyntheticClusterData -Count 20000 -Seed 2 | Select-Object X, @{ n = 'Y'; e = { $_.Y * 1000 } } | Export-Csv wide.csv
/// Import-Csv wide.csv | Measure-KMeans -K (2..5) -Standardize -SampleSize 2000 -Seed 1
/// </code>
/// <para>Z-scores make both columns count; the silhouette comes from a seeded sample of 2,000 rows.</para>
/// </example>
[Cmdlet(VerbsDiagnostic.Measure, "KMeans", SupportsShouldProcess = true)]
[OutputType(typeof(KMeansMeasurement))]
public sealed class MeasureKMeansCommand : PSCmdlet, IDisposable
{
    private const int ProgressActivityId = 44;

    private readonly CancellationTokenSource _cancel = new();
    private PointReader? _reader;
    private string? _plot;

    #region Parameters

    /// <summary>A point: an object with numeric properties (a CSV row, a hashtable), an array of numbers, a number, or a SyntheticClusterMatrix.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [AllowEmptyCollection]
    [AllowNull] // a $null row is reported as a row, so the rows after it keep their numbers
    public PSObject? InputObject { get; set; }

    /// <summary>The K values to try, 2 or more.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    [ValidateRange(2, 65536)]
    public int[] K { get; set; } = [2, 3, 4, 5, 6, 7, 8, 9, 10];

    /// <summary>Properties to cluster on, as for Invoke-KMeans. Default: the properties of the first object that hold numbers.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string[]? Property { get; set; }

    /// <summary>Name of a property holding each point's weight, as for Invoke-KMeans.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Weight { get; set; }

    /// <summary>Cluster z-scores, as Invoke-KMeans -Standardize; the inertia is then in squared standard deviations and the silhouette is of the z-scores.</summary>
    [Parameter]
    public SwitchParameter Standardize { get; set; }

    /// <summary>Auto (the default), Lloyd, Hamerly or MiniBatch, as for Invoke-KMeans.</summary>
    [Parameter]
    public KMeansAlgorithm Algorithm { get; set; } = KMeansAlgorithm.Auto;

    /// <summary>Keep the best of this many seeded runs for each K.</summary>
    [Parameter]
    [ValidateRange(1, 1000)]
    public int Restarts { get; set; } = 1;

    /// <summary>Seed of every fit and of the silhouette sample; drawn at random when absent and reported in each row.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Seed { get; set; }

    /// <summary>Most points the silhouette is computed on; more points are sampled (seeded) down to this many.</summary>
    [Parameter]
    [ValidateRange(2, 1_000_000)]
    public int SampleSize { get; set; } = 5000;

    /// <summary>KMeansPlusPlus (greedy k-means++, the default) or Random, as Invoke-KMeans -Init.</summary>
    [Parameter]
    public KMeansInit Init { get; set; } = KMeansInit.KMeansPlusPlus;

    /// <summary>Most Lloyd iterations (or mini-batch epochs) per fit.</summary>
    [Parameter]
    [ValidateRange(1, 100_000)]
    public int MaxIterations { get; set; } = 300;

    /// <summary>Relative tolerance on centre movement (scikit-learn's tol), as Invoke-KMeans -Tolerance; 0 runs each fit to its fixed point.</summary>
    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double Tolerance { get; set; } = 1e-4;

    /// <summary>Most threads each fit uses (default: all cores). The results do not depend on it.</summary>
    [Parameter]
    [ValidateRange(1, 1024)]
    public int MaxThreads { get; set; } = Environment.ProcessorCount;

    /// <summary>Also draw the silhouette and inertia over K to this file (.png or .svg), taken literally; its folder must exist.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PlotPath { get; set; }

    /// <summary>Replace an existing plot file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    #endregion

    /// <inheritdoc/>
    protected override void BeginProcessing()
    {
        Bridge.ImportWarmup.CommandStarting();
        // Before any input, under -WhatIf too: a plot that cannot be written stops the call before the work.
        if (PlotPath is not null) _plot = PlotFileTarget.Check(this, PlotPath, nameof(PlotPath), Force.IsPresent);
        _reader = new PointReader(this, Property, Weight, keepObjects: false);
    }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (InputObject is null) _reader!.AddNull();
        else _reader!.Add(InputObject);
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        PointTable points = _reader!.Finish();
        int[] ks = K.Distinct().Order().ToArray();
        int seed = Seed ?? RandomNumberGenerator.GetInt32(int.MaxValue);
        var sweep = new DataKSweep(new FitSettings
        {
            K = ks[0], Algorithm = Algorithm, Init = Init, MaxIterations = MaxIterations, Tolerance = Tolerance, Seed = seed,
            MaxThreads = MaxThreads, Restarts = Restarts, Standardize = Standardize.IsPresent,
        }, ks, SampleSize);
        List<KMeansMeasurement> rows;
        try
        {
            rows = BackgroundWork.Run(this, () => sweep.Run(points, _cancel.Token),
                () => new ProgressRecord(ProgressActivityId, "Measure-KMeans", $"{sweep.Done} of {ks.Length} K values done")
                {
                    PercentComplete = 100 * sweep.Done / ks.Length,
                },
                TimeSpan.FromMilliseconds(300));
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (FitInputException ex)
        {
            TerminatingError.Throw(this, ex.ErrorId, ErrorCategory.InvalidData, null, ex.Message, ex);
            return;
        }
        catch (ArgumentException ex)
        {
            TerminatingError.Throw(this, ErrorIds.InvalidArgument, ErrorCategory.InvalidData, null, ex.Message, ex);
            return;
        }
        WriteProgress(new ProgressRecord(ProgressActivityId, "Measure-KMeans", "Done") { RecordType = ProgressRecordType.Completed });
        foreach (KMeansMeasurement row in rows.Where(r => r.Model.Warning is not null)) NonPromptingStreams.Warning(this, $"K = {row.K}: {row.Model.Warning}");
        if (rows[0].Sampled)
        {
            NonPromptingStreams.Verbose(this, $"Measure-KMeans: silhouettes computed on a seeded sample of {rows[0].SilhouettePoints} of the {points.Count} points (-SampleSize).");
        }
        if (_plot is { } plot)
        {
            PlotDraft? drawn = null;
            PlotDraft Draw() => drawn ??= DataKSweep.DrawPlot(plot, rows, $"K-means on {points.Count:N0} points ({string.Join(", ", points.Names)})");
            try
            {
                // What the write does with a file there, decided as the write decides it, so -WhatIf and -Confirm say it.
                PlotVerdict verdict = PlotJob.Foresee(plot, Force.IsPresent, Draw);
                if (verdict == PlotVerdict.Refused) throw PlotJob.Refusal(plot);
                if (ShouldProcess(plot, PlotJob.Operation(verdict, $"Write the silhouette and inertia over K = {string.Join(", ", ks)}"))
                    && !PlotJob.Publish(plot, Draw(), Force.IsPresent))
                    NonPromptingStreams.Verbose(this, PlotJob.UpToDate(plot));
            }
            catch (Pipeline.OutputRefusedException ex)
            {
                WriteError(new ErrorRecord(ex, ex.ErrorId, ex.Category, _plot));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                WriteError(new ErrorRecord(ex, ErrorIds.FileWriteError, ErrorCategory.WriteError, _plot));
            }
        }
        foreach (KMeansMeasurement row in rows) WriteObject(row);
    }

    /// <inheritdoc/>
    protected override void StopProcessing() => _cancel.Cancel();

    /// <inheritdoc/>
    public void Dispose() => _cancel.Dispose();
}
