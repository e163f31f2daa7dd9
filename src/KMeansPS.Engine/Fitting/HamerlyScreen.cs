using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using KMeansPS.Engine.Kernels;

namespace KMeansPS.Engine.Fitting;

using OnePoint = PointLanes<ScalarLane, float>;

/// <summary>
/// Hamerly's screen of a run of points (<see cref="HamerlySolver"/>): each point's lower bound lowered by its centre's
/// drop, its float distance to its own centre, and the points the bounds cannot settle listed in order. The scalar
/// loop is the reference; with AVX2 at D = 2-4 (colours) four points go at a time, their centres' coordinates, drops
/// and half gaps gathered by label, each value computed by the scalar loop's operations in its order, so the bounds,
/// distances and list are the same bits (tested against the scalar loop). The scalar loop is about 60 instructions
/// a point: 19 % of the samples of china.jpg's palette job at K = 64 on a Zen 3 (AVX2), 16 % with the gathers (perf/README).
/// </summary>
internal static unsafe class HamerlyScreen
{
    /// <summary>The buffers one screen reads and writes, each already offset to the run's first point.</summary>
    internal readonly struct Run(float* planes, nint stride, int dims, float* centres, int* labels, float* distances,
        double* bounds, double* drops, double* halfGaps, int* list, int firstIndex)
    {
        internal readonly float* Planes = planes;
        internal readonly nint Stride = stride;
        internal readonly int Dims = dims;
        internal readonly float* Centres = centres;
        internal readonly int* Labels = labels;
        internal readonly float* Distances = distances;
        internal readonly double* Bounds = bounds;
        internal readonly double* Drops = drops;
        internal readonly double* HalfGaps = halfGaps;
        internal readonly int* List = list;
        /// <summary>The index listed for the run's first point.</summary>
        internal readonly int FirstIndex = firstIndex;
    }

    /// <summary>Whether <see cref="Screen"/> takes four points at a time here.</summary>
    internal static bool Gathers(int dims) => Avx2.IsSupported && dims is >= 2 and <= 4;

    /// <summary>Screens <paramref name="count"/> points; returns how many were listed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int Screen(in Run run, int count, double gamma, double eta)
    {
        int done = 0, pending = 0;
        if (Gathers(run.Dims))
        {
            done = run.Dims switch
            {
                2 => ScreenFours<FixedCount.Two>(run, count, gamma, eta, ref pending),
                3 => ScreenFours<FixedCount.Three>(run, count, gamma, eta, ref pending),
                _ => ScreenFours<FixedCount.Four>(run, count, gamma, eta, ref pending),
            };
        }
        return run.Dims switch
        {
            2 => ScreenScalar<OnePoint.Dims2>(run, done, count, gamma, eta, pending),
            3 => ScreenScalar<OnePoint.Dims3>(run, done, count, gamma, eta, pending),
            4 => ScreenScalar<OnePoint.Dims4>(run, done, count, gamma, eta, pending),
            _ => ScreenScalar<OnePoint.DimsN>(run, done, count, gamma, eta, pending),
        };
    }

    /// <summary>The reference: points <paramref name="from"/> to <paramref name="count"/> one at a time, after <paramref name="pending"/> listed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int ScreenScalar<T>(in Run run, int from, int count, double gamma, double eta, int pending)
        where T : struct, IPointLanes<T, float>
    {
        double keep = Keep, shrink = 1 - gamma;
        // Plain pointer copies: the JIT keeps fields of an `in` struct in memory, locals in registers.
        float* p = run.Planes, centre = run.Centres, dist = run.Distances;
        int* labels = run.Labels, list = run.List;
        double* bound = run.Bounds, drop = run.Drops, gap = run.HalfGaps;
        nint n = run.Stride;
        int dims = run.Dims, first = run.FirstIndex;
        for (int i = from; i < count; i++)
        {
            int a = labels[i];
            // Deflate by 1e-15 of the old bound to absorb the rounding of this subtraction.
            double l = bound[i] * keep - drop[a];
            bound[i] = l;
            float f = T.Load(p + i, n, dims).Distance(centre + a * dims);
            dist[i] = f;
            // Hamerly's test, max(lower bound, half gap) beats the own distance, in the float-safe
            // squared form; L >= 0 always, and L = 0 can never pass since f >= 0 > -eta. Math.Max
            // compiles branch-free; a conditional here became a branch that mispredicts.
            double bestOther = Math.Max(l, gap[a]);
            bool settled = ExactConvert.ToDouble(f) < shrink * bestOther * bestOther - eta;
            // Branch-free append: the outcome is data-dependent and would mispredict often.
            list[pending] = first + i;
            pending += settled ? 0 : 1;
        }
        return pending;
    }

    /// <summary>1 - 1e-15: the share of the old bound kept before the drop is taken off.</summary>
    private const double Keep = 1 - 1e-15;

    /// <summary>
    /// Whole fours of points with AVX2; returns how many points were screened. Math.Max's answer differs from maxpd's
    /// only for NaN and for a -0/+0 pair, and neither changes the test: bounds are finite here (the bounds apply only
    /// far from overflow), and a zero squares to +0 whatever its sign.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ScreenFours<TDims>(in Run run, int count, double gamma, double eta, ref int pending)
        where TDims : struct, IFixedCount
    {
        float* p = run.Planes, centre = run.Centres, dist = run.Distances;
        int* labels = run.Labels, list = run.List;
        double* bound = run.Bounds, drop = run.Drops, gap = run.HalfGaps;
        nint n = run.Stride;
        int first = run.FirstIndex, listed = pending;
        Vector256<double> keep = Vector256.Create(Keep), shrink = Vector256.Create(1 - gamma), margin = Vector256.Create(eta);
        Vector128<int> dims = Vector128.Create(TDims.Value);
        int i = 0;
        for (; i <= count - 4; i += 4)
        {
            Vector128<int> a = Sse2.LoadVector128(labels + i);
            Vector256<double> l = Avx.Subtract(Avx.Multiply(Avx.LoadVector256(bound + i), keep), Avx2.GatherVector256(drop, a, 8));
            Avx.Store(bound + i, l);
            Vector128<int> row = Sse41.MultiplyLow(a, dims);
            // The scalar sum: (x0 - c0)^2 + (x1 - c1)^2, then + (x2 - c2)^2, then + (x3 - c3)^2, each rounded.
            Vector128<float> f = Square(Sse.LoadVector128(p + i), Avx2.GatherVector128(centre, row, 4));
            f = Sse.Add(f, Square(Sse.LoadVector128(p + n + i), Avx2.GatherVector128(centre + 1, row, 4)));
            if (TDims.Value > 2) f = Sse.Add(f, Square(Sse.LoadVector128(p + 2 * n + i), Avx2.GatherVector128(centre + 2, row, 4)));
            if (TDims.Value > 3) f = Sse.Add(f, Square(Sse.LoadVector128(p + 3 * n + i), Avx2.GatherVector128(centre + 3, row, 4)));
            Sse.Store(dist + i, f);
            Vector256<double> bestOther = Avx.Max(l, Avx2.GatherVector256(gap, a, 8));
            Vector256<double> limit = Avx.Subtract(Avx.Multiply(Avx.Multiply(shrink, bestOther), bestOther), margin);
            int settled = Avx.MoveMask(Avx.CompareLessThan(Avx.ConvertToVector256Double(f), limit));
            // The scalar loop's branch-free appends, lane by lane.
            list[listed] = first + i;
            listed += ~settled & 1;
            list[listed] = first + i + 1;
            listed += (~settled >> 1) & 1;
            list[listed] = first + i + 2;
            listed += (~settled >> 2) & 1;
            list[listed] = first + i + 3;
            listed += (~settled >> 3) & 1;
        }
        pending = listed;
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Square(Vector128<float> coordinate, Vector128<float> centre)
    {
        Vector128<float> diff = Sse.Subtract(coordinate, centre);
        return Sse.Multiply(diff, diff);
    }
}
