using KMeansPS.Input;

namespace KMeansPS.Clustering;

/// <summary>
/// What the user sees, computed in double precision from the values read (as scikit-learn, which works in float64):
/// the centres as means of their points, the inertia, distances, and the standardization. The engine's float32 fit
/// decides which point belongs where; these say where the centres are and how far the points lie from them. Each block
/// of rows is summed on its own and the blocks are added in order, so the results do not depend on the thread count.
/// </summary>
internal static class ExactStatistics
{
    // Most partial sums (doubles) the per-block centre sums may take: beyond it, blocks are summed in larger groups.
    private const long MaxPartialSums = 1L << 24;

    /// <summary>
    /// A column whose standard deviation is at most this many units in the last place of its mean counts as constant.
    /// Tighter than scikit-learn's bound (which grows with the rows and takes a spread of 2.6 at 1e15 for rounding),
    /// since these statistics are computed on centred, scaled values and do not lose the spread to the offset.
    /// </summary>
    internal const double RoundingUlps = 4;

    /// <summary>
    /// Weighted mean and population standard deviation of each column (scikit-learn's StandardScaler); a constant
    /// column gets deviation 1, so it stays as it is. So does a column whose deviation is within a few units in the last
    /// place of its mean (<see cref="RoundingUlps"/>): values that differ only by how arithmetic rounded them (0.1 + 0.2
    /// against 0.3) would otherwise become z-scores of about ±1 and decide the clusters.
    /// </summary>
    public static (double[] Mean, double[] Deviation) Standardization(PointTable table, int threads = 1)
    {
        int dims = table.Dimensions;
        int blocks = table.Columns[0].BlockCount;
        // Work in the space that centres and scales each column, so values up to 1e300 neither overflow nor round away.
        FeatureSpace space = FeatureSpace.ForData(table, null, null, threads);
        int weightExponent = WeightExponent(table);
        var partial = new double[blocks * (dims + 1)];
        // Each block's least and greatest engine value per column: the largest deviation from the mean is at one of them.
        var least = new double[blocks * dims];
        var greatest = new double[blocks * dims];
        BlockLoop.Run(blocks, threads, b =>
        {
            ReadOnlySpan<double> weights = table.Weights is null ? default : table.Weights.Block(b);
            for (int j = 0; j < dims; j++)
            {
                ReadOnlySpan<double> values = table.Columns[j].Block(b);
                double sum = 0, low = double.PositiveInfinity, high = double.NegativeInfinity;
                for (int i = 0; i < values.Length; i++)
                {
                    double engine = space.Engine(values[i], j);
                    sum += Weight(weights, i, weightExponent) * engine;
                    low = Math.Min(low, engine);
                    high = Math.Max(high, engine);
                }
                partial[b * (dims + 1) + j] = sum;
                least[b * dims + j] = low;
                greatest[b * dims + j] = high;
            }
            double total = 0;
            for (int i = 0; i < table.Columns[0].Block(b).Length; i++) total += Weight(weights, i, weightExponent);
            partial[b * (dims + 1) + dims] = total;
        });
        double totalWeight = 0;
        var engineMean = new double[dims];
        for (int b = 0; b < blocks; b++)
        {
            for (int j = 0; j < dims; j++) engineMean[j] += partial[b * (dims + 1) + j];
            totalWeight += partial[b * (dims + 1) + dims];
        }
        for (int j = 0; j < dims; j++) engineMean[j] /= totalWeight;

        // Each column's squares on its own power of two (its largest deviation from the mean scaled to [1, 2)): on the
        // space's shared scale, set by the widest column, the squares of a column 1e154 times narrower underflowed to 0
        // and it was taken for constant. Subtraction rounds monotonically, so that deviation is the least's or the
        // greatest's.
        var spreadExponent = new int[dims];
        for (int j = 0; j < dims; j++)
        {
            double most = 0;
            for (int b = 0; b < blocks; b++)
            {
                if (least[b * dims + j] > greatest[b * dims + j]) continue; // a block without rows
                most = Math.Max(most, Math.Max(Math.Abs(least[b * dims + j] - engineMean[j]), Math.Abs(greatest[b * dims + j] - engineMean[j])));
            }
            spreadExponent[j] = most > 0 && double.IsFinite(most) ? Math.ILogB(most) : 0;
        }

        BlockLoop.Run(blocks, threads, b =>
        {
            ReadOnlySpan<double> weights = table.Weights is null ? default : table.Weights.Block(b);
            for (int j = 0; j < dims; j++)
            {
                ReadOnlySpan<double> values = table.Columns[j].Block(b);
                double squares = 0;
                for (int i = 0; i < values.Length; i++)
                {
                    double d = Math.ScaleB(space.Engine(values[i], j) - engineMean[j], -spreadExponent[j]);
                    squares += Weight(weights, i, weightExponent) * (d * d);
                }
                partial[b * (dims + 1) + j] = squares;
            }
        });
        var mean = new double[dims];
        var deviation = new double[dims];
        for (int j = 0; j < dims; j++)
        {
            double squares = 0;
            for (int b = 0; b < blocks; b++) squares += partial[b * (dims + 1) + j];
            mean[j] = space.WorkingFromEngine(engineMean[j], j);
            double sd = Math.ScaleB(Math.Sqrt(squares / totalWeight), space.Exponent + spreadExponent[j]);
            double magnitude = Math.Abs(mean[j]);
            deviation[j] = sd > RoundingUlps * (Math.BitIncrement(magnitude) - magnitude) && double.IsFinite(sd) ? sd : 1;
        }
        return (mean, deviation);
    }

    /// <summary>
    /// The weighted mean of each cluster's points in user units (K x D). Each cluster's sum is taken relative to its
    /// first point, so a cluster of small values keeps its digits beside one of huge values; the differences are scaled
    /// by the space's power of two so that no sum overflows. A cluster whose points weigh nothing keeps
    /// <paramref name="fallback"/>'s centre.
    /// </summary>
    public static double[][] Means(PointTable table, int[] labels, int k, FeatureSpace space, double[][] fallback, int threads = 1)
    {
        int dims = table.Dimensions, n = table.Count;
        int weightExponent = WeightExponent(table);
        var first = new int[k];
        Array.Fill(first, -1);
        for (int i = 0; i < n; i++)
        {
            if (first[labels[i]] < 0) first[labels[i]] = i;
        }
        var reference = new double[k * dims];
        for (int c = 0; c < k; c++)
        {
            for (int j = 0; j < dims && first[c] >= 0; j++) reference[c * dims + j] = space.Working(table.Value(first[c], j), j);
        }

        // Blocks are summed in groups small enough that the partial sums stay within budget (a choice of N, K and D only).
        int blocks = table.Columns[0].BlockCount;
        int stride = k * (dims + 1);
        int perGroup = (int)Math.Max(1, (long)blocks * stride / MaxPartialSums + 1);
        int groups = (blocks + perGroup - 1) / perGroup;
        var partial = new double[(long)groups * stride];
        BlockLoop.Run(groups, threads, g =>
        {
            Span<double> sums = partial.AsSpan((int)((long)g * stride), stride);
            for (int b = g * perGroup; b < Math.Min(blocks, (g + 1) * perGroup); b++)
            {
                int start = b * DoubleColumn.BlockLength;
                ReadOnlySpan<double> weights = table.Weights is null ? default : table.Weights.Block(b);
                int count = table.Columns[0].Block(b).Length;
                for (int i = 0; i < count; i++) sums[labels[start + i] * (dims + 1) + dims] += Weight(weights, i, weightExponent);
                for (int j = 0; j < dims; j++)
                {
                    ReadOnlySpan<double> values = table.Columns[j].Block(b);
                    for (int i = 0; i < values.Length; i++)
                    {
                        int c = labels[start + i];
                        sums[c * (dims + 1) + j] += Weight(weights, i, weightExponent)
                            * space.Scale(space.Working(values[i], j) - reference[c * dims + j]);
                    }
                }
            }
        });
        var totals = new double[stride];
        for (int g = 0; g < groups; g++)
            for (int s = 0; s < stride; s++) totals[s] += partial[(long)g * stride + s];

        var centroids = new double[k][];
        for (int c = 0; c < k; c++)
        {
            double weight = totals[c * (dims + 1) + dims];
            if (!(weight > 0))
            {
                centroids[c] = (double[])fallback[c].Clone();
                continue;
            }
            centroids[c] = new double[dims];
            for (int j = 0; j < dims; j++)
                centroids[c][j] = space.Original(reference[c * dims + j] + Math.ScaleB(totals[c * (dims + 1) + j] / weight, space.Exponent), j);
        }
        return centroids;
    }

    /// <summary>Sum over points of weight x squared distance to its centre, in working units (z-scores when standardized).</summary>
    public static double Inertia(PointTable table, int[] labels, double[][] workingCentroids, FeatureSpace space, int threads = 1) =>
        Inertia(table, labels, workingCentroids, space, threads, out _);

    /// <summary>
    /// As <see cref="Inertia(PointTable, int[], double[][], FeatureSpace, int)"/>; <paramref name="apart"/> says whether any
    /// point differs from its centre at all, so an inertia of 0 or below double's normal range (squares of differences
    /// under 1.5e-162 underflow) can be told from one that is exactly that (<see cref="IsUnderflowed"/>).
    /// </summary>
    public static double Inertia(PointTable table, int[] labels, double[][] workingCentroids, FeatureSpace space, int threads, out bool apart)
    {
        int dims = table.Dimensions;
        int blocks = table.Columns[0].BlockCount;
        var partial = new double[blocks];
        var blockApart = new bool[blocks];
        BlockLoop.Run(blocks, threads, b =>
        {
            int start = b * DoubleColumn.BlockLength;
            int count = table.Columns[0].Block(b).Length;
            var squared = new double[count];
            var rowApart = new bool[count];
            for (int j = 0; j < dims; j++)
            {
                ReadOnlySpan<double> values = table.Columns[j].Block(b);
                for (int i = 0; i < count; i++)
                {
                    double d = space.Working(values[i], j) - workingCentroids[labels[start + i]][j];
                    squared[i] += d * d;
                    rowApart[i] |= d != 0;
                }
            }
            ReadOnlySpan<double> weights = table.Weights is null ? default : table.Weights.Block(b);
            double total = 0;
            for (int i = 0; i < count; i++)
            {
                double weight = weights.IsEmpty ? 1.0 : weights[i];
                total += weight * squared[i];
                // A row of weight 0 adds exactly 0 wherever it lies: its distance loses no digits of the inertia.
                blockApart[b] |= rowApart[i] && weight != 0;
            }
            partial[b] = total;
        });
        apart = Array.IndexOf(blockApart, true) >= 0;
        return BlockLoop.Sum(partial);
    }

    /// <summary>
    /// Whether an <paramref name="inertia"/> of points <paramref name="apart"/> from their centres lost its digits: below
    /// double's smallest normal value (2.2e-308) it holds fewer significant bits, down to none at 0.
    /// </summary>
    public static bool IsUnderflowed(double inertia, bool apart) => apart && inertia < 2.2250738585072014E-308;

    /// <summary>Centres in working units (z-scores when standardized).</summary>
    public static double[][] ToWorking(double[][] centroids, FeatureSpace space) =>
        centroids.Select(c => c.Select((v, j) => space.Working(v, j)).ToArray()).ToArray();

    /// <summary>Point <paramref name="row"/> in working units.</summary>
    public static double[] WorkingRow(PointTable table, int row, FeatureSpace space) => WorkingRow(table, row, space, new double[table.Dimensions]);

    /// <summary>Point <paramref name="row"/> in working units, written into <paramref name="point"/> (D long), which is returned.</summary>
    public static double[] WorkingRow(PointTable table, int row, FeatureSpace space, double[] point)
    {
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

    /// <summary>
    /// The Euclidean distance, as the square root of <see cref="SquaredDistance"/> while that sum is a normal double, else
    /// scaled by the largest difference first, so distances beyond 1e154 do not overflow to infinity and those below
    /// 1e-154 do not vanish to 0 (coordinates may be any number up to ±1e300).
    /// </summary>
    public static double Distance(double[] point, double[] centre)
    {
        double squared = SquaredDistance(point, centre);
        if (squared is > 1e-300 and < 1e300) return Math.Sqrt(squared);
        double largest = 0;
        for (int j = 0; j < point.Length; j++) largest = Math.Max(largest, Math.Abs(point[j] - centre[j]));
        if (largest == 0 || !double.IsFinite(largest)) return largest;
        double sum = 0;
        for (int j = 0; j < point.Length; j++)
        {
            double d = (point[j] - centre[j]) / largest;
            sum += d * d;
        }
        return largest * Math.Sqrt(sum);
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

    private static double Weight(ReadOnlySpan<double> weights, int i, int exponent)
    {
        if (weights.IsEmpty) return 1.0;
        // Multiplying by 2^-exponent is exact, as ScaleB is; the factor is a normal double for every weight but subnormal ones.
        return exponent is >= -1000 and <= 1000 ? weights[i] * Factors[exponent + 1000] : Math.ScaleB(weights[i], -exponent);
    }

    private static readonly double[] Factors = Enumerable.Range(-1000, 2001).Select(e => Math.ScaleB(1.0, -e)).ToArray();
}
