using KMeansPS.Plotting;

namespace KMeansPS.Bridge;

/// <summary>Hands Export-ClusterPlot's collected points to the plotting library (plain arrays across the load-context boundary).</summary>
internal static class ClusterPlotJob
{
    public static void Write(string path, double[] x, double[] y, int[] cluster, double[]? cx, double[]? cy,
        string xLabel, string yLabel, string clusterLabel, int width, int height, string? title, bool svg)
    {
        ClusterPlotRenderer.Write(path, new ClusterPlotData
        {
            X = x, Y = y, Cluster = cluster, CentroidX = cx, CentroidY = cy,
            XLabel = xLabel, YLabel = yLabel, ClusterLabel = clusterLabel,
        }, new PlotOptions { Width = width, Height = height, Title = title, Format = svg ? PlotFormat.Svg : PlotFormat.Png });
    }

    public static void WriteCurve(string path, double[] k, double[] psnr, double[] kiloBytes, int? suggested, string? title, bool svg)
    {
        CurvePlotRenderer.Write(path, new CurvePlotData { K = k, Psnr = psnr, KiloBytes = kiloBytes, SuggestedIndex = suggested },
            new PlotOptions { Width = 900, Height = 540, Title = title, Format = svg ? PlotFormat.Svg : PlotFormat.Png });
    }
}
