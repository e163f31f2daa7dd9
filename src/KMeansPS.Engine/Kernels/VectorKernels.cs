using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace KMeansPS.Engine.Kernels;

/// <summary>
/// The vector kernels, written once for every width: lanes = <c>TWidth.Count</c> different points, and
/// the loop over centres runs inside, so each lane performs exactly <see cref="ScalarKernels"/>' operation
/// sequence (sub, mul, add in coordinate order, the mul and add fused from D = 5; strict &lt; so the lowest index
/// wins ties) and the bits equal the scalar reference by construction. The last partial vector is recomputed overlapping the
/// previous one (assignment and min are idempotent), and blocks shorter than one vector go to the scalar
/// reference. <see cref="KernelSet"/> names the three instantiations (<see cref="Width128"/>,
/// <see cref="Width256"/>, <see cref="Width512"/>); the JIT compiles each as if written for its width.
/// </summary>
internal static unsafe class VectorKernels<TWidth, TFloats, TInts, TDoubles>
    where TWidth : IVectorWidth<TFloats, TInts, TDoubles>
    where TFloats : struct
    where TInts : struct
    where TDoubles : struct
{
    private static int W
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => TWidth.Count;
    }

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
            Assign<Nearest>(p, stride, count, dims, c, k, lab, dist, null);
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
            Assign<NearestTwo>(p, stride, count, dims, c, k, lab, dist, second);
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
                case 2: Min<PointLanes<TWidth, TFloats>.Dims2>(p, stride, count, dims, c, old, res); break;
                case 3: Min<PointLanes<TWidth, TFloats>.Dims3>(p, stride, count, dims, c, old, res); break;
                case 4: Min<PointLanes<TWidth, TFloats>.Dims4>(p, stride, count, dims, c, old, res); break;
                default: MinQuads(p, stride, count, dims, c, old, res); break;
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
        fixed (double* a = acc)
        {
            done = dims switch
            {
                2 => MinSum<PointLanes<TWidth, TFloats>.Dims2>(p, stride, count, dims, c, old, w, a),
                3 => MinSum<PointLanes<TWidth, TFloats>.Dims3>(p, stride, count, dims, c, old, w, a),
                4 => MinSum<PointLanes<TWidth, TFloats>.Dims4>(p, stride, count, dims, c, old, w, a),
                _ => MinSumQuads(p, stride, count, dims, c, old, w, a),
            };
        }
        ScalarKernels.AddMinDistances(planes, stride, done, count, dims, centre, closest, weights, acc);
        return ChunkSums.Combine(acc);
    }

    /// <summary>
    /// <see cref="ScalarKernels.FoldAndMinDistanceSums"/>. At D = 2-4 one pass serves up to four candidates (other D: the steps one by one): each group of
    /// points is loaded (and the pending centre folded into its closest distances) once, and four canonical sums
    /// advance side by side. A candidate's sum is one chain of dependent double adds, so alone it waits on the adder's
    /// latency; four hide it. Each sum takes the terms <see cref="MinDistanceSum"/> takes, in its order. The last pass
    /// serves the candidates left (<see cref="IFixedCount"/>): a step's 5-7 candidates cost 5-7 sums, not 8.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void FoldAndMinDistanceSums(ReadOnlySpan<float> planes, int stride, int count, int dims,
        ReadOnlySpan<float> pending, ReadOnlySpan<float> candidates, Span<float> closest, ReadOnlySpan<float> weights, Span<double> sums)
    {
        KernelChecks.FoldAndMinDistanceSums(planes, stride, count, dims, pending, candidates, closest, weights, sums);
        if (dims is < 2 or > 4 || sums.Length == 0)
        {
            if (!pending.IsEmpty) MinDistance(planes, stride, count, dims, pending, closest, closest);
            for (int t = 0; t < sums.Length; t++)
                sums[t] = MinDistanceSum(planes, stride, count, dims, candidates.Slice(t * dims, dims), closest, weights);
            return;
        }
        Span<double> acc = stackalloc double[4 * ChunkSums.Accumulators];
        for (int first = 0; first < sums.Length; first += 4)
        {
            int size = Math.Min(4, sums.Length - first);
            int done;
            fixed (float* p = planes, c = candidates, old = closest, w = weights, fold = first == 0 ? pending : default)
            fixed (double* a = acc)
            {
                float* group = c + first * dims;
                done = dims switch
                {
                    2 => MinSumGroup<PointLanes<TWidth, TFloats>.Dims2>(size, p, stride, count, dims, fold, group, old, w, a),
                    3 => MinSumGroup<PointLanes<TWidth, TFloats>.Dims3>(size, p, stride, count, dims, fold, group, old, w, a),
                    _ => MinSumGroup<PointLanes<TWidth, TFloats>.Dims4>(size, p, stride, count, dims, fold, group, old, w, a),
                };
            }
            // The points after the last whole group: folded first, then added by the scalar reference.
            if (first == 0 && !pending.IsEmpty && done < count)
                ScalarKernels.MinDistance(planes[done..], stride, count - done, dims, pending, closest[done..], closest[done..]);
            for (int j = 0; j < size; j++)
            {
                Span<double> own = acc.Slice(j * ChunkSums.Accumulators, ChunkSums.Accumulators);
                ScalarKernels.AddMinDistances(planes, stride, done, count, dims, candidates.Slice((first + j) * dims, dims), closest, weights, own);
                sums[first + j] = ChunkSums.Combine(own);
            }
        }
    }

    /// <summary><see cref="MinSumGroup{TLanes, TGroup}"/> for <paramref name="size"/> (1-4) candidates from <paramref name="candidates"/>.</summary>
    private static int MinSumGroup<TLanes>(int size, float* p, nint stride, int count, int dims, float* pending, float* candidates,
        float* closest, float* weights, double* acc)
        where TLanes : struct, IPointLanes<TLanes, TFloats> => size switch
    {
        1 => MinSumGroup<TLanes, FixedCount.One>(p, stride, count, dims, pending, candidates, closest, weights, acc),
        2 => MinSumGroup<TLanes, FixedCount.Two>(p, stride, count, dims, pending, candidates, closest, weights, acc),
        3 => MinSumGroup<TLanes, FixedCount.Three>(p, stride, count, dims, pending, candidates, closest, weights, acc),
        _ => MinSumGroup<TLanes, FixedCount.Four>(p, stride, count, dims, pending, candidates, closest, weights, acc),
    };

    /// <summary>
    /// Whole groups of points against <typeparamref name="TGroup"/>'s number of candidates (<see cref="FoldAndMinDistanceSums"/>),
    /// folding <paramref name="pending"/> (when not null) into the closest distances first; writes that many sets of
    /// eight accumulators and returns how many points were added.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int MinSumGroup<TLanes, TGroup>(float* p, nint stride, int count, int dims, float* pending,
        float* candidates, float* closest, float* weights, double* acc)
        where TLanes : struct, IPointLanes<TLanes, TFloats>
        where TGroup : struct, IFixedCount
    {
        // Candidates past the group's size are never read: their sums are compiled out.
        float* c0 = candidates, c1 = c0 + dims, c2 = c1 + dims, c3 = c2 + dims;
        var s0 = new LaneAccumulators<TWidth, TFloats, TInts, TDoubles>();
        var s1 = new LaneAccumulators<TWidth, TFloats, TInts, TDoubles>();
        var s2 = new LaneAccumulators<TWidth, TFloats, TInts, TDoubles>();
        var s3 = new LaneAccumulators<TWidth, TFloats, TInts, TDoubles>();
        int group = LaneAccumulators<TWidth, TFloats, TInts, TDoubles>.Group;
        int perGroup = LaneAccumulators<TWidth, TFloats, TInts, TDoubles>.VectorsPerGroup;
        int i = 0;
        for (; i <= count - group; i += group)
        {
            // The group's vectors written out, not looped: each call's vector index is then a constant and the
            // accumulators' slot choice folds away (a loop left it a jump table in the inner loop).
            MinSumVector<TLanes, TGroup>(0, p + i, stride, dims, pending, c0, c1, c2, c3, closest + i, weights == null ? null : weights + i,
                ref s0, ref s1, ref s2, ref s3);
            if (perGroup > 1)
            {
                MinSumVector<TLanes, TGroup>(1, p + i + W, stride, dims, pending, c0, c1, c2, c3, closest + i + W,
                    weights == null ? null : weights + i + W, ref s0, ref s1, ref s2, ref s3);
            }
        }
        s0.Store(acc);
        if (TGroup.Value > 1) s1.Store(acc + ChunkSums.Accumulators);
        if (TGroup.Value > 2) s2.Store(acc + 2 * ChunkSums.Accumulators);
        if (TGroup.Value > 3) s3.Store(acc + 3 * ChunkSums.Accumulators);
        return i;
    }

    /// <summary>One vector of points of <see cref="MinSumGroup{TLanes, TGroup}"/>'s group: the <paramref name="vector"/>-th (0 or 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MinSumVector<TLanes, TGroup>(int vector, float* p, nint stride, int dims, float* pending,
        float* c0, float* c1, float* c2, float* c3, float* closest, float* weights,
        ref LaneAccumulators<TWidth, TFloats, TInts, TDoubles> s0, ref LaneAccumulators<TWidth, TFloats, TInts, TDoubles> s1,
        ref LaneAccumulators<TWidth, TFloats, TInts, TDoubles> s2, ref LaneAccumulators<TWidth, TFloats, TInts, TDoubles> s3)
        where TLanes : struct, IPointLanes<TLanes, TFloats>
        where TGroup : struct, IFixedCount
    {
        TLanes point = TLanes.Load(p, stride, dims);
        TFloats old = TWidth.Load(closest);
        if (pending != null)
        {
            old = Closer(point.Distance(pending), old);
            TWidth.Store(old, closest);
        }
        if (weights != null)
        {
            var (wl, wu) = TWidth.Widen(TWidth.Load(weights));
            s0.Add(vector, Closer(point.Distance(c0), old), wl, wu);
            if (TGroup.Value > 1) s1.Add(vector, Closer(point.Distance(c1), old), wl, wu);
            if (TGroup.Value > 2) s2.Add(vector, Closer(point.Distance(c2), old), wl, wu);
            if (TGroup.Value > 3) s3.Add(vector, Closer(point.Distance(c3), old), wl, wu);
        }
        else
        {
            s0.Add(vector, Closer(point.Distance(c0), old));
            if (TGroup.Value > 1) s1.Add(vector, Closer(point.Distance(c1), old));
            if (TGroup.Value > 2) s2.Add(vector, Closer(point.Distance(c2), old));
            if (TGroup.Value > 3) s3.Add(vector, Closer(point.Distance(c3), old));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Assign<TNearest>(float* p, nint stride, int count, int dims, float* c, int k, int* labels, float* dist, float* second)
        where TNearest : struct, INearest<TNearest>
    {
        switch (dims)
        {
            case 2: Assign<PointLanes<TWidth, TFloats>.Dims2, TNearest>(p, stride, count, dims, c, k, labels, dist, second); break;
            case 3: Assign<PointLanes<TWidth, TFloats>.Dims3, TNearest>(p, stride, count, dims, c, k, labels, dist, second); break;
            case 4: Assign<PointLanes<TWidth, TFloats>.Dims4, TNearest>(p, stride, count, dims, c, k, labels, dist, second); break;
            default: AssignBlocked<TNearest>(p, stride, count, dims, c, k, labels, dist, second); break;
        }
    }

    /// <summary>
    /// Any D, in tiles of four (<see cref="FourVectorTiles"/>) or two vectors of points by four centres: sixteen or eight independent sums advance together
    /// over the coordinates, so each point vector loaded and each centre coordinate broadcast serves four
    /// (or two) sums, and the adds do not wait on each other. Each sum is still one lane's own
    /// diff0 * diff0 + diff1 * diff1 + ... in coordinate order (fused terms, as <see cref="PointLanes{TWidth, TFloats}.DimsN"/>),
    /// and the four distances are offered in centre order, so the bits are the one-centre loop's. Centres left
    /// over (K mod 4) take that loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AssignBlocked<TNearest>(float* p, nint stride, int count, int dims, float* c, int k, int* labels, float* dist, float* second)
        where TNearest : struct, INearest<TNearest>
    {
        int quads = k & ~3;
        int i = 0;
        // With 32 vector registers, tiles of four point vectors: sixteen sums hide the fused adds' latency and share each
        // broadcast four ways (one core, D = 128, K = 256: 71 G terms/s with two, 82 with three, 95 with four); with
        // 16 registers they would spill (three at 256 bits: 38 -> 22).
        for (; FourVectorTiles && i <= count - 4 * W; i += 4 * W)
        {
            float* a = p + i, b = a + W, e = b + W, g = e + W;
            TNearest nearA = TNearest.None, nearB = nearA, nearE = nearA, nearG = nearA;
            TInts j = default;
            float* centre = c;
            int n = 0;
            for (; n < quads; n += 4, centre += 4 * dims)
            {
                float* c1 = centre + dims, c2 = c1 + dims, c3 = c2 + dims;
                TFloats xa = TWidth.Load(a), xb = TWidth.Load(b), xe = TWidth.Load(e), xg = TWidth.Load(g);
                TFloats v0 = TWidth.Broadcast(centre[0]), v1 = TWidth.Broadcast(c1[0]);
                TFloats v2 = TWidth.Broadcast(c2[0]), v3 = TWidth.Broadcast(c3[0]);
                TFloats a0 = Squared(xa, v0), a1 = Squared(xa, v1), a2 = Squared(xa, v2), a3 = Squared(xa, v3);
                TFloats b0 = Squared(xb, v0), b1 = Squared(xb, v1), b2 = Squared(xb, v2), b3 = Squared(xb, v3);
                TFloats e0 = Squared(xe, v0), e1 = Squared(xe, v1), e2 = Squared(xe, v2), e3 = Squared(xe, v3);
                TFloats g0 = Squared(xg, v0), g1 = Squared(xg, v1), g2 = Squared(xg, v2), g3 = Squared(xg, v3);
                float* pa = a, pb = b, pe = e, pg = g;
                for (int d = 1; d < dims; d++)
                {
                    pa += stride;
                    pb += stride;
                    pe += stride;
                    pg += stride;
                    if (n == 0)
                    {
                        // The tile after next, this plane: four vectors, whole lines at 512 bits.
                        Prefetch(pa + 8 * W);
                        Prefetch(pb + 8 * W);
                        Prefetch(pe + 8 * W);
                        Prefetch(pg + 8 * W);
                    }
                    xa = TWidth.Load(pa);
                    xb = TWidth.Load(pb);
                    xe = TWidth.Load(pe);
                    xg = TWidth.Load(pg);
                    v0 = TWidth.Broadcast(centre[d]);
                    v1 = TWidth.Broadcast(c1[d]);
                    v2 = TWidth.Broadcast(c2[d]);
                    v3 = TWidth.Broadcast(c3[d]);
                    a0 = AddSquared(a0, xa, v0);
                    b0 = AddSquared(b0, xb, v0);
                    e0 = AddSquared(e0, xe, v0);
                    g0 = AddSquared(g0, xg, v0);
                    a1 = AddSquared(a1, xa, v1);
                    b1 = AddSquared(b1, xb, v1);
                    e1 = AddSquared(e1, xe, v1);
                    g1 = AddSquared(g1, xg, v1);
                    a2 = AddSquared(a2, xa, v2);
                    b2 = AddSquared(b2, xb, v2);
                    e2 = AddSquared(e2, xe, v2);
                    g2 = AddSquared(g2, xg, v2);
                    a3 = AddSquared(a3, xa, v3);
                    b3 = AddSquared(b3, xb, v3);
                    e3 = AddSquared(e3, xe, v3);
                    g3 = AddSquared(g3, xg, v3);
                }
                TInts j1 = TWidth.Increment(j), j2 = TWidth.Increment(j1), j3 = TWidth.Increment(j2);
                nearA.Offer(a0, j);
                nearA.Offer(a1, j1);
                nearA.Offer(a2, j2);
                nearA.Offer(a3, j3);
                nearB.Offer(b0, j);
                nearB.Offer(b1, j1);
                nearB.Offer(b2, j2);
                nearB.Offer(b3, j3);
                nearE.Offer(e0, j);
                nearE.Offer(e1, j1);
                nearE.Offer(e2, j2);
                nearE.Offer(e3, j3);
                nearG.Offer(g0, j);
                nearG.Offer(g1, j1);
                nearG.Offer(g2, j2);
                nearG.Offer(g3, j3);
                j = TWidth.Increment(j3);
            }
            var lanesA = PointLanes<TWidth, TFloats>.DimsN.Load(a, stride, dims);
            var lanesB = PointLanes<TWidth, TFloats>.DimsN.Load(b, stride, dims);
            var lanesE = PointLanes<TWidth, TFloats>.DimsN.Load(e, stride, dims);
            var lanesG = PointLanes<TWidth, TFloats>.DimsN.Load(g, stride, dims);
            for (; n < k; n++, centre += dims)
            {
                nearA.Offer(lanesA.Distance(centre), j);
                nearB.Offer(lanesB.Distance(centre), j);
                nearE.Offer(lanesE.Distance(centre), j);
                nearG.Offer(lanesG.Distance(centre), j);
                j = TWidth.Increment(j);
            }
            nearA.Store(labels + i, dist + i, second + i);
            nearB.Store(labels + i + W, dist + i + W, second + i + W);
            nearE.Store(labels + i + 2 * W, dist + i + 2 * W, second + i + 2 * W);
            nearG.Store(labels + i + 3 * W, dist + i + 3 * W, second + i + 3 * W);
        }
        for (; i <= count - 2 * W; i += 2 * W)
        {
            float* a = p + i, b = a + W;
            TNearest nearA = TNearest.None, nearB = nearA;
            TInts j = default;
            float* centre = c;
            int n = 0;
            for (; n < quads; n += 4, centre += 4 * dims)
            {
                float* c1 = centre + dims, c2 = c1 + dims, c3 = c2 + dims;
                TFloats xa = TWidth.Load(a), xb = TWidth.Load(b);
                TFloats v0 = TWidth.Broadcast(centre[0]), v1 = TWidth.Broadcast(c1[0]);
                TFloats v2 = TWidth.Broadcast(c2[0]), v3 = TWidth.Broadcast(c3[0]);
                TFloats a0 = Squared(xa, v0), a1 = Squared(xa, v1), a2 = Squared(xa, v2), a3 = Squared(xa, v3);
                TFloats b0 = Squared(xb, v0), b1 = Squared(xb, v1), b2 = Squared(xb, v2), b3 = Squared(xb, v3);
                float* pa = a, pb = b;
                for (int d = 1; d < dims; d++)
                {
                    pa += stride;
                    pb += stride;
                    if (n == 0) Prefetch(pa + 4 * W); // the tile after next, this plane
                    xa = TWidth.Load(pa);
                    xb = TWidth.Load(pb);
                    v0 = TWidth.Broadcast(centre[d]);
                    v1 = TWidth.Broadcast(c1[d]);
                    v2 = TWidth.Broadcast(c2[d]);
                    v3 = TWidth.Broadcast(c3[d]);
                    a0 = AddSquared(a0, xa, v0);
                    b0 = AddSquared(b0, xb, v0);
                    a1 = AddSquared(a1, xa, v1);
                    b1 = AddSquared(b1, xb, v1);
                    a2 = AddSquared(a2, xa, v2);
                    b2 = AddSquared(b2, xb, v2);
                    a3 = AddSquared(a3, xa, v3);
                    b3 = AddSquared(b3, xb, v3);
                }
                TInts j1 = TWidth.Increment(j), j2 = TWidth.Increment(j1), j3 = TWidth.Increment(j2);
                nearA.Offer(a0, j);
                nearA.Offer(a1, j1);
                nearA.Offer(a2, j2);
                nearA.Offer(a3, j3);
                nearB.Offer(b0, j);
                nearB.Offer(b1, j1);
                nearB.Offer(b2, j2);
                nearB.Offer(b3, j3);
                j = TWidth.Increment(j3);
            }
            var lanesA = PointLanes<TWidth, TFloats>.DimsN.Load(a, stride, dims);
            var lanesB = PointLanes<TWidth, TFloats>.DimsN.Load(b, stride, dims);
            for (; n < k; n++, centre += dims)
            {
                nearA.Offer(lanesA.Distance(centre), j);
                nearB.Offer(lanesB.Distance(centre), j);
                j = TWidth.Increment(j);
            }
            nearA.Store(labels + i, dist + i, second + i);
            nearB.Store(labels + i + W, dist + i + W, second + i + W);
        }
        for (; i < count; i += W)
        {
            if (i > count - W) i = count - W; // overlap the last vector instead of a scalar tail
            float* a = p + i;
            TNearest near = TNearest.None;
            TInts j = default;
            float* centre = c;
            int n = 0;
            for (; n < quads; n += 4, centre += 4 * dims)
            {
                float* c1 = centre + dims, c2 = c1 + dims, c3 = c2 + dims;
                TFloats x = TWidth.Load(a);
                TFloats a0 = Squared(x, TWidth.Broadcast(centre[0])), a1 = Squared(x, TWidth.Broadcast(c1[0]));
                TFloats a2 = Squared(x, TWidth.Broadcast(c2[0])), a3 = Squared(x, TWidth.Broadcast(c3[0]));
                float* pa = a;
                for (int d = 1; d < dims; d++)
                {
                    pa += stride;
                    x = TWidth.Load(pa);
                    a0 = AddSquared(a0, x, TWidth.Broadcast(centre[d]));
                    a1 = AddSquared(a1, x, TWidth.Broadcast(c1[d]));
                    a2 = AddSquared(a2, x, TWidth.Broadcast(c2[d]));
                    a3 = AddSquared(a3, x, TWidth.Broadcast(c3[d]));
                }
                TInts j1 = TWidth.Increment(j), j2 = TWidth.Increment(j1), j3 = TWidth.Increment(j2);
                near.Offer(a0, j);
                near.Offer(a1, j1);
                near.Offer(a2, j2);
                near.Offer(a3, j3);
                j = TWidth.Increment(j3);
            }
            var lanes = PointLanes<TWidth, TFloats>.DimsN.Load(a, stride, dims);
            for (; n < k; n++, centre += dims)
            {
                near.Offer(lanes.Distance(centre), j);
                j = TWidth.Increment(j);
            }
            near.Store(labels + i, dist + i, second + i);
        }
    }

    /// <summary>
    /// Whether this width has 32 vector registers to hold a tile of four point vectors by four centres (sixteen sums,
    /// four points, four centre values): AVX-512 and ARM64. AVX2 and SSE have 16. A constant to the JIT.
    /// </summary>
    private static bool FourVectorTiles
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (W == Vector512<float>.Count && Vector512.IsHardwareAccelerated) || AdvSimd.Arm64.IsSupported;
    }

    /// <summary>
    /// Asks for one line of a later tile of a plane, during a tile's first four centres. At small K a tile's work is
    /// too short for the hardware prefetchers to keep D planes streaming (D = 32, K = 16: the loads waited on memory);
    /// the first quad only, because at large K the extra loads cost more than they hide. Results are unaffected.
    /// .NET has no prefetch for ARM64, where this does nothing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Prefetch(float* address)
    {
        if (Sse.IsSupported) Sse.Prefetch0(address);
    }

    /// <summary>sum + (x - centre)^2 in every lane, fused: a later coordinate's term from D = 5.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TFloats AddSquared(TFloats sum, TFloats x, TFloats centre) =>
        PointLanes<TWidth, TFloats>.AddSquareFused(sum, x, centre);

    /// <summary>(x - centre)^2 in every lane, the product rounded: one coordinate's term.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TFloats Squared(TFloats x, TFloats centre)
    {
        TFloats diff = TWidth.Subtract(x, centre);
        return TWidth.Multiply(diff, diff);
    }

    /// <summary>Two vectors of points per pass over the centres (two independent chains), then single overlapping vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Assign<TLanes, TNearest>(float* p, nint stride, int count, int dims, float* c, int k, int* labels, float* dist, float* second)
        where TLanes : struct, IPointLanes<TLanes, TFloats>
        where TNearest : struct, INearest<TNearest>
    {
        int i = 0;
        for (; i <= count - 2 * W; i += 2 * W)
        {
            TLanes a = TLanes.Load(p + i, stride, dims);
            TLanes b = TLanes.Load(p + i + W, stride, dims);
            TNearest nearA = TNearest.None, nearB = nearA;
            TInts j = default;
            float* centre = c;
            for (int n = 0; n < k; n++, centre += dims)
            {
                nearA.Offer(a.Distance(centre), j);
                nearB.Offer(b.Distance(centre), j);
                j = TWidth.Increment(j);
            }
            nearA.Store(labels + i, dist + i, second + i);
            nearB.Store(labels + i + W, dist + i + W, second + i + W);
        }
        for (; i < count; i += W)
        {
            if (i > count - W) i = count - W; // overlap the last vector instead of a scalar tail
            TLanes a = TLanes.Load(p + i, stride, dims);
            TNearest near = TNearest.None;
            TInts j = default;
            float* centre = c;
            for (int n = 0; n < k; n++, centre += dims)
            {
                near.Offer(a.Distance(centre), j);
                j = TWidth.Increment(j);
            }
            near.Store(labels + i, dist + i, second + i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Min<TLanes>(float* p, nint stride, int count, int dims, float* centre, float* closest, float* result)
        where TLanes : struct, IPointLanes<TLanes, TFloats>
    {
        // Recomputing overlapping lanes is safe even when result aliases closest: min is idempotent.
        for (int i = 0; i < count; i += W)
        {
            if (i > count - W) i = count - W;
            TFloats d = TLanes.Load(p + i, stride, dims).Distance(centre);
            TWidth.Store(Closer(d, TWidth.Load(closest + i)), result + i);
        }
    }

    /// <summary>
    /// Whole groups of points (<see cref="LaneAccumulators{TWidth, TFloats, TInts, TDoubles}.Group"/>): their
    /// min distances (times weights) go into the eight canonical accumulators held in lanes. Writes the
    /// accumulators and returns how many points were added; the scalar reference adds the rest into the same
    /// accumulators. No overlap here: a sum must not count a point twice.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int MinSum<TLanes>(float* p, nint stride, int count, int dims, float* centre, float* closest, float* weights, double* acc)
        where TLanes : struct, IPointLanes<TLanes, TFloats>
    {
        var sums = new LaneAccumulators<TWidth, TFloats, TInts, TDoubles>();
        int group = LaneAccumulators<TWidth, TFloats, TInts, TDoubles>.Group;
        int i = 0;
        for (; i <= count - group; i += group)
        {
            AddMin<TLanes>(ref sums, 0, p, stride, dims, centre, closest, weights, i);
            if (LaneAccumulators<TWidth, TFloats, TInts, TDoubles>.VectorsPerGroup > 1)
                AddMin<TLanes>(ref sums, 1, p, stride, dims, centre, closest, weights, i + W);
        }
        sums.Store(acc);
        return i;
    }

    /// <summary>
    /// Any D, one centre (the k-means++ passes): four vectors of points at a time, so four sums advance together
    /// instead of one chain of D dependent adds; then the rest as <see cref="Min{TLanes}"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MinQuads(float* p, nint stride, int count, int dims, float* centre, float* closest, float* result)
    {
        int i = 0;
        for (; i <= count - 4 * W; i += 4 * W)
        {
            var (d0, d1, d2, d3) = FourDistances(p + i, stride, dims, centre);
            TWidth.Store(Closer(d0, TWidth.Load(closest + i)), result + i);
            TWidth.Store(Closer(d1, TWidth.Load(closest + i + W)), result + i + W);
            TWidth.Store(Closer(d2, TWidth.Load(closest + i + 2 * W)), result + i + 2 * W);
            TWidth.Store(Closer(d3, TWidth.Load(closest + i + 3 * W)), result + i + 3 * W);
        }
        // The rest, at least one whole vector (the caller sends fewer than W points to the scalar reference):
        // starting earlier recomputes a few lanes, which min makes harmless.
        int from = Math.Min(i, count - W);
        if (i < count) Min<PointLanes<TWidth, TFloats>.DimsN>(p + from, stride, count - from, dims, centre, closest + from, result + from);
    }

    /// <summary>
    /// <see cref="MinQuads"/> for the potential: four vectors are whole groups (a group is one vector, or two at
    /// 128 bits), added in point order, so the accumulators take the same terms in the same order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int MinSumQuads(float* p, nint stride, int count, int dims, float* centre, float* closest, float* weights, double* acc)
    {
        var sums = new LaneAccumulators<TWidth, TFloats, TInts, TDoubles>();
        int group = LaneAccumulators<TWidth, TFloats, TInts, TDoubles>.Group;
        int perGroup = LaneAccumulators<TWidth, TFloats, TInts, TDoubles>.VectorsPerGroup;
        int i = 0;
        for (; i <= count - 4 * W; i += 4 * W)
        {
            var (d0, d1, d2, d3) = FourDistances(p + i, stride, dims, centre);
            AddMin(ref sums, 0, d0, closest, weights, i);
            AddMin(ref sums, 1 % perGroup, d1, closest, weights, i + W);
            AddMin(ref sums, 2 % perGroup, d2, closest, weights, i + 2 * W);
            AddMin(ref sums, 3 % perGroup, d3, closest, weights, i + 3 * W);
        }
        for (; i <= count - group; i += group)
        {
            AddMin<PointLanes<TWidth, TFloats>.DimsN>(ref sums, 0, p, stride, dims, centre, closest, weights, i);
            if (perGroup > 1)
                AddMin<PointLanes<TWidth, TFloats>.DimsN>(ref sums, 1, p, stride, dims, centre, closest, weights, i + W);
        }
        sums.Store(acc);
        return i;
    }

    /// <summary>Squared distances of four consecutive vectors of points to one centre (D not 2-4), each lane in coordinate order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (TFloats, TFloats, TFloats, TFloats) FourDistances(float* p, nint stride, int dims, float* centre)
    {
        TFloats v = TWidth.Broadcast(centre[0]);
        TFloats s0 = Squared(TWidth.Load(p), v), s1 = Squared(TWidth.Load(p + W), v);
        TFloats s2 = Squared(TWidth.Load(p + 2 * W), v), s3 = Squared(TWidth.Load(p + 3 * W), v);
        float* plane = p;
        for (int d = 1; d < dims; d++)
        {
            plane += stride;
            v = TWidth.Broadcast(centre[d]);
            s0 = AddSquared(s0, TWidth.Load(plane), v);
            s1 = AddSquared(s1, TWidth.Load(plane + W), v);
            s2 = AddSquared(s2, TWidth.Load(plane + 2 * W), v);
            s3 = AddSquared(s3, TWidth.Load(plane + 3 * W), v);
        }
        return (s0, s1, s2, s3);
    }

    /// <summary>One vector's min(distance, closest) (times weights) into the accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddMin(ref LaneAccumulators<TWidth, TFloats, TInts, TDoubles> sums, int vector,
        TFloats distance, float* closest, float* weights, int i)
    {
        TFloats min = Closer(distance, TWidth.Load(closest + i));
        if (weights != null) sums.Add(vector, min, TWidth.Load(weights + i));
        else sums.Add(vector, min);
    }

    /// <summary>Points i .. i + W - 1, the group's <paramref name="vector"/>-th vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddMin<TLanes>(ref LaneAccumulators<TWidth, TFloats, TInts, TDoubles> sums, int vector,
        float* p, nint stride, int dims, float* centre, float* closest, float* weights, int i)
        where TLanes : struct, IPointLanes<TLanes, TFloats> =>
        AddMin(ref sums, vector, TLanes.Load(p + i, stride, dims).Distance(centre), closest, weights, i);

    /// <summary>
    /// The strict-&lt; minimum: d where d &lt; old, else old (as the scalar reference's conditional). That is x64's
    /// minps to the bit (<see cref="NativeMinMax"/>), one instruction where a compare and a blend were two; elsewhere
    /// the runtime's min, the same lanes on squared distances.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TFloats Closer(TFloats d, TFloats old) => TWidth.Min(d, old);

    /// <summary>The nearest centre found so far for each lane's point (and, for two, the second nearest distance).</summary>
    private interface INearest<TSelf> where TSelf : struct, INearest<TSelf>
    {
        static abstract TSelf None { get; }

        /// <summary>Takes the next centre's distances; <paramref name="index"/> is that centre's index in every lane.</summary>
        void Offer(TFloats distance, TInts index);

        void Store(int* labels, float* distances, float* second);
    }

    private struct Nearest : INearest<Nearest>
    {
        private TFloats _best;
        private TInts _index;

        internal readonly TFloats Best
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => _best;
        }

        public static Nearest None
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => new() { _best = TWidth.Broadcast(float.PositiveInfinity) };
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Offer(TFloats distance, TInts index)
        {
            TFloats closer = TWidth.LessThan(distance, _best);
            _best = TWidth.ConditionalSelect(closer, distance, _best);
            _index = TWidth.ConditionalSelect(closer, index, _index);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Store(int* labels, float* distances, float* second)
        {
            TWidth.Store(_best, distances);
            TWidth.Store(_index, labels);
        }
    }

    /// <summary>
    /// <see cref="Nearest"/> plus the second smallest distance: min(second, max(d, best)) taken before best is
    /// updated, the same value the scalar reference's selects give. Min and Max are exact here because
    /// distances are never NaN (inputs are finite) and never -0 (sums of squares).
    /// </summary>
    private struct NearestTwo : INearest<NearestTwo>
    {
        private Nearest _nearest;
        private TFloats _next;

        public static NearestTwo None
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => new() { _nearest = Nearest.None, _next = TWidth.Broadcast(float.PositiveInfinity) };
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Offer(TFloats distance, TInts index)
        {
            _next = TWidth.Min(_next, TWidth.Max(distance, _nearest.Best));
            _nearest.Offer(distance, index);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Store(int* labels, float* distances, float* second)
        {
            _nearest.Store(labels, distances, second);
            TWidth.Store(_next, second);
        }
    }
}
