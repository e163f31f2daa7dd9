namespace KMeansPS.Plotting;

/// <summary>Points with their cluster labels, and optionally the centroids, for a scatter plot.</summary>
internal sealed class ClusterPlotData
{
    public required double[] X { get; init; }
    public required double[] Y { get; init; }
    /// <summary>Cluster label of each point (any integers; each distinct label gets a colour).</summary>
    public required int[] Cluster { get; init; }
    public double[]? CentroidX { get; init; }
    public double[]? CentroidY { get; init; }
    public string XLabel { get; init; } = "X";
    public string YLabel { get; init; } = "Y";
    /// <summary>Legend prefix for clusters, e.g. "Cluster" gives "Cluster 0", "Cluster 1", ...</summary>
    public string ClusterLabel { get; init; } = "Cluster";

    internal void Validate()
    {
        if (X is null || Y is null || Cluster is null) throw new ArgumentException("X, Y and Cluster are required.");
        if (X.Length == 0) throw new ArgumentException("There are no points to plot.");
        if (Y.Length != X.Length || Cluster.Length != X.Length)
            throw new ArgumentException($"X, Y and Cluster must have the same length (got {X.Length}, {Y.Length}, {Cluster.Length}).");
        PlotChecks.Finite(X, "X");
        PlotChecks.Finite(Y, "Y");
        if ((CentroidX is null) != (CentroidY is null)) throw new ArgumentException("Give both CentroidX and CentroidY, or neither.");
        if (CentroidX is not null)
        {
            if (CentroidX.Length != CentroidY!.Length) throw new ArgumentException("CentroidX and CentroidY must have the same length.");
            PlotChecks.Finite(CentroidX, "CentroidX");
            PlotChecks.Finite(CentroidY, "CentroidY");
        }
        PlotChecks.Drawable("X", X, CentroidX);
        PlotChecks.Drawable("Y", Y, CentroidY);
    }
}
