namespace KMeansPS.Engine.Synthetic;

/// <summary>Generated points with the cluster each was drawn from.</summary>
internal sealed class SyntheticClusterSet
{
    /// <summary>Count x Dimensions row-major coordinates.</summary>
    public required double[] Points { get; init; }
    public required int[] TrueCluster { get; init; }
    /// <summary>Clusters x Dimensions row-major centres the blobs were drawn around.</summary>
    public required double[] Centers { get; init; }
    public required int Count { get; init; }
    public required int Dimensions { get; init; }
    public required int Clusters { get; init; }
    public required ulong Seed { get; init; }
}
