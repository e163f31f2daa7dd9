namespace KMeansPS.Engine.Synthetic;

/// <summary>How to draw Gaussian blobs (the shape of scikit-learn's make_blobs, plus the blog's noise).</summary>
internal sealed class SyntheticClusterOptions
{
    public int Count { get; init; } = 300;
    public int Clusters { get; init; } = 3;
    public int Dimensions { get; init; } = 2;
    /// <summary>Standard deviation of each cluster: one value for all, or one per cluster.</summary>
    public double[] Spread { get; init; } = [1.0];
    /// <summary>Clusters x Dimensions row-major centres; null draws them uniformly in [CenterBoxMin, CenterBoxMax).</summary>
    public double[]? Centers { get; init; }
    public double CenterBoxMin { get; init; } = -10.0;
    public double CenterBoxMax { get; init; } = 10.0;
    /// <summary>
    /// The blog's "uncorrelated noise": each column gets NoiseScale x N(column mean, column std) added,
    /// drawn independently per value. 0 adds none.
    /// </summary>
    public double NoiseScale { get; init; }
    /// <summary>Shuffle the points (true) or emit them cluster by cluster.</summary>
    public bool Shuffle { get; init; } = true;
    public ulong Seed { get; init; }
}
