

namespace KMeansPS.Engine.Kernels;

/// <summary>
/// Argument checks shared by every kernel width. They run once per call (a block of points), never per
/// point, and guard the unchecked reads the kernels do with Unsafe.Add.
/// </summary>
internal static class KernelChecks
{
    internal static void Assign(ReadOnlySpan<float> planes, int stride, int count, int dims,
        ReadOnlySpan<float> centroids, int k, Span<int> labels, Span<float> distances)
    {
        Planes(planes, stride, count, dims);
        if (k < 1 || centroids.Length < k * dims) throw new ArgumentException("Centroids shorter than K x D.", nameof(centroids));
        if (labels.Length < count || distances.Length < count) throw new ArgumentException("Output shorter than the point count.");
    }

    internal static void MinDistance(ReadOnlySpan<float> planes, int stride, int count, int dims,
        ReadOnlySpan<float> centre, ReadOnlySpan<float> closest, Span<float> result)
    {
        Planes(planes, stride, count, dims);
        if (centre.Length < dims) throw new ArgumentException("Centre shorter than D.", nameof(centre));
        if (closest.Length < count || result.Length < count) throw new ArgumentException("Buffers shorter than the point count.");
    }

    internal static void MinDistanceSum(ReadOnlySpan<float> planes, int stride, int count, int dims,
        ReadOnlySpan<float> centre, ReadOnlySpan<float> closest, ReadOnlySpan<float> weights)
    {
        Planes(planes, stride, count, dims);
        if (centre.Length < dims) throw new ArgumentException("Centre shorter than D.", nameof(centre));
        if (closest.Length < count) throw new ArgumentException("Closest distances shorter than the point count.", nameof(closest));
        if (!weights.IsEmpty && weights.Length < count) throw new ArgumentException("Weights shorter than the point count.", nameof(weights));
    }

    internal static void FoldAndMinDistanceSums(ReadOnlySpan<float> planes, int stride, int count, int dims,
        ReadOnlySpan<float> pending, ReadOnlySpan<float> candidates, Span<float> closest, ReadOnlySpan<float> weights, Span<double> sums)
    {
        Planes(planes, stride, count, dims);
        if (!pending.IsEmpty && pending.Length < dims) throw new ArgumentException("Pending centre shorter than D.", nameof(pending));
        if (candidates.Length < (long)sums.Length * dims) throw new ArgumentException("Candidates shorter than sums x D.", nameof(candidates));
        if (closest.Length < count) throw new ArgumentException("Closest distances shorter than the point count.", nameof(closest));
        if (!weights.IsEmpty && weights.Length < count) throw new ArgumentException("Weights shorter than the point count.", nameof(weights));
    }

    private static void Planes(ReadOnlySpan<float> planes, int stride, int count, int dims)
    {
        if (dims < 1 || count < 0 || stride < count) throw new ArgumentOutOfRangeException(nameof(stride));
        if (count > 0 && planes.Length < (long)(dims - 1) * stride + count)
            throw new ArgumentException("Planes shorter than (D - 1) x stride + count.", nameof(planes));
    }
}
