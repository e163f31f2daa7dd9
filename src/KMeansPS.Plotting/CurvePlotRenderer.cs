using ScottPlot;

namespace KMeansPS.Plotting;

/// <summary>PSNR (left axis) and output size (right axis) over K on a log2 axis, with the suggested K marked.</summary>
internal static class CurvePlotRenderer
{
    private static readonly Color QualityColor = Color.FromHex("#1f77b4");
    private static readonly Color SizeColor = Color.FromHex("#ff7f0e");

    /// <summary>The plot as PNG or SVG bytes, as <paramref name="options"/> says.</summary>
    public static byte[] Render(CurvePlotData data, PlotOptions options)
    {
        using Plot plot = Build(data, options);
        return PlotEncoder.Encode(plot, options);
    }

    internal static Plot Build(CurvePlotData data, PlotOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        data.Validate();
        options.Validate();

        double[] x = data.K.Select(Math.Log2).ToArray();
        // Lossless results have infinite PSNR: draw them a little above the best finite value, and say so.
        double[] finite = data.Psnr.Where(double.IsFinite).ToArray();
        double top = finite.Length == 0 ? 100 : finite.Max() + 3;
        double[] psnr = data.Psnr.Select(p => double.IsFinite(p) ? p : top).ToArray();

        var plot = new Plot();
        var quality = plot.Add.Scatter(x, psnr, QualityColor);
        quality.LegendText = data.LeftLabel;
        quality.LineWidth = 2;
        quality.MarkerSize = 8;
        var size = plot.Add.Scatter(x, data.KiloBytes, SizeColor);
        size.LegendText = data.RightLabel;
        size.LineWidth = 2;
        size.MarkerSize = 8;
        size.Axes.YAxis = plot.Axes.Right;
        for (int i = 0; i < x.Length; i++)
        {
            if (double.IsFinite(data.Psnr[i])) continue;
            var lossless = plot.Add.Text("lossless", x[i], top);
            lossless.LabelFontColor = QualityColor;
            lossless.LabelAlignment = Alignment.MiddleRight;
            lossless.OffsetX = -8;
        }
        if (data.SuggestedIndex is int s)
        {
            var line = plot.Add.VerticalLine(x[s], 2, Colors.Black, LinePattern.Dashed);
            line.LegendText = $"Suggested K = {data.K[s]:0.##}";
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            x, data.K.Select(k => k.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        if (options.Title is not null) plot.Title(options.Title);
        plot.XLabel(data.XLabel);
        plot.YLabel(data.LeftLabel);
        plot.Axes.Left.Label.ForeColor = QualityColor;
        plot.Axes.Right.Label.Text = data.RightLabel;
        plot.Axes.Right.Label.ForeColor = SizeColor;
        plot.Axes.Left.TickGenerator = new DistinctTickLabels();
        plot.Axes.Right.TickGenerator = new DistinctTickLabels();
        // Both curves rise with K, so the lower right corner is the emptiest.
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }
}
