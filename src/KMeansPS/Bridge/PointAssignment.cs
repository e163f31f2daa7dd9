using KMeansPS.Clustering;
using KMeansPS.Engine;
using KMeansPS.Input;

namespace KMeansPS.Bridge;

/// <summary>
/// Assigns points to given centres (a model's): each point to the nearest in double precision, ties to the lowest
/// index, so a label always agrees with the distances printed beside it. The engine's kernels label the points in a
/// space centred and scaled on the centres, in float32, and give each point's nearest and second nearest squared
/// distance; a label whose margin float32 cannot vouch for (the gap between the two is within the rounding the
/// point's and centres' sizes allow: centres far closer together than the data's range, as with Unix times or map
/// coordinates) is decided again in double precision, and so is a point too far out for float32 squares. The space
/// depends only on the centres, so the same centres give the same labels, whether fresh from a fit or read back from
/// Clixml or JSON.
/// </summary>
internal static class PointAssignment
{
    /// <summary>The nearest centre of each row; <paramref name="reuse"/>, an N x D float buffer no longer needed, saves allocating one.</summary>
    public static int[] Assign(PointTable table, double[][] centroids, double[]? mean, double[]? deviation, int threads,
        CancellationToken cancellationToken, float[]? reuse = null)
    {
        int n = table.Count, dims = table.Dimensions;
        var labels = new int[n];
        if (centroids.Length == 1 || n == 0) return labels;
        FeatureSpace space = FeatureSpace.ForCentroids(centroids, mean, deviation);
        float[] rows = space.EngineRows(table, out List<int>? beyond, threads, reuse);
        float[] centres = space.EngineCentroids(centroids)!; // within the limit by construction: the space spans them
        float[] nearest = new float[n], second = new float[n];
        KMeans.PredictNearestTwo(rows, dims, centres, labels, nearest, second, threads, cancellationToken: cancellationToken);

        double[][] working = ExactStatistics.ToWorking(centroids, space);
        double centreNorm = 0;
        for (int c = 0; c < centroids.Length; c++) centreNorm = Math.Max(centreNorm, Norm(centres.AsSpan(c * dims, dims)));
        // A computed squared distance is off from the one of the double values by at most (D + 5) u (|x| + |c|)^2, u = 2^-24:
        // the rounding of both to float32, then of D differences, squares and sums. Twice that, to be safe.
        double error = (2.0 * dims + 10) * Math.ScaleB(1.0, -24);
        int blocks = table.Columns[0].BlockCount;
        BlockLoop.Run(blocks, threads, b =>
        {
            int start = b * DoubleColumn.BlockLength, end = Math.Min(n, start + DoubleColumn.BlockLength);
            double[]? point = null;
            for (int i = start; i < end; i++)
            {
                double size = Norm(rows.AsSpan(i * dims, dims)) + centreNorm;
                if ((double)second[i] - nearest[i] > 2 * error * size * size) continue;
                point ??= new double[dims];
                labels[i] = ExactStatistics.Nearest(ExactStatistics.WorkingRow(table, i, space, point), working);
            }
            if ((b & 15) == 0) cancellationToken.ThrowIfCancellationRequested();
        });
        if (beyond is not null)
        {
            var point = new double[dims];
            foreach (int i in beyond) labels[i] = ExactStatistics.Nearest(ExactStatistics.WorkingRow(table, i, space, point), working);
        }
        return labels;
    }

    private static double Norm(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float v in values) sum += (double)v * v;
        return Math.Sqrt(sum);
    }
}
