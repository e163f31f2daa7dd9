using KMeansPS.Engine.Synthetic;
using KMeansPS.Output;

namespace KMeansPS.Bridge;

/// <summary>New-SyntheticClusterData's draw: the engine's generator, its result handed back as the public matrix type.</summary>
internal static class SyntheticDataJob
{
    /// <summary>Draws the points; <paramref name="centers"/> is row-major (clusters x dimensions) or null for random centres.</summary>
    public static SyntheticClusterMatrix Generate(int count, int clusters, int dimensions, double[] spread, double[]? centers,
        double centerBoxMin, double centerBoxMax, double noiseScale, bool shuffle, int seed)
    {
        SyntheticClusterSet set = SyntheticClusterGenerator.Generate(new SyntheticClusterOptions
        {
            Count = count,
            Clusters = clusters,
            Dimensions = dimensions,
            Spread = spread,
            Centers = centers,
            CenterBoxMin = centerBoxMin,
            CenterBoxMax = centerBoxMax,
            NoiseScale = noiseScale,
            Shuffle = shuffle,
            Seed = (ulong)seed,
        });
        var centerRows = new double[clusters][];
        for (int c = 0; c < clusters; c++)
        {
            centerRows[c] = set.Centers.AsSpan(c * dimensions, dimensions).ToArray();
        }
        return new SyntheticClusterMatrix(set.Points, set.Count, dimensions, set.TrueCluster, centerRows, seed);
    }
}
