using System.Runtime.CompilerServices;
using KMeansPS.Engine.Fitting;
using KMeansPS.Engine.Random;

namespace KMeansPS.Engine.Selection;

/// <summary>
/// The silhouette score of a clustering (Rousseeuw 1987, as scikit-learn's silhouette_score computes it): for each
/// point, a = mean distance to the other points of its cluster, b = the smallest mean distance to the points of
/// another cluster, s = (b - a) / max(a, b), and 0 for a point alone in its cluster; the score is the mean of s,
/// from -1 to 1, higher meaning better separated. Euclidean distances in double precision. Quadratic in the number of
/// points, so large data is scored on a seeded sample (<see cref="Sample"/>).
/// </summary>
internal static class Silhouette
{
    private const int PointsPerBlock = 64;

    /// <summary>
    /// The mean silhouette of the points in <paramref name="data"/> (N x D, row-major) labelled
    /// <paramref name="labels"/> (0 to <paramref name="k"/> - 1). NaN when fewer than two clusters hold points. Each
    /// point's value is computed on its own and the values are summed in point order, so the result does not depend
    /// on the number of threads.
    /// </summary>
    public static double Score(ReadOnlySpan<double> data, int dimensions, ReadOnlySpan<int> labels, int k,
        int? maxDegreeOfParallelism = null, CancellationToken cancellationToken = default)
    {
        if (dimensions < 1) ThrowHelper.OutOfRange(nameof(dimensions), dimensions, "Dimensions must be at least 1.");
        if (k < 1) ThrowHelper.OutOfRange(nameof(k), k, "K must be at least 1.");
        if (data.Length % dimensions != 0) ThrowHelper.Argument($"The data length {data.Length} is not a multiple of {dimensions}.", nameof(data));
        int n = data.Length / dimensions;
        if (labels.Length != n) ThrowHelper.Argument($"There are {labels.Length} labels for {n} points.", nameof(labels));
        var sizes = new int[k];
        for (int i = 0; i < n; i++)
        {
            if ((uint)labels[i] >= (uint)k) ThrowHelper.Argument($"Label {labels[i]} of point {i} is outside 0..{k - 1}.", nameof(labels));
            sizes[labels[i]]++;
        }
        for (int i = 0; i < data.Length; i++)
        {
            if (!double.IsFinite(data[i])) ThrowHelper.Argument($"Point {i / dimensions} holds {data[i]}; values must be finite.", nameof(data));
        }
        if (sizes.Count(s => s > 0) < 2) return double.NaN;

        double[] rows = data.ToArray();
        ScaleToUnitSpread(rows, dimensions);
        int[] owners = labels.ToArray();
        var values = new double[n];
        int blocks = (n + PointsPerBlock - 1) / PointsPerBlock;
        ChunkScheduler.Run(blocks, maxDegreeOfParallelism ?? Environment.ProcessorCount, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, block) =>
        {
            var sums = new double[k];
            int end = Math.Min(n, (block + 1) * PointsPerBlock);
            for (int i = block * PointsPerBlock; i < end; i++) values[i] = PointValue(rows, dimensions, owners, sizes, i, sums);
        }, cancellationToken);
        double total = 0;
        foreach (double v in values) total += v;
        return total / n;
    }

    /// <summary>
    /// The silhouette does not change when every coordinate is moved and scaled alike. Squared distances overflow when
    /// a column spreads over more than about 1e154 and vanish below about 1e-154, so such data is first centred on
    /// each column's middle and scaled by a power of two to a largest spread near 1 (ordinary data is left as it is).
    /// </summary>
    private static void ScaleToUnitSpread(double[] rows, int dimensions)
    {
        var min = new double[dimensions];
        var max = new double[dimensions];
        Array.Fill(min, double.PositiveInfinity);
        Array.Fill(max, double.NegativeInfinity);
        for (int i = 0; i < rows.Length; i++)
        {
            int d = i % dimensions;
            min[d] = Math.Min(min[d], rows[i]);
            max[d] = Math.Max(max[d], rows[i]);
        }
        double spread = 0;
        for (int d = 0; d < dimensions; d++) spread = Math.Max(spread, max[d] / 2 - min[d] / 2); // halves: no overflow
        if (spread == 0 || spread is > 1e-150 and < 1e150) return;
        int exponent = Math.ILogB(spread);
        for (int i = 0; i < rows.Length; i++)
        {
            int d = i % dimensions;
            double middle = min[d] / 2 + max[d] / 2;
            rows[i] = Math.ScaleB(rows[i] / 2 - middle / 2, 1 - exponent);
        }
    }

    private static double PointValue(double[] rows, int dims, int[] labels, int[] sizes, int i, double[] sums)
    {
        int own = labels[i];
        if (sizes[own] < 2) return 0;
        Array.Clear(sums);
        int n = labels.Length;
        int pi = i * dims;
        for (int j = 0; j < n; j++)
        {
            int pj = j * dims;
            double squared = 0;
            for (int d = 0; d < dims; d++)
            {
                double diff = rows[pi + d] - rows[pj + d];
                squared += diff * diff;
            }
            sums[labels[j]] += Math.Sqrt(squared);
        }
        double a = sums[own] / (sizes[own] - 1);
        double b = double.PositiveInfinity;
        for (int c = 0; c < sums.Length; c++)
        {
            if (c != own && sizes[c] > 0) b = Math.Min(b, sums[c] / sizes[c]);
        }
        double scale = Math.Max(a, b);
        return scale > 0 ? (b - a) / scale : 0;
    }

    /// <summary>
    /// <paramref name="count"/> distinct indices out of 0..<paramref name="n"/> - 1, ascending, drawn uniformly with
    /// the engine's seeded generator (selection sampling, one pass), so the same seed picks the same points
    /// everywhere. All indices when <paramref name="count"/> is at least <paramref name="n"/>.
    /// </summary>
    public static int[] Sample(int n, int count, ulong seed)
    {
        if (n < 0) ThrowHelper.OutOfRange(nameof(n), n, "n must be >= 0.");
        if (count < 0) ThrowHelper.OutOfRange(nameof(count), count, "count must be >= 0.");
        if (count >= n) return Enumerable.Range(0, n).ToArray();
        var rng = new DeterministicRandom(seed);
        var chosen = new int[count];
        int taken = 0;
        for (int i = 0; i < n && taken < count; i++)
        {
            // Take point i with probability (still needed) / (still available): every subset equally likely.
            if (rng.NextDouble() * (n - i) < count - taken) chosen[taken++] = i;
        }
        return chosen;
    }
}
