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
    /// smallest K). Only the rows fitted with the K asked take part: a row the fit lowered (fewer distinct points than
    /// its K) repeats a smaller K's clustering under a larger K, which would put a second point on the curve at the
    /// wrong K and could be suggested as a K the data cannot give. When every row was lowered, the smallest K is
    /// suggested and the Reason says how many clusters its fit has.
    /// </summary>
    internal static void Mark(List<KMeansMeasurement> rows)
    {
        if (rows.Count == 0) return;
        List<KMeansMeasurement> asked = rows.Where(r => r.FittedK == r.K).ToList();
        if (asked.Count == 0)
        {
            rows[0].Suggested = true;
            rows[0].Reason = string.Create(CultureInfo.InvariantCulture,
                $"fewer distinct points than any K: the smallest, fitted as {rows[0].FittedK} {(rows[0].FittedK == 1 ? "cluster" : "clusters")}");
            return;
        }
        if (asked.Count == 1 && asked.Count < rows.Count)
        {
            asked[0].Suggested = true;
            asked[0].Reason = "the only K the data has enough distinct points for";
            return;
        }
        MarkFitted(asked);
    }

    private static void MarkFitted(List<KMeansMeasurement> rows)
    {
        bool finite = rows.All(r => double.IsFinite(r.Inertia));
        // A flat curve (every K the same inertia) has no bend.
        bool flat = rows.Count > 1 && rows.All(r => r.Inertia == rows[0].Inertia);
        // Marked only where the curve bends: a straight or concave curve (each larger K buys as much as the last, or
        // more), or one of two points, has no elbow, and its smallest K is no more one than its largest.
        int elbow = finite && !flat ? ElbowRule.FindBend(rows.Select(r => (double)r.K).ToArray(), rows.Select(r => r.Inertia).ToArray()) : -1;
        if (elbow >= 0) rows[elbow].Elbow = true;
        KMeansMeasurement? best = null;
        foreach (KMeansMeasurement row in rows)
        {
            if (!double.IsNaN(row.Silhouette) && (best is null || row.Silhouette > best.Silhouette)) best = row;
        }
        // Every K scored the same (a sample of two points scores 0 whatever K is): the silhouette tells them not apart,
        // so it suggests nothing and says so.
        List<KMeansMeasurement> scored = rows.Where(r => !double.IsNaN(r.Silhouette)).ToList();
        string tie = scored.Count > 1 && scored.All(r => r.Silhouette == scored[0].Silhouette) ? "every K scores the same silhouette; " : "";
        if (best is not null && tie.Length == 0)
        {
            best.Suggested = true;
            best.Reason = "highest silhouette";
        }
        else if (elbow >= 0)
        {
            rows[elbow].Suggested = true;
            rows[elbow].Reason = tie + "elbow of the inertia";
        }
        else if (flat)
        {
            rows[0].Suggested = true;
            rows[0].Reason = tie + "every K gives the same inertia: the smallest";
        }
        else
        {
            rows[0].Suggested = true;
            rows[0].Reason = tie + "no elbow in the inertia: the smallest";
        }
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
