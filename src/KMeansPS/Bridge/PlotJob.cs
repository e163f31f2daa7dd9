using KMeansPS.Imaging.IO;
using KMeansPS.Output;
using KMeansPS.Plotting;

namespace KMeansPS.Bridge;

/// <summary>
/// Draws the cmdlets' plots (plain arrays across the load-context boundary) and writes each file whole: the plotting
/// library renders to bytes, a PNG gets the module's marker, and the file is written through a temporary file renamed
/// over the destination, so a failure never leaves a partial plot. Bad data throws ArgumentException before anything is written.
/// </summary>
internal static class PlotJob
{
    /// <summary>Export-ClusterPlot's scatter plot; a null <paramref name="format"/> follows the extension of <paramref name="path"/>.</summary>
    /// <returns>False when the file there was already this plot, byte for byte (a rerun), and nothing was written.</returns>
    public static bool WriteClusterPlot(string path, double[] x, double[] y, int[] cluster, double[]? cx, double[]? cy,
        string xLabel, string yLabel, string clusterLabel, int width, int height, string? title, PlotFileFormat? format, bool overwrite)
    {
        byte[] plot = ClusterPlotRenderer.Render(new ClusterPlotData
        {
            X = x, Y = y, Cluster = cluster, CentroidX = cx, CentroidY = cy,
            XLabel = xLabel, YLabel = yLabel, ClusterLabel = clusterLabel,
        }, new PlotOptions { Width = width, Height = height, Title = title, Format = format?.ToPlotting() ?? PlotOptions.FormatFor(path) });
        return Publish(path, plot, new AtomicWriteOptions { Overwrite = overwrite });
    }

    /// <summary>Measure-ImageKMeans' PSNR and size over K, PNG or SVG by the extension of <paramref name="path"/>.</summary>
    /// <remarks>
    /// A PNG plot's marker records the hash of the measured image, <paramref name="source"/>, so a later call can tell the
    /// image's own plot under another name (<see cref="OutputProvenance.MadeFrom"/>, when a same-stem twin came or went).
    /// </remarks>
    /// <returns>False when the file there was already this plot, byte for byte (a rerun), and nothing was written.</returns>
    public static bool WriteCurvePlot(string path, string source, double[] k, double[] psnr, double[] kiloBytes, int? suggested,
        string? title, bool overwrite, Pipeline.OutputClaim? claim)
    {
        byte[] plot = CurvePlotRenderer.Render(new CurvePlotData { K = k, Psnr = psnr, KiloBytes = kiloBytes, SuggestedIndex = suggested },
            new PlotOptions { Width = 900, Height = 540, Title = title, Format = PlotOptions.FormatFor(path) });
        return Publish(path, plot, new AtomicWriteOptions
        {
            Overwrite = overwrite,
            Publish = claim is null ? null : (_, move) => claim.Publish(move, overwrite, CancellationToken.None),
        }, OutputProvenance.TryHash(source)); // the image gone or unreadable since: marked with its own hash, as a data plot is
    }

    /// <summary>
    /// Writes <paramref name="bytes"/> through a temporary file and publishes it: an existing file is never replaced
    /// without <see cref="AtomicWriteOptions.Overwrite"/> (<see cref="ErrorIds.OutputExists"/>, even when another process
    /// created it a moment ago), and any other failure is an <see cref="OutputWriteException"/> naming the file.
    /// </summary>
    /// <returns>False when the file there already held these bytes and was left as it is (without <see cref="AtomicWriteOptions.Overwrite"/>).</returns>
    internal static bool Publish(string path, byte[] bytes, AtomicWriteOptions options, string? sourceHash = null)
    {
        // A PNG plot carries the module's marker (settings "plot"; the hash of the image it plots, or of the plot's own
        // file when it plots data): a scheduled Compress-ImageKMeans over the folder passes over it as one of the
        // module's outputs instead of compressing it.
        bytes = Imaging.Provenance.MarkerInsertion.AfterHeader(bytes,
            new Imaging.Provenance.OutputMarker(OutputProvenance.ToolVersion, sourceHash ?? Imaging.Provenance.OutputMarker.HashBytes(bytes), 0, "plot"));
        // A scheduled rerun draws the same plot (same data, settings, seed and version, so the same bytes): the file is
        // up to date, and is left alone instead of being an OutputExists error every night. Any other file there keeps
        // the error, and -Force rewrites.
        if (!options.Overwrite && File.Exists(path))
        {
            if (HoldsExactly(path, bytes)) return false;
            throw new Pipeline.OutputRefusedException(ErrorIds.OutputExists, System.Management.Automation.ErrorCategory.ResourceExists,
                $"The file '{path}' already exists and holds another plot (other data, settings or seed) or another file. Use -Force to overwrite it.");
        }
        try
        {
            AtomicFileWriter.Write(path, stream => stream.Write(bytes), options);
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
    /// Whether the file at <paramref name="path"/> may be the plot a rerun draws again (a PNG plot of the module's, or
    /// an SVG, which carries no marker): the commands then draw it and compare instead of refusing before the work.
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
