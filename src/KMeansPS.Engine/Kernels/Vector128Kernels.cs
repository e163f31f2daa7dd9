using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace KMeansPS.Engine.Kernels;

/// <summary>
/// Kernels with Vector128 lanes (SSE on x64, NEON on ARM64) = 4 different points; the loop over centres runs inside, so each lane
/// performs exactly <see cref="ScalarKernels"/>' operation sequence (sub, mul, add in coordinate order;
/// no FMA; strict &lt; so the lowest index wins ties) and the bits equal the scalar reference by
/// construction. The last partial vector is recomputed overlapping the previous one (assignment is
/// idempotent), and blocks shorter than one vector go to the scalar reference.
/// Generated from the same source as Vector256Kernels and Vector512Kernels: keep the three in step.
/// </summary>
internal static unsafe class Vector128Kernels
{
    private static int W => Vector128<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void AssignNearest(ReadOnlySpan<float> planes, int stride, int count, int dims,
        ReadOnlySpan<float> centroids, int k, Span<int> labels, Span<float> distances)
    {
        KernelChecks.Assign(planes, stride, count, dims, centroids, k, labels, distances);
        if (count < W)
        {
            ScalarKernels.AssignNearest(planes, stride, count, dims, centroids, k, labels, distances);
            return;
        }
        fixed (float* p = planes, c = centroids, dist = distances)
        fixed (int* lab = labels)
        {
            switch (dims)
            {
                case 2: Assign<Lanes2>(p, stride, count, dims, c, k, lab, dist); break;
                case 3: Assign<Lanes3>(p, stride, count, dims, c, k, lab, dist); break;
                case 4: Assign<Lanes4>(p, stride, count, dims, c, k, lab, dist); break;
                default: Assign<LanesN>(p, stride, count, dims, c, k, lab, dist); break;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void AssignNearestTwo(ReadOnlySpan<float> planes, int stride, int count, int dims,
        ReadOnlySpan<float> centroids, int k, Span<int> labels, Span<float> distances, Span<float> secondDistances)
    {
        KernelChecks.Assign(planes, stride, count, dims, centroids, k, labels, distances);
        if (secondDistances.Length < count) throw new ArgumentException("Output too short.", nameof(secondDistances));
        if (count < W)
        {
            ScalarKernels.AssignNearestTwo(planes, stride, count, dims, centroids, k, labels, distances, secondDistances);
            return;
        }
        fixed (float* p = planes, c = centroids, dist = distances, second = secondDistances)
        fixed (int* lab = labels)
        {
            switch (dims)
            {
                case 2: AssignTwo<Lanes2>(p, stride, count, dims, c, k, lab, dist, second); break;
                case 3: AssignTwo<Lanes3>(p, stride, count, dims, c, k, lab, dist, second); break;
                case 4: AssignTwo<Lanes4>(p, stride, count, dims, c, k, lab, dist, second); break;
                default: AssignTwo<LanesN>(p, stride, count, dims, c, k, lab, dist, second); break;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MinDistance(ReadOnlySpan<float> planes, int stride, int count, int dims,
        ReadOnlySpan<float> centre, ReadOnlySpan<float> closest, Span<float> result)
    {
        KernelChecks.MinDistance(planes, stride, count, dims, centre, closest, result);
        if (count < W)
        {
            ScalarKernels.MinDistance(planes, stride, count, dims, centre, closest, result);
            return;
        }
        fixed (float* p = planes, c = centre, old = closest, res = result)
        {
            switch (dims)
            {
                case 2: Min<Lanes2>(p, stride, count, dims, c, old, res); break;
                case 3: Min<Lanes3>(p, stride, count, dims, c, old, res); break;
                case 4: Min<Lanes4>(p, stride, count, dims, c, old, res); break;
                default: Min<LanesN>(p, stride, count, dims, c, old, res); break;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double MinDistanceSum(ReadOnlySpan<float> planes, int stride, int count, int dims,
        ReadOnlySpan<float> centre, ReadOnlySpan<float> closest, ReadOnlySpan<float> weights)
    {
        KernelChecks.MinDistanceSum(planes, stride, count, dims, centre, closest, weights);
        Span<double> acc = stackalloc double[ChunkSums.Accumulators];
        int done;
        fixed (float* p = planes, c = centre, old = closest, w = weights)
        {
            done = dims switch
            {
                2 => MinSum<Lanes2>(p, stride, count, dims, c, old, w, acc),
                3 => MinSum<Lanes3>(p, stride, count, dims, c, old, w, acc),
                4 => MinSum<Lanes4>(p, stride, count, dims, c, old, w, acc),
                _ => MinSum<LanesN>(p, stride, count, dims, c, old, w, acc),
            };
        }
        ScalarKernels.AddMinDistances(planes, stride, done, count, dims, centre, closest, weights, acc);
        return ChunkSums.Combine(acc);
    }

    /// <summary>
    /// Whole groups of 8 points (two vectors): their min distances widen to doubles in four vectors whose
    /// lanes are accumulators 0-1, 2-3, 4-5 and 6-7, the canonical order. Returns how many points were
    /// added; the scalar reference adds the rest into the same accumulators.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int MinSum<T>(float* p, nint stride, int count, int dims, float* centre, float* closest, float* weights, Span<double> acc)
        where T : struct, ILanes<T>
    {
        Vector128<double> s0 = Vector128<double>.Zero, s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        for (; i <= count - 8; i += 8)
        {
            Vector128<float> d = T.Load(p + i, stride, dims).Distance(centre);
            Vector128<float> e = T.Load(p + i + 4, stride, dims).Distance(centre);
            Vector128<float> oldD = Vector128.Load(closest + i);
            Vector128<float> oldE = Vector128.Load(closest + i + 4);
            var (a, b) = Vector128.Widen(Vector128.ConditionalSelect(Vector128.LessThan(d, oldD), d, oldD));
            var (c, f) = Vector128.Widen(Vector128.ConditionalSelect(Vector128.LessThan(e, oldE), e, oldE));
            if (weights != null)
            {
                var (wa, wb) = Vector128.Widen(Vector128.Load(weights + i));
                var (wc, wf) = Vector128.Widen(Vector128.Load(weights + i + 4));
                a *= wa;
                b *= wb;
                c *= wc;
                f *= wf;
            }
            s0 += a;
            s1 += b;
            s2 += c;
            s3 += f;
        }
        acc[0] = s0[0];
        acc[1] = s0[1];
        acc[2] = s1[0];
        acc[3] = s1[1];
        acc[4] = s2[0];
        acc[5] = s2[1];
        acc[6] = s3[0];
        acc[7] = s3[1];
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Assign<T>(float* p, nint stride, int count, int dims, float* c, int k, int* labels, float* dist)
        where T : struct, ILanes<T>
    {
        int i = 0;
        for (; i <= count - 2 * W; i += 2 * W)
        {
            T a = T.Load(p + i, stride, dims);
            T b = T.Load(p + i + W, stride, dims);
            Vector128<float> bestA = Vector128.Create(float.PositiveInfinity), bestB = bestA;
            Vector128<int> indexA = Vector128<int>.Zero, indexB = indexA, j = indexA;
            float* centre = c;
            for (int n = 0; n < k; n++, centre += dims)
            {
                Vector128<float> da = a.Distance(centre);
                Vector128<float> db = b.Distance(centre);
                Vector128<float> closerA = Vector128.LessThan(da, bestA);
                Vector128<float> closerB = Vector128.LessThan(db, bestB);
                bestA = Vector128.ConditionalSelect(closerA, da, bestA);
                bestB = Vector128.ConditionalSelect(closerB, db, bestB);
                indexA = Vector128.ConditionalSelect(closerA.AsInt32(), j, indexA);
                indexB = Vector128.ConditionalSelect(closerB.AsInt32(), j, indexB);
                j += Vector128<int>.One;
            }
            bestA.Store(dist + i);
            bestB.Store(dist + i + W);
            indexA.Store(labels + i);
            indexB.Store(labels + i + W);
        }
        for (; i < count; i += W)
        {
            if (i > count - W) i = count - W; // overlap the last vector instead of a scalar tail
            T a = T.Load(p + i, stride, dims);
            Vector128<float> best = Vector128.Create(float.PositiveInfinity);
            Vector128<int> index = Vector128<int>.Zero, j = index;
            float* centre = c;
            for (int n = 0; n < k; n++, centre += dims)
            {
                Vector128<float> d = a.Distance(centre);
                Vector128<float> closer = Vector128.LessThan(d, best);
                best = Vector128.ConditionalSelect(closer, d, best);
                index = Vector128.ConditionalSelect(closer.AsInt32(), j, index);
                j += Vector128<int>.One;
            }
            best.Store(dist + i);
            index.Store(labels + i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AssignTwo<T>(float* p, nint stride, int count, int dims, float* c, int k, int* labels, float* dist, float* second)
        where T : struct, ILanes<T>
    {
        // The second smallest is min(second, max(d, best)) taken before best is updated: the same value
        // the scalar reference's selects give, and Min/Max are exact here because distances are never NaN
        // (inputs are finite) and never -0 (sums of squares).
        int i = 0;
        for (; i <= count - 2 * W; i += 2 * W)
        {
            T a = T.Load(p + i, stride, dims);
            T b = T.Load(p + i + W, stride, dims);
            Vector128<float> bestA = Vector128.Create(float.PositiveInfinity), bestB = bestA, nextA = bestA, nextB = bestA;
            Vector128<int> indexA = Vector128<int>.Zero, indexB = indexA, j = indexA;
            float* centre = c;
            for (int n = 0; n < k; n++, centre += dims)
            {
                Vector128<float> da = a.Distance(centre);
                Vector128<float> db = b.Distance(centre);
                Vector128<float> closerA = Vector128.LessThan(da, bestA);
                Vector128<float> closerB = Vector128.LessThan(db, bestB);
                nextA = Vector128.Min(nextA, Vector128.Max(da, bestA));
                nextB = Vector128.Min(nextB, Vector128.Max(db, bestB));
                bestA = Vector128.ConditionalSelect(closerA, da, bestA);
                bestB = Vector128.ConditionalSelect(closerB, db, bestB);
                indexA = Vector128.ConditionalSelect(closerA.AsInt32(), j, indexA);
                indexB = Vector128.ConditionalSelect(closerB.AsInt32(), j, indexB);
                j += Vector128<int>.One;
            }
            bestA.Store(dist + i);
            bestB.Store(dist + i + W);
            nextA.Store(second + i);
            nextB.Store(second + i + W);
            indexA.Store(labels + i);
            indexB.Store(labels + i + W);
        }
        for (; i < count; i += W)
        {
            if (i > count - W) i = count - W;
            T a = T.Load(p + i, stride, dims);
            Vector128<float> best = Vector128.Create(float.PositiveInfinity), next = best;
            Vector128<int> index = Vector128<int>.Zero, j = index;
            float* centre = c;
            for (int n = 0; n < k; n++, centre += dims)
            {
                Vector128<float> d = a.Distance(centre);
                Vector128<float> closer = Vector128.LessThan(d, best);
                next = Vector128.Min(next, Vector128.Max(d, best));
                best = Vector128.ConditionalSelect(closer, d, best);
                index = Vector128.ConditionalSelect(closer.AsInt32(), j, index);
                j += Vector128<int>.One;
            }
            best.Store(dist + i);
            next.Store(second + i);
            index.Store(labels + i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Min<T>(float* p, nint stride, int count, int dims, float* centre, float* closest, float* result)
        where T : struct, ILanes<T>
    {
        // Recomputing overlapping lanes is safe even when result aliases closest: min is idempotent.
        for (int i = 0; i < count; i += W)
        {
            if (i > count - W) i = count - W;
            Vector128<float> d = T.Load(p + i, stride, dims).Distance(centre);
            Vector128<float> old = Vector128.Load(closest + i);
            Vector128.ConditionalSelect(Vector128.LessThan(d, old), d, old).Store(result + i);
        }
    }

    /// <summary>The coordinates of W consecutive points, held in registers where D is small.</summary>
    private interface ILanes<TSelf> where TSelf : struct, ILanes<TSelf>
    {
        static abstract TSelf Load(float* point, nint stride, int dims);
        Vector128<float> Distance(float* centre);
    }

    private struct Lanes2 : ILanes<Lanes2>
    {
        private Vector128<float> _x0, _x1;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes2 Load(float* point, nint stride, int dims) =>
            new() { _x0 = Vector128.Load(point), _x1 = Vector128.Load(point + stride) };

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly Vector128<float> Distance(float* centre)
        {
            Vector128<float> diff = _x0 - Vector128.Create(centre[0]);
            Vector128<float> sum = diff * diff;
            diff = _x1 - Vector128.Create(centre[1]);
            return sum + diff * diff;
        }
    }

    private struct Lanes3 : ILanes<Lanes3>
    {
        private Vector128<float> _x0, _x1, _x2;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes3 Load(float* point, nint stride, int dims) =>
            new() { _x0 = Vector128.Load(point), _x1 = Vector128.Load(point + stride), _x2 = Vector128.Load(point + 2 * stride) };

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly Vector128<float> Distance(float* centre)
        {
            Vector128<float> diff = _x0 - Vector128.Create(centre[0]);
            Vector128<float> sum = diff * diff;
            diff = _x1 - Vector128.Create(centre[1]);
            sum = sum + diff * diff;
            diff = _x2 - Vector128.Create(centre[2]);
            return sum + diff * diff;
        }
    }

    private struct Lanes4 : ILanes<Lanes4>
    {
        private Vector128<float> _x0, _x1, _x2, _x3;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes4 Load(float* point, nint stride, int dims) => new()
        {
            _x0 = Vector128.Load(point),
            _x1 = Vector128.Load(point + stride),
            _x2 = Vector128.Load(point + 2 * stride),
            _x3 = Vector128.Load(point + 3 * stride),
        };

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly Vector128<float> Distance(float* centre)
        {
            Vector128<float> diff = _x0 - Vector128.Create(centre[0]);
            Vector128<float> sum = diff * diff;
            diff = _x1 - Vector128.Create(centre[1]);
            sum = sum + diff * diff;
            diff = _x2 - Vector128.Create(centre[2]);
            sum = sum + diff * diff;
            diff = _x3 - Vector128.Create(centre[3]);
            return sum + diff * diff;
        }
    }

    /// <summary>Any D: coordinates are re-read from the planes (L1-resident) for every centre.</summary>
    private struct LanesN : ILanes<LanesN>
    {
        private float* _point;
        private nint _stride;
        private int _dims;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static LanesN Load(float* point, nint stride, int dims) => new() { _point = point, _stride = stride, _dims = dims };

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly Vector128<float> Distance(float* centre)
        {
            Vector128<float> diff = Vector128.Load(_point) - Vector128.Create(centre[0]);
            Vector128<float> sum = diff * diff;
            float* plane = _point;
            for (int d = 1; d < _dims; d++)
            {
                plane += _stride;
                diff = Vector128.Load(plane) - Vector128.Create(centre[d]);
                sum = sum + diff * diff;
            }
            return sum;
        }
    }
}
