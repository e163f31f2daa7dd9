using KMeansPS.Clustering;
using KMeansPS.Engine;
using KMeansPS.Input;

namespace KMeansPS.Bridge;

/// <summary>
/// Assigns points to given centres (a model's): each point to the nearest, ties to the lowest index. The engine's
/// kernels label the points in a space centred and scaled on the centres (exact to float32 there, as in a fit); a
/// point too far out for float32 squares is labelled in double precision instead. The space depends only on the
/// centres, so the same centres give the same labels, whether fresh from a fit or read back from Clixml or JSON.
/// </summary>
internal static class PointAssignment
{
    /// <summary>The nearest centre of each row; <paramref name="reuse"/>, an N x D float buffer no longer needed, saves allocating one.</summary>
    public static int[] Assign(PointTable table, double[][] centroids, double[]? mean, double[]? deviation, int threads,
        CancellationToken cancellationToken, float[]? reuse = null)
    {
        var labels = new int[table.Count];
        if (centroids.Length == 1 || table.Count == 0) return labels;
        FeatureSpace space = FeatureSpace.ForCentroids(centroids, mean, deviation);
        float[] rows = space.EngineRows(table, out List<int>? beyond, threads, reuse);
        float[] centres = space.EngineCentroids(centroids)!; // within the limit by construction: the space spans them
        KMeans.Predict(rows, table.Dimensions, centres, labels, default, threads, cancellationToken: cancellationToken);
        if (beyond is not null)
        {
            double[][] working = ExactStatistics.ToWorking(centroids, space);
            foreach (int i in beyond) labels[i] = ExactStatistics.Nearest(ExactStatistics.WorkingRow(table, i, space), working);
        }
        return labels;
    }
}
