using KMeansPS.Output;
using KMeansPS.Plotting;

namespace KMeansPS.Bridge;

/// <summary>Hands Export-ClusterPlot's collected points to the plotting library (plain arrays across the load-context boundary).</summary>
internal static class ClusterPlotJob
{
    /// <summary>A null <paramref name="format"/> follows the extension of <paramref name="path"/>.</summary>
    public static void Write(string path, double[] x, double[] y, int[] cluster, double[]? cx, double[]? cy,
        string xLabel, string yLabel, string clusterLabel, int width, int height, string? title, PlotFileFormat? format)
    {
        ClusterPlotRenderer.Write(path, new ClusterPlotData
        {
            X = x, Y = y, Cluster = cluster, CentroidX = cx, CentroidY = cy,
            XLabel = xLabel, YLabel = yLabel, ClusterLabel = clusterLabel,
        }, new PlotOptions { Width = width, Height = height, Title = title, Format = format?.ToPlotting() ?? PlotOptions.FormatFor(path) });
    }

    public static void WriteCurve(string path, double[] k, double[] psnr, double[] kiloBytes, int? suggested, string? title)
    {
        CurvePlotRenderer.Write(path, new CurvePlotData { K = k, Psnr = psnr, KiloBytes = kiloBytes, SuggestedIndex = suggested },
            new PlotOptions { Width = 900, Height = 540, Title = title, Format = PlotOptions.FormatFor(path) });
    }
}
