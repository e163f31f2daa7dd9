using KMeansPS.Imaging.IO;
using KMeansPS.Output;
using KMeansPS.Plotting;

namespace KMeansPS.Bridge;

/// <summary>
/// Draws the cmdlets' plots (plain arrays across the load-context boundary) and writes each file whole: the plotting
/// library renders to bytes, and the file is written through a temporary file renamed over the destination, so a
/// failure never leaves a partial plot. Bad data throws ArgumentException before anything is written.
/// </summary>
internal static class PlotJob
{
    /// <summary>Export-ClusterPlot's scatter plot; a null <paramref name="format"/> follows the extension of <paramref name="path"/>.</summary>
    public static void WriteClusterPlot(string path, double[] x, double[] y, int[] cluster, double[]? cx, double[]? cy,
        string xLabel, string yLabel, string clusterLabel, int width, int height, string? title, PlotFileFormat? format)
    {
        byte[] plot = ClusterPlotRenderer.Render(new ClusterPlotData
        {
            X = x, Y = y, Cluster = cluster, CentroidX = cx, CentroidY = cy,
            XLabel = xLabel, YLabel = yLabel, ClusterLabel = clusterLabel,
        }, new PlotOptions { Width = width, Height = height, Title = title, Format = format?.ToPlotting() ?? PlotOptions.FormatFor(path) });
        AtomicFileWriter.Write(path, stream => stream.Write(plot));
    }

    /// <summary>Measure-ImageKMeans' PSNR and size over K, PNG or SVG by the extension of <paramref name="path"/>.</summary>
    public static void WriteCurvePlot(string path, double[] k, double[] psnr, double[] kiloBytes, int? suggested, string? title)
    {
        byte[] plot = CurvePlotRenderer.Render(new CurvePlotData { K = k, Psnr = psnr, KiloBytes = kiloBytes, SuggestedIndex = suggested },
            new PlotOptions { Width = 900, Height = 540, Title = title, Format = PlotOptions.FormatFor(path) });
        AtomicFileWriter.Write(path, stream => stream.Write(plot));
    }
}
