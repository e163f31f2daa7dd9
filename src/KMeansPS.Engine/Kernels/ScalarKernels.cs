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
    /// <summary>
    /// Squared distance: diff0*diff0, then + diff_d*diff_d in coordinate order. At D = 2-4 (colours: the
    /// image kernels) the product is rounded before the add; at any other D each later term is fused, the
    /// product added unrounded (<see cref="MathF.FusedMultiplyAdd"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Distance(ref float point, nint stride, int dims, ref float centre)
    {
        float diff = point - centre;
        float sum = diff * diff;
        if (FusesTerms(dims))
        {
            for (int d = 1; d < dims; d++)
            {
                diff = Unsafe.Add(ref point, d * stride) - Unsafe.Add(ref centre, d);
                sum = MathF.FusedMultiplyAdd(diff, diff, sum);
            }
            return sum;
        }
        for (int d = 1; d < dims; d++)
        {
            diff = Unsafe.Add(ref point, d * stride) - Unsafe.Add(ref centre, d);
            sum = sum + diff * diff;
        }
        return sum;
    }

    /// <summary>Whether a distance in <paramref name="dims"/> dimensions fuses its terms: every D but the colour kernels' 2-4.</summary>
    internal static bool FusesTerms(int dims) => dims is not (2 or 3 or 4);

    /// <summary>Nearest centre of each point (ties: lowest index) and its squared distance.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    /// <summary>
    /// The k-means++ potential of one candidate over a block: sum of weight x min(closest, |point - centre|^2),
    /// summed exactly as <see cref="ChunkSums"/> sums (eight accumulators by index mod 8). Equals
    /// <see cref="MinDistance"/> followed by <see cref="ChunkSums.SumScalar"/>, without the buffer.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double MinDistanceSum(ReadOnlySpan<float> planes, int stride, int count, int dims,
        ReadOnlySpan<float> centre, ReadOnlySpan<float> closest, ReadOnlySpan<float> weights)
    {
        KernelChecks.MinDistanceSum(planes, stride, count, dims, centre, closest, weights);
        Span<double> acc = stackalloc double[ChunkSums.Accumulators];
        acc.Clear();
        AddMinDistances(planes, stride, 0, count, dims, centre, closest, weights, acc);
        return ChunkSums.Combine(acc);
    }

    /// <summary>
    /// One k-means++ step's pass over a block: first closest = min(closest, |point - pending|^2) when a pending centre
    /// is given (<see cref="MinDistance"/> in place), then each candidate's potential (<see cref="MinDistanceSum"/>)
    /// into <paramref name="sums"/>, one per candidate row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void FoldAndMinDistanceSums(ReadOnlySpan<float> planes, int stride, int count, int dims,
        ReadOnlySpan<float> pending, ReadOnlySpan<float> candidates, Span<float> closest, ReadOnlySpan<float> weights, Span<double> sums)
    {
        KernelChecks.FoldAndMinDistanceSums(planes, stride, count, dims, pending, candidates, closest, weights, sums);
        if (!pending.IsEmpty) MinDistance(planes, stride, count, dims, pending, closest, closest);
        for (int t = 0; t < sums.Length; t++)
            sums[t] = MinDistanceSum(planes, stride, count, dims, candidates.Slice(t * dims, dims), closest, weights);
    }

    /// <summary>Adds points [from, to) into the eight accumulators (lane = index mod 8); vector tails reuse it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void AddMinDistances(ReadOnlySpan<float> planes, int stride, int from, int to, int dims,
        ReadOnlySpan<float> centre, ReadOnlySpan<float> closest, ReadOnlySpan<float> weights, Span<double> acc)
    {
        ref float p = ref MemoryMarshal.GetReference(planes);
        ref float c = ref MemoryMarshal.GetReference(centre);
        for (int i = from; i < to; i++)
        {
            float dist = Distance(ref Unsafe.Add(ref p, i), stride, dims, ref c);
            float old = closest[i];
            float min = dist < old ? dist : old;
            acc[i & 7] += weights.IsEmpty ? min : (double)min * weights[i];
        }
    }
}
