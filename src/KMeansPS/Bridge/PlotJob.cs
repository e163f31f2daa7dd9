using KMeansPS.Imaging.IO;
using KMeansPS.Output;
using KMeansPS.Plotting;

namespace KMeansPS.Bridge;

/// <summary>
/// Draws the cmdlets' plots (plain arrays across the load-context boundary) and writes each file whole: the plotting
/// library renders to bytes, the plot gets the module's marker (<see cref="PlotMarker"/>), and the file is written through
/// a temporary file renamed over the destination, so a failure never leaves a partial plot. Bad data throws ArgumentException before anything is written.
/// </summary>
internal static class PlotJob
{
    /// <summary>Export-ClusterPlot's scatter plot; a null <paramref name="format"/> follows the extension of <paramref name="path"/>.</summary>
    /// <returns>False when the file there was already this plot (a rerun: see <see cref="Publish(string, PlotDraft, bool, Pipeline.OutputClaim?)"/>), and nothing was written.</returns>
    public static bool WriteClusterPlot(string path, double[] x, double[] y, int[] cluster, double[]? cx, double[]? cy,
        string xLabel, string yLabel, string clusterLabel, int width, int height, string? title, PlotFileFormat? format, bool overwrite) =>
        Publish(path, DrawClusterPlot(path, x, y, cluster, cx, cy, xLabel, yLabel, clusterLabel, width, height, title, format), overwrite);

    /// <summary>Export-ClusterPlot's scatter plot, drawn and marked in memory; nothing is written.</summary>
    public static PlotDraft DrawClusterPlot(string path, double[] x, double[] y, int[] cluster, double[]? cx, double[]? cy,
        string xLabel, string yLabel, string clusterLabel, int width, int height, string? title, PlotFileFormat? format)
    {
        var data = new ClusterPlotData
        {
            X = x, Y = y, Cluster = cluster, CentroidX = cx, CentroidY = cy,
            XLabel = xLabel, YLabel = yLabel, ClusterLabel = clusterLabel,
        };
        var options = new PlotOptions { Width = width, Height = height, Title = title, Format = format?.ToPlotting() ?? PlotOptions.FormatFor(path) };
        return Draft(ClusterPlotRenderer.Render(data, options), PlotFingerprint.Of(data, options));
    }

    /// <summary>Measure-ImageKMeans' PSNR and size over K, PNG or SVG by the extension of <paramref name="path"/>.</summary>
    /// <returns>False when the file there was already this plot (a rerun: see <see cref="Publish(string, PlotDraft, bool, Pipeline.OutputClaim?)"/>), and nothing was written.</returns>
    public static bool WriteCurvePlot(string path, string source, double[] k, double[] psnr, double[] kiloBytes, int? suggested,
        string? title, bool overwrite, Pipeline.OutputClaim? claim) =>
        Publish(path, DrawCurvePlot(path, source, k, psnr, kiloBytes, suggested, title), overwrite, claim);

    /// <summary>Measure-ImageKMeans' curve plot, drawn and marked in memory; nothing is written.</summary>
    /// <remarks>
    /// A PNG plot's marker records the hash of the measured image, <paramref name="source"/>, so a later call can tell the
    /// image's own plot under another name (<see cref="OutputProvenance.MadeFrom"/>, when a same-stem twin came or went).
    /// </remarks>
    public static PlotDraft DrawCurvePlot(string path, string source, double[] k, double[] psnr, double[] kiloBytes, int? suggested, string? title)
    {
        var data = new CurvePlotData { K = k, Psnr = psnr, KiloBytes = kiloBytes, SuggestedIndex = suggested };
        var options = new PlotOptions { Width = 900, Height = 540, Title = title, Format = PlotOptions.FormatFor(path) };
        // The image gone or unreadable since: marked with the plot's own hash, as a data plot is.
        return Draft(CurvePlotRenderer.Render(data, options), PlotFingerprint.Of(data, options), OutputProvenance.TryHash(source));
    }

    /// <summary>
    /// Marks a rendered plot: the module's marker holds the hash of the image it plots, or of the plot's own file when it
    /// plots data; settings "plot" and the fingerprint of its inputs, <paramref name="inputs"/>. A scheduled
    /// Compress-ImageKMeans over the folder passes over a PNG plot as one of the module's outputs instead of compressing it.
    /// </summary>
    internal static PlotDraft Draft(byte[] bytes, string inputs, string? sourceHash = null)
    {
        var marker = new Imaging.Provenance.OutputMarker(OutputProvenance.ToolVersion,
            sourceHash ?? Imaging.Provenance.OutputMarker.HashBytes(bytes), 0, PlotMarker.SettingsFor(inputs));
        return new PlotDraft(PlotMarker.Insert(bytes, marker), marker, sourceHash is not null);
    }

    /// <summary>Marks <paramref name="bytes"/> (see <see cref="Draft"/>) and publishes them.</summary>
    internal static bool Publish(string path, byte[] bytes, string inputs, bool overwrite, Pipeline.OutputClaim? claim = null,
        string? sourceHash = null) => Publish(path, Draft(bytes, inputs, sourceHash), overwrite, claim);

    /// <summary>
    /// What publishing a plot at <paramref name="path"/> would do, reading what is there and writing nothing: the verdict
    /// <see cref="Publish(string, PlotDraft, bool, Pipeline.OutputClaim?)"/> reaches on the same file. <paramref name="draw"/>
    /// is called only when the verdict needs the plot (a file there, without <paramref name="overwrite"/>).
    /// </summary>
    /// <exception cref="OutputWriteException">The plot must be written, and the OS says its folder takes no new file.</exception>
    public static PlotVerdict Foresee(string path, bool overwrite, Func<PlotDraft> draw)
    {
        PlotVerdict verdict = !File.Exists(path) ? PlotVerdict.Write : overwrite ? PlotVerdict.Replace : VerdictOn(path, draw());
        if (verdict is PlotVerdict.Write or PlotVerdict.Replace && FileSystemChecks.WriteRefusal(Path.GetDirectoryName(path)!) is { } why)
        {
            // The write goes through a new temporary file beside the plot: refused as the write would be refused.
            throw new OutputWriteException($"Could not write '{path}': {why}.",
                new UnauthorizedAccessException(why));
        }
        return verdict;
    }

    /// <summary>The OutputExists refusal of a plot over another plot or another file.</summary>
    public static Pipeline.OutputRefusedException Refusal(string path) =>
        new(ErrorIds.OutputExists, System.Management.Automation.ErrorCategory.ResourceExists,
            $"The file '{path}' already exists and holds another plot (other data, settings or seed) or another file. Use -Force to overwrite it.");

    /// <summary>What -WhatIf and -Confirm name as the operation on a plot whose verdict is <paramref name="verdict"/>; <paramref name="write"/> says what is drawn.</summary>
    public static string Operation(PlotVerdict verdict, string write) => verdict switch
    {
        PlotVerdict.UpToDate => "Leave it as it is: the same plot is there (the same data, settings and seed)",
        PlotVerdict.Replace => write + ", replacing the file there",
        _ => write,
    };

    /// <summary>
    /// Writes <paramref name="draft"/> through a temporary file and publishes it: an existing file is never replaced
    /// without <paramref name="overwrite"/> (<see cref="ErrorIds.OutputExists"/>, even when another process created it a
    /// moment ago) unless it is this same plot, and any other failure is an <see cref="OutputWriteException"/> naming the file.
    /// </summary>
    /// <returns>False when the file there already held this plot and was left as it is (without <paramref name="overwrite"/>).</returns>
    public static bool Publish(string path, PlotDraft draft, bool overwrite, Pipeline.OutputClaim? claim = null)
    {
        bool replace = overwrite;
        if (!overwrite && File.Exists(path))
        {
            switch (VerdictOn(path, draft))
            {
                case PlotVerdict.UpToDate:
                    return false;
                case PlotVerdict.Replace:
                    replace = true;
                    break;
                default:
                    throw Refusal(path);
            }
        }
        var options = new AtomicWriteOptions
        {
            Overwrite = replace,
            Publish = claim is null ? null : (_, move) => claim.Publish(move, replace, CancellationToken.None),
        };
        try
        {
            AtomicFileWriter.Write(path, stream => stream.Write(draft.Bytes), options);
            return true;
        }
        catch (OutputExistsException ex)
        {
            throw new Pipeline.OutputRefusedException(ErrorIds.OutputExists, System.Management.Automation.ErrorCategory.ResourceExists, ex.Message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException && ex is not Pipeline.OutputRefusedException)
        {
            throw new OutputWriteException($"Could not write '{path}': {ex.Message}", ex);
        }
    }

    /// <summary>
    /// The verdict on the existing file at <paramref name="path"/> without -Force. A scheduled rerun draws the same plot:
    /// the file is up to date and left alone instead of being an OutputExists error every night, also when another version
    /// of the module drew it (other bytes, the same data and settings). The same plot cut short or damaged is drawn again.
    /// Any other file there keeps the error, and -Force rewrites.
    /// </summary>
    private static PlotVerdict VerdictOn(string path, PlotDraft draft) =>
        HoldsExactly(path, draft.Bytes) ? PlotVerdict.UpToDate : Holds(path, draft.Marker, draft.OfImage) switch
        {
            Held.Whole => PlotVerdict.UpToDate,
            Held.Damaged => PlotVerdict.Replace,
            _ => PlotVerdict.Refused,
        };

    /// <summary>What a file at a plot's name holds, as far as a rerun is concerned.</summary>
    private enum Held
    {
        /// <summary>Another plot or another file.</summary>
        Other,

        /// <summary>This plot, whole (drawn by this or another version).</summary>
        Whole,

        /// <summary>This plot, cut short or damaged.</summary>
        Damaged,
    }

    /// <summary>
    /// Whether the file at <paramref name="path"/> carries this plot's marker (the same inputs, and the same image when
    /// <paramref name="sameSource"/>), whatever version wrote it.
    /// </summary>
    private static Held Holds(string path, Imaging.Provenance.OutputMarker marker, bool sameSource)
    {
        if (new FileInfo(path).LinkTarget is not null || PlotMarker.Read(path) is not { } held) return Held.Other;
        if (!string.Equals(held.Marker.Settings, marker.Settings, StringComparison.Ordinal)
            || (sameSource && !string.Equals(held.Marker.SourceHash, marker.SourceHash, StringComparison.Ordinal))) return Held.Other;
        return held.Whole ? Held.Whole : Held.Damaged;
    }

    /// <summary>
    /// Whether the file at <paramref name="path"/> may be the plot a rerun draws again (a PNG plot of the module's, or
    /// an SVG, whose marker is only read after the drawing): the commands then draw it and compare instead of refusing
    /// before the work.
    /// </summary>
    public static bool MayBeRedrawn(string path) =>
        path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase) || OutputProvenance.IsPlot(path);

    /// <summary>What -Verbose says when a plot was already there, byte for byte.</summary>
    public static string UpToDate(string path) => $"'{path}' already holds this plot (the same data, settings and seed): left as it is.";

    /// <summary>Whether <paramref name="path"/> is a regular file holding exactly <paramref name="bytes"/> (false when it cannot be read).</summary>
    private static bool HoldsExactly(string path, byte[] bytes)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists || info.Length != bytes.Length || info.LinkTarget is not null) return false;
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var held = new byte[bytes.Length];
            return file.ReadAtLeast(held, held.Length, throwOnEndOfStream: false) == held.Length && held.AsSpan().SequenceEqual(bytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
