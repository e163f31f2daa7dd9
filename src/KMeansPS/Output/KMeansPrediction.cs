namespace KMeansPS.Output;

/// <summary>New points assigned to an existing model's clusters: what Invoke-KMeans -Model returns without -PassThru.</summary>
public sealed class KMeansPrediction
{
    internal KMeansPrediction() { }

    /// <summary>Number of clusters of the model.</summary>
    public int K { get; internal init; }
    /// <summary>Number of points assigned.</summary>
    public int Count { get; internal init; }
    /// <summary>The properties the points were read from (the model's).</summary>
    public string[] Properties { get; internal init; } = [];
    /// <summary>The cluster of each point, in input order.</summary>
    public int[] Labels { get; internal init; } = [];
    /// <summary>Rows assigned to each cluster (numpy.bincount(labels)): with -Weight a row of weight 0 counts as one.</summary>
    public int[] ClusterSizes { get; internal init; } = [];
    /// <summary>Sum of the -Weight of the rows assigned to each cluster; without -Weight the same numbers as <see cref="ClusterSizes"/>.</summary>
    public double[] ClusterWeights { get; internal init; } = [];
    /// <summary>Sum of (weighted) squared distances of the points to their centroid (scikit-learn's -score), in the model's units.</summary>
    public double Inertia { get; internal init; }

    /// <inheritdoc/>
    public override string ToString() => $"{Count} points in {K} clusters, inertia {Inertia:G6}";
}
