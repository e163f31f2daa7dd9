using System.Globalization;
using KMeansPS.Clustering;
using KMeansPS.Engine.Selection;
using KMeansPS.Input;
using KMeansPS.Output;

namespace KMeansPS.Bridge;

/// <summary>
/// Measure-KMeans' work: one Invoke-KMeans fit per K on the same points, the silhouette of each on the same seeded
/// sample (in the space the fit measured distances in), and the suggestion: the highest silhouette, with the elbow of
/// the inertia curve marked as well. Counts the K values done, for progress.
/// </summary>
internal sealed class DataKSweep(FitSettings settings, int[] ks, int sampleSize)
{
    private volatile int _done;

    public int Done => _done;

    public List<KMeansMeasurement> Run(PointTable table, CancellationToken cancellationToken)
    {
        int[] sample = Silhouette.Sample(table.Count, sampleSize, (ulong)settings.Seed);
        var rows = new List<KMeansMeasurement>();
        double[]? sampleRows = null;
        foreach (int k in ks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var fit = new ClusteringRun(new FitSettings
            {
                K = k, Algorithm = settings.Algorithm, Init = settings.Init, MaxIterations = settings.MaxIterations, Tolerance = settings.Tolerance,
                Seed = settings.Seed, BatchSize = settings.BatchSize, MaxThreads = settings.MaxThreads, Restarts = settings.Restarts,
                Standardize = settings.Standardize,
            });
            KMeansModel model = fit.Fit(table, cancellationToken);
            // The sample in working units (z-scores when standardized): the same for every K.
            sampleRows ??= SampleRows(table, sample, model);
            int[] labels = sample.Select(i => model.Labels[i]).ToArray();
            double silhouette = Silhouette.Score(sampleRows, table.Dimensions, labels, model.K, settings.MaxThreads, cancellationToken);
            rows.Add(new KMeansMeasurement
            {
                K = k,
                Count = table.Count,
                Inertia = model.Inertia,
                Silhouette = silhouette,
                SilhouettePoints = sample.Length,
                Iterations = model.Iterations,
                Converged = model.Converged,
                Elapsed = clock.Elapsed,
                Seed = settings.Seed,
                Model = model,
            });
            _done++;
        }
        Mark(rows);
        return rows;
    }

    private static double[] SampleRows(PointTable table, int[] sample, KMeansModel model)
    {
        int dims = table.Dimensions;
        var rows = new double[sample.Length * dims];
        for (int s = 0; s < sample.Length; s++)
        {
            double[] point = model.Working(table.Row(sample[s]));
            point.CopyTo(rows, s * dims);
        }
        return rows;
    }

    /// <summary>
    /// Marks the elbow of the inertia curve, where it has one, and the suggested K (the highest silhouette, ties to the
    /// smaller K; without silhouettes, or with every K scoring the same, the elbow, and on a curve without one the
    /// smallest K). A row the fit lowered (fewer distinct points than its K) is a point of the curve (no partition into
    /// its K clusters does better), but its K is not one the data can give: it is never marked as the elbow (a bend that
    /// falls on it is not marked) and is suggested only when every row was lowered (the smallest, and the Reason says
    /// how many clusters its fit has).
    /// </summary>
    internal static void Mark(List<KMeansMeasurement> rows)
    {
        if (rows.Count == 0) return;
        bool finite = rows.All(r => double.IsFinite(r.Inertia));
        // A flat curve (every K the same inertia: fewer distinct points than the smallest K) has no bend.
        bool flat = rows.Count > 1 && rows.All(r => r.Inertia == rows[0].Inertia);
        // Marked only where the curve bends: a straight or concave curve (each larger K buys as much as the last, or
        // more), or one of two points, has no elbow, and its smallest K is no more one than its largest.
        int bend = finite && !flat ? ElbowRule.FindBend(rows.Select(r => (double)r.K).ToArray(), rows.Select(r => r.Inertia).ToArray()) : -1;
        KMeansMeasurement? elbow = bend >= 0 && rows[bend].FittedK == rows[bend].K ? rows[bend] : null;
        if (elbow is not null) elbow.Elbow = true;

        List<KMeansMeasurement> asked = rows.Where(r => r.FittedK == r.K).ToList();
        if (asked.Count == 0)
        {
            Suggest(rows[0], string.Create(CultureInfo.InvariantCulture,
                $"fewer distinct points than any K: the smallest, fitted as {rows[0].FittedK} {(rows[0].FittedK == 1 ? "cluster" : "clusters")}"));
            return;
        }
        if (asked.Count == 1 && rows.Count > 1)
        {
            Suggest(asked[0], "the only K the data has enough distinct points for");
            return;
        }
        KMeansMeasurement? best = null;
        foreach (KMeansMeasurement row in asked)
        {
            if (!double.IsNaN(row.Silhouette) && (best is null || row.Silhouette > best.Silhouette)) best = row;
        }
        // Every K scored the same (a sample of two points scores 0 whatever K is): the silhouette tells them not apart,
        // so it suggests nothing and says so.
        List<KMeansMeasurement> scored = asked.Where(r => !double.IsNaN(r.Silhouette)).ToList();
        string tie = scored.Count > 1 && scored.All(r => r.Silhouette == scored[0].Silhouette) ? "every K scores the same silhouette; " : "";
        if (best is not null && tie.Length == 0) Suggest(best, "highest silhouette");
        else if (elbow is not null) Suggest(elbow, tie + "elbow of the inertia");
        else if (asked.All(r => r.Inertia == asked[0].Inertia)) Suggest(asked[0], tie + "every K gives the same inertia: the smallest");
        else Suggest(asked[0], tie + "no elbow in the inertia: the smallest");
    }

    private static void Suggest(KMeansMeasurement row, string reason)
    {
        row.Suggested = true;
        row.Reason = reason;
    }

    /// <summary>Silhouette (left) and inertia (right) over K, with the suggested K marked (Measure-KMeans -PlotPath).</summary>
    /// <returns>False when the file there was already this plot, byte for byte (a rerun), and nothing was written.</returns>
    internal static bool WritePlot(string path, List<KMeansMeasurement> rows, string? title, bool overwrite) =>
        PlotJob.Publish(path, DrawPlot(path, rows, title), overwrite);

    /// <summary>Measure-KMeans' plot (see <see cref="WritePlot"/>), drawn and marked in memory; nothing is written.</summary>
    internal static PlotDraft DrawPlot(string path, List<KMeansMeasurement> rows, string? title)
    {
        int suggested = rows.FindIndex(r => r.Suggested);
        // An inertia beyond the largest double (reported as Infinity, with a warning) is drawn above the largest finite
        // one, and the axis says so; near double.MaxValue the plot's axis limits would overflow.
        double[] finite = rows.Select(r => r.Inertia).Where(double.IsFinite).ToArray();
        double largest = finite.Length == 0 ? 1 : finite.Max();
        double top = largest is > 0 and < 1e300 ? 2 * largest : largest == 0 ? 1 : largest;
        bool overflowed = finite.Length < rows.Count;
        var data = new Plotting.CurvePlotData
        {
            K = rows.Select(r => (double)r.K).ToArray(),
            Psnr = rows.Select(r => double.IsNaN(r.Silhouette) ? 0 : r.Silhouette).ToArray(),
            KiloBytes = rows.Select(r => double.IsFinite(r.Inertia) ? r.Inertia : top).ToArray(),
            SuggestedIndex = suggested < 0 ? null : suggested,
            XLabel = "K (clusters)",
            LeftLabel = "Silhouette",
            RightLabel = overflowed ? "Inertia (Infinity drawn at the top)" : "Inertia",
        };
        var options = new Plotting.PlotOptions { Width = 900, Height = 540, Title = title, Format = Plotting.PlotOptions.FormatFor(path) };
        return PlotJob.Draft(Plotting.CurvePlotRenderer.Render(data, options), Plotting.PlotFingerprint.Of(data, options));
    }
}
