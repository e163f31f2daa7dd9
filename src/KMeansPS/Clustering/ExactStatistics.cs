using KMeansPS.Input;

namespace KMeansPS.Clustering;

/// <summary>
/// What the user sees, computed in double precision from the values read (as scikit-learn, which works in float64):
/// the centres as means of their points, the inertia, distances, and the standardization. The engine's float32 fit
/// decides which point belongs where; these say where the centres are and how far the points lie from them. Sums run
/// in row order, so the results are deterministic.
/// </summary>
internal static class ExactStatistics
{
    /// <summary>
    /// Weighted mean and population standard deviation of each column (scikit-learn's StandardScaler); a constant
    /// column gets deviation 1, so it stays as it is.
    /// </summary>
    public static (double[] Mean, double[] Deviation) Standardization(PointTable table)
    {
        int dims = table.Dimensions, n = table.Count;
        var mean = new double[dims];
        var deviation = new double[dims];
        // Work in the space that centres and scales each column, so values up to 1e300 neither overflow nor round away.
        FeatureSpace space = FeatureSpace.ForData(table, null, null);
        int weightExponent = WeightExponent(table);
        double totalWeight = 0;
        for (int i = 0; i < n; i++) totalWeight += ScaledWeight(table, i, weightExponent);
        for (int j = 0; j < dims; j++)
        {
            DoubleColumn column = table.Columns[j];
            double sum = 0;
            for (int i = 0; i < n; i++) sum += ScaledWeight(table, i, weightExponent) * space.Engine(column[i], j);
            double m = sum / totalWeight;
            double squares = 0;
            for (int i = 0; i < n; i++)
            {
                double d = space.Engine(column[i], j) - m;
                squares += ScaledWeight(table, i, weightExponent) * (d * d);
            }
            mean[j] = space.WorkingFromEngine(m, j);
            double sd = Math.ScaleB(Math.Sqrt(squares / totalWeight), space.Exponent);
            deviation[j] = sd > 0 && double.IsFinite(sd) ? sd : 1;
        }
        return (mean, deviation);
    }

    /// <summary>
    /// The weighted mean of each cluster's points in user units (K x D). Each cluster's sum is taken relative to its
    /// first point, so a cluster of small values keeps its digits beside one of huge values; the differences are scaled
    /// by the space's power of two so that no sum overflows. A cluster whose points weigh nothing keeps
    /// <paramref name="fallback"/>'s centre.
    /// </summary>
    public static double[][] Means(PointTable table, int[] labels, int k, FeatureSpace space, double[][] fallback)
    {
        int dims = table.Dimensions, n = table.Count;
        int weightExponent = WeightExponent(table);
        var first = new int[k];
        Array.Fill(first, -1);
        var weight = new double[k];
        for (int i = 0; i < n; i++)
        {
            if (first[labels[i]] < 0) first[labels[i]] = i;
            weight[labels[i]] += ScaledWeight(table, i, weightExponent);
        }
        var centroids = new double[k][];
        for (int c = 0; c < k; c++) centroids[c] = weight[c] > 0 ? new double[dims] : (double[])fallback[c].Clone();
        var sums = new double[k];
        for (int j = 0; j < dims; j++)
        {
            DoubleColumn column = table.Columns[j];
            Array.Clear(sums);
            for (int i = 0; i < n; i++)
            {
                int c = labels[i];
                double reference = space.Working(column[first[c]], j);
                sums[c] += ScaledWeight(table, i, weightExponent) * Math.ScaleB(space.Working(column[i], j) - reference, -space.Exponent);
            }
            for (int c = 0; c < k; c++)
            {
                if (!(weight[c] > 0)) continue;
                double reference = space.Working(column[first[c]], j);
                centroids[c][j] = space.Original(reference + Math.ScaleB(sums[c] / weight[c], space.Exponent), j);
            }
        }
        return centroids;
    }

    /// <summary>Sum over points of weight x squared distance to its centre, in working units (z-scores when standardized).</summary>
    public static double Inertia(PointTable table, int[] labels, double[][] workingCentroids, FeatureSpace space)
    {
        int dims = table.Dimensions, n = table.Count;
        double total = 0;
        var row = new double[dims];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < dims; j++) row[j] = space.Working(table.Columns[j][i], j);
            total += table.Weight(i) * SquaredDistance(row, workingCentroids[labels[i]]);
        }
        return total;
    }

    /// <summary>Centres in working units (z-scores when standardized).</summary>
    public static double[][] ToWorking(double[][] centroids, FeatureSpace space) =>
        centroids.Select(c => c.Select((v, j) => space.Working(v, j)).ToArray()).ToArray();

    /// <summary>Point <paramref name="row"/> in working units.</summary>
    public static double[] WorkingRow(PointTable table, int row, FeatureSpace space)
    {
        var point = new double[table.Dimensions];
        for (int j = 0; j < point.Length; j++) point[j] = space.Working(table.Columns[j][row], j);
        return point;
    }

    public static double SquaredDistance(double[] point, double[] centre)
    {
        double sum = 0;
        for (int j = 0; j < point.Length; j++)
        {
            double d = point[j] - centre[j];
            sum += d * d;
        }
        return sum;
    }

    /// <summary>The nearest centre (strictly nearer wins, so ties go to the lowest index), in double precision.</summary>
    public static int Nearest(double[] point, double[][] workingCentroids)
    {
        int best = 0;
        double bestDistance = double.PositiveInfinity;
        for (int c = 0; c < workingCentroids.Length; c++)
        {
            double d = SquaredDistance(point, workingCentroids[c]);
            if (d < bestDistance)
            {
                bestDistance = d;
                best = c;
            }
        }
        return best;
    }

    // Weights are scaled by a common power of two (the largest below 1) so that sums of weight x value cannot
    // overflow; means do not change.
    private static int WeightExponent(PointTable table)
    {
        if (table.Weights is null) return 0;
        double max = 0;
        for (int i = 0; i < table.Count; i++) max = Math.Max(max, table.Weights[i]);
        return max > 0 ? Math.ILogB(max) + 1 : 0;
    }

    private static double ScaledWeight(PointTable table, int row, int exponent) =>
        table.Weights is null ? 1.0 : Math.ScaleB(table.Weights[row], -exponent);
}
