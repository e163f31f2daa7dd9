namespace KMeansPS.Output;

/// <summary>
/// Bulk form of New-SyntheticClusterData (-AsMatrix): all points in one row-major array, for piping
/// large data sets into Invoke-KMeans without one object per point.
/// </summary>
public sealed class SyntheticClusterMatrix
{
    internal SyntheticClusterMatrix(double[] data, int count, int dimensions, int[] trueCluster, double[][] centers, int seed)
    {
        Data = data;
        Count = count;
        Dimensions = dimensions;
        TrueCluster = trueCluster;
        Centers = centers;
        Seed = seed;
    }

    /// <summary>Count x Dimensions coordinates, row-major.</summary>
    public double[] Data { get; }
    /// <summary>Number of points.</summary>
    public int Count { get; }
    /// <summary>Coordinates per point.</summary>
    public int Dimensions { get; }
    /// <summary>Number of clusters the points were drawn from.</summary>
    public int Clusters => Centers.Length;
    /// <summary>The cluster each point was drawn from.</summary>
    public int[] TrueCluster { get; }
    /// <summary>The centres the clusters were drawn around.</summary>
    public double[][] Centers { get; }
    /// <summary>The seed that reproduces these points.</summary>
    public int Seed { get; }

    /// <summary>The coordinates of point <paramref name="index"/>.</summary>
    public double[] GetPoint(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index));
        return Data.AsSpan(index * Dimensions, Dimensions).ToArray();
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Count} points x {Dimensions} dimensions in {Clusters} clusters (seed {Seed})";
}
