using ScottPlot;

namespace KMeansPS.Plotting;

/// <summary>The blog's figure: points coloured by cluster, centroids as black '+', with title, axes and legend.</summary>
internal static class ClusterPlotRenderer
{
    // Categorical colours (Tableau 10, then its light companions), distinct for 20 clusters; they repeat beyond.
    private static readonly Color[] Palette =
    [
        Color.FromHex("#1f77b4"), Color.FromHex("#ff7f0e"), Color.FromHex("#2ca02c"), Color.FromHex("#d62728"),
        Color.FromHex("#9467bd"), Color.FromHex("#8c564b"), Color.FromHex("#e377c2"), Color.FromHex("#7f7f7f"),
        Color.FromHex("#bcbd22"), Color.FromHex("#17becf"), Color.FromHex("#aec7e8"), Color.FromHex("#ffbb78"),
        Color.FromHex("#98df8a"), Color.FromHex("#ff9896"), Color.FromHex("#c5b0d5"), Color.FromHex("#c49c94"),
        Color.FromHex("#f7b6d2"), Color.FromHex("#c7c7c7"), Color.FromHex("#dbdb8d"), Color.FromHex("#9edae5"),
    ];

    /// <summary>The colour of the cluster at position <paramref name="rank"/> among the sorted distinct labels, as #RRGGBB.</summary>
    public static string ColorHex(int rank) => Palette[rank % Palette.Length].ToHex()[..7];

    /// <summary>The plot as PNG or SVG bytes, as <paramref name="options"/> says.</summary>
    public static byte[] Render(ClusterPlotData data, PlotOptions options)
    {
        using Plot plot = Build(data, options);
        return PlotEncoder.Encode(plot, options);
    }

    internal static Plot Build(ClusterPlotData data, PlotOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        data.Validate();
        options.Validate();

        var plot = new Plot();
        int[] labels = data.Cluster.Distinct().Order().ToArray();
        // Past the palette colours repeat, so a legend entry could name two clusters; and a legend that long would
        // squeeze the data area. Such plots list only the centroids.
        bool listClusters = labels.Length <= Palette.Length;
        for (int rank = 0; rank < labels.Length; rank++)
        {
            int label = labels[rank];
            var xs = new List<double>();
            var ys = new List<double>();
            for (int i = 0; i < data.X.Length; i++)
            {
                if (data.Cluster[i] != label) continue;
                xs.Add(data.X[i]);
                ys.Add(data.Y[i]);
            }
            var points = plot.Add.ScatterPoints(xs.ToArray(), ys.ToArray(), Palette[rank % Palette.Length]);
            points.MarkerSize = data.X.Length > 5000 ? 3 : 6;
            if (listClusters) points.LegendText = $"{data.ClusterLabel} {label}";
        }
        if (data.CentroidX is not null)
        {
            var centroids = plot.Add.Markers(data.CentroidX, data.CentroidY!, MarkerShape.Cross, 22, Colors.Black);
            centroids.MarkerStyle.LineWidth = 4;
            centroids.LegendText = "Centroids";
        }
        if (options.Title is not null) plot.Title(options.Title);
        plot.XLabel(data.XLabel);
        plot.YLabel(data.YLabel);
        plot.Axes.Bottom.TickGenerator = new DistinctTickLabels();
        plot.Axes.Left.TickGenerator = new DistinctTickLabels();
        if (!listClusters && data.CentroidX is null) return plot;
        // Outside the data area, so the legend never hides points: a list beside it, a lone entry below it.
        plot.ShowLegend(listClusters ? Edge.Right : Edge.Bottom);
        return plot;
    }
}
