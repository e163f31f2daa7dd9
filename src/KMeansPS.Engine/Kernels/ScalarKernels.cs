using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KMeansPS.Engine.Kernels;

/// <summary>
/// Reference kernels, one point at a time. Every vector kernel performs, in each lane, exactly the
/// operation sequence of <see cref="Distance"/> and the strict-&lt; argmin below, so its bits equal these.
/// Points come as structure-of-arrays planes: coordinate d of point i is planes[d * stride + i].
/// </summary>
internal static class ScalarKernels
{
    /// <summary>Squared distance: diff0*diff0, then + diff_d*diff_d in coordinate order; no FMA.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Distance(ref float point, nint stride, int dims, ref float centre)
    {
        float diff = point - centre;
        float sum = diff * diff;
        for (int d = 1; d < dims; d++)
        {
            diff = Unsafe.Add(ref point, d * stride) - Unsafe.Add(ref centre, d);
            sum = sum + diff * diff;
        }
        return sum;
    }

    /// <summary>Nearest centre of each point (ties: lowest index) and its squared distance.</summary>
    internal static void AssignNearest(ReadOnlySpan<float> planes, int stride, int count, int dims,
        ReadOnlySpan<float> centroids, int k, Span<int> labels, Span<float> distances)
    {
        KernelChecks.Assign(planes, stride, count, dims, centroids, k, labels, distances);
        ref float p = ref MemoryMarshal.GetReference(planes);
        ref float c = ref MemoryMarshal.GetReference(centroids);
        for (int i = 0; i < count; i++)
        {
            ref float point = ref Unsafe.Add(ref p, i);
            float best = float.PositiveInfinity;
            int bestIndex = 0;
            for (int j = 0; j < k; j++)
            {
                float dist = Distance(ref point, stride, dims, ref Unsafe.Add(ref c, j * dims));
                if (dist < best)
                {
                    best = dist;
                    bestIndex = j;
                }
            }
            labels[i] = bestIndex;
            distances[i] = best;
        }
    }

    /// <summary>As <see cref="AssignNearest"/>, plus the second smallest squared distance (Hamerly's lower bound).</summary>
    internal static void AssignNearestTwo(ReadOnlySpan<float> planes, int stride, int count, int dims,
        ReadOnlySpan<float> centroids, int k, Span<int> labels, Span<float> distances, Span<float> secondDistances)
    {
        KernelChecks.Assign(planes, stride, count, dims, centroids, k, labels, distances);
        if (secondDistances.Length < count) throw new ArgumentException("Output too short.", nameof(secondDistances));
        ref float p = ref MemoryMarshal.GetReference(planes);
        ref float c = ref MemoryMarshal.GetReference(centroids);
        for (int i = 0; i < count; i++)
        {
            ref float point = ref Unsafe.Add(ref p, i);
            float best = float.PositiveInfinity;
            float second = float.PositiveInfinity;
            int bestIndex = 0;
            for (int j = 0; j < k; j++)
            {
                float dist = Distance(ref point, stride, dims, ref Unsafe.Add(ref c, j * dims));
                bool closer = dist < best;
                bool closerThanSecond = dist < second;
                second = closer ? best : (closerThanSecond ? dist : second);
                best = closer ? dist : best;
                bestIndex = closer ? j : bestIndex;
            }
            labels[i] = bestIndex;
            distances[i] = best;
            secondDistances[i] = second;
        }
    }

    /// <summary>result[i] = min(closest[i], |point_i - centre|^2) with the strict-&lt; rule (k-means++ potential).</summary>
    internal static void MinDistance(ReadOnlySpan<float> planes, int stride, int count, int dims,
        ReadOnlySpan<float> centre, ReadOnlySpan<float> closest, Span<float> result)
    {
        KernelChecks.MinDistance(planes, stride, count, dims, centre, closest, result);
        ref float p = ref MemoryMarshal.GetReference(planes);
        ref float c = ref MemoryMarshal.GetReference(centre);
        for (int i = 0; i < count; i++)
        {
            float dist = Distance(ref Unsafe.Add(ref p, i), stride, dims, ref c);
            float old = closest[i];
            result[i] = dist < old ? dist : old;
        }
    }
}
