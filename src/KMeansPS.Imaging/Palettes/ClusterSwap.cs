using System.Runtime.CompilerServices;

namespace KMeansPS.Imaging.Palettes;

/// <summary>
/// A move out of a k-means local optimum: the centre whose removal would raise the weighted error least is taken
/// away, and the cluster with the largest scatter is split in two along its principal axis. Lloyd's iterations,
/// started from the result, then settle the rest. A fit on a screenshot can spend two centres on the noise of one
/// text colour while a large soft shadow keeps one, and every seeding may land there (the 769 x 784 GUI screenshot of
/// perf/small-images.ps1 at K = 16: all nine seedings of seeds 1 and 8 of 1-8). The move finds the better optimum,
/// whose indices also vary less (a file of 5.7 KB instead of 14.6 KB there).
/// Scalar and in double, in a fixed order, so the same inputs give the same bits on every machine.
/// </summary>
internal static class ClusterSwap
{
    /// <summary>
    /// Power-iteration steps for the principal axis: enough unless the two largest variances are nearly equal, and then
    /// either axis splits the cluster about as well.
    /// </summary>
    private const int AxisSteps = 32;

    /// <summary>
    /// The centres of a half-Gaussian split: each half's mean lies sqrt(2 / pi) standard deviations from the whole's.
    /// </summary>
    private const double HalfOffset = 0.7978845608028654;

    /// <summary>
    /// New starting centres (K x D, row-major) for <paramref name="centres"/> fitted on the <paramref name="count"/>
    /// weighted points of <paramref name="points"/> (row-major, D = <paramref name="dims"/>) with
    /// <paramref name="labels"/>, or null when no move applies (no cluster has any spread, or fewer than two centres).
    /// The cluster split is the one with the largest weighted scatter about its own mean (what a split can take away).
    /// A centre's removal cost is taken as its weight times the squared distance to the nearest other centre: what its
    /// points would add if all moved there (exact when the centre is their mean), an upper bound of the true cost, in
    /// O(N D + K^2 D) rather than a second-nearest search over every point.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float[]? SplitAndRemove(ReadOnlySpan<float> points, ReadOnlySpan<float> weights, int count, int dims,
        ReadOnlySpan<float> centres, ReadOnlySpan<int> labels, CancellationToken cancellationToken)
    {
        int k = centres.Length / dims;
        if (k < 2) return null;
        var mass = new double[k];
        var mean = new double[k * dims];
        for (int i = 0; i < count; i++)
        {
            if ((i & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
            int at = labels[i] * dims, row = i * dims;
            double w = weights[i];
            mass[labels[i]] += w;
            for (int j = 0; j < dims; j++) mean[at + j] += w * points[row + j];
        }
        for (int c = 0; c < k; c++)
            for (int j = 0; j < dims; j++)
                mean[c * dims + j] = mass[c] > 0 ? mean[c * dims + j] / mass[c] : 0;
        var scatter = new double[k];
        for (int i = 0; i < count; i++)
        {
            int at = labels[i] * dims, row = i * dims;
            double dist = 0;
            for (int j = 0; j < dims; j++)
            {
                double diff = points[row + j] - mean[at + j];
                dist += diff * diff;
            }
            scatter[labels[i]] += weights[i] * dist;
        }
        var removal = new double[k];
        for (int c = 0; c < k; c++)
        {
            double nearest = double.PositiveInfinity;
            for (int o = 0; o < k; o++)
            {
                if (o == c) continue;
                double dist = 0;
                for (int j = 0; j < dims; j++)
                {
                    double diff = (double)centres[c * dims + j] - centres[o * dims + j];
                    dist += diff * diff;
                }
                nearest = Math.Min(nearest, dist);
            }
            removal[c] = mass[c] * nearest;
        }

        int split = 0;
        for (int c = 1; c < k; c++)
            if (scatter[c] > scatter[split]) split = c;
        if (!(scatter[split] > 0)) return null;
        int removed = split == 0 ? 1 : 0;
        for (int c = 0; c < k; c++)
            if (c != split && removal[c] < removal[removed]) removed = c;

        // The split cluster's weighted covariance, and its point farthest from the mean.
        ReadOnlySpan<double> centre = mean.AsSpan(split * dims, dims);
        double total = mass[split];
        var covariance = new double[dims * dims];
        int farthest = -1;
        double farthestDistance = -1;
        for (int i = 0; i < count; i++)
        {
            if (labels[i] != split) continue;
            double w = weights[i], dist = 0;
            for (int a = 0; a < dims; a++)
            {
                double da = points[i * dims + a] - centre[a];
                dist += da * da;
                for (int b = 0; b < dims; b++) covariance[a * dims + b] += w * da * (points[i * dims + b] - centre[b]);
            }
            if (dist > farthestDistance) { farthestDistance = dist; farthest = i; }
        }
        if (!(farthestDistance > 0)) return null;
        for (int j = 0; j < covariance.Length; j++) covariance[j] /= total;

        // The principal axis by power iteration, started from the point farthest from the mean. Should that point lie
        // on a minor axis exactly, the split is a poorer one; the caller keeps a move only if it lowers the error.
        var axis = new double[dims];
        for (int j = 0; j < dims; j++) axis[j] = points[farthest * dims + j] - centre[j];
        double variance = 0;
        var next = new double[dims];
        for (int step = 0; step < AxisSteps; step++)
        {
            double norm = 0;
            for (int j = 0; j < dims; j++) norm += axis[j] * axis[j];
            norm = Math.Sqrt(norm);
            if (!(norm > 0)) return null;
            for (int j = 0; j < dims; j++) axis[j] /= norm;
            variance = 0;
            for (int a = 0; a < dims; a++)
            {
                double s = 0;
                for (int b = 0; b < dims; b++) s += covariance[a * dims + b] * axis[b];
                next[a] = s;
                variance += axis[a] * s;
            }
            (axis, next) = (next, axis);
        }
        // `axis` now holds covariance x unit axis: normalise once more for the direction.
        double length = 0;
        for (int j = 0; j < dims; j++) length += axis[j] * axis[j];
        length = Math.Sqrt(length);
        if (!(length > 0) || !(variance > 0)) return null;
        double offset = HalfOffset * Math.Sqrt(variance) / length;

        float[] start = centres.ToArray();
        for (int j = 0; j < dims; j++)
        {
            start[split * dims + j] = (float)(centre[j] + offset * axis[j]);
            start[removed * dims + j] = (float)(centre[j] - offset * axis[j]);
        }
        return start;
    }
}
