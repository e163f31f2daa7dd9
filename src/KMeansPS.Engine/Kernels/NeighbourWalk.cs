using System.Numerics;
using System.Runtime.CompilerServices;

namespace KMeansPS.Engine.Kernels;

/// <summary>
/// The nearest centre, its squared distance and the second smallest squared distance of one point, found among the
/// centres near its current one (<see cref="NeighbourTable"/>) instead of all K: the values
/// <see cref="ScalarKernels.AssignNearestTwo"/> gives, bit for bit. Each block of the table is one vector of centres
/// against the point broadcast, each lane in <see cref="ScalarKernels.Distance"/>'s operation sequence, so a
/// centre's float distance is the one the full search computes; a block's minimum, its lowest index and its second
/// are taken across the lanes (<see cref="LaneReductions"/>) and merged by the scalar reference's rules (strict &lt;,
/// ties to the lower index, the second as a multiset's). A scalar step per lane cost more than the full search: a
/// mispredicted branch and a store-forwarding stall each.
///
/// The walk stops before a block when every centre from there on is provably farther, in float, than the second
/// distance so far: with u an upper bound on the point's real distance to its centre a and R the block's
/// <see cref="NeighbourTable.Reach"/>, each such centre is at least R - u away, so its computed squared distance is at
/// least (1 - gamma)(R - u)^2 - eta (Hamerly's error model, <c>HamerlySolver</c>). Then neither the nearest, its index,
/// nor the second can change. A walk that uses up the table without that proof reports it, and the caller searches
/// all centres.
/// </summary>
internal static unsafe class NeighbourWalk<TWidth, TFloats, TInts, TDoubles>
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

    /// <summary>
    /// For each listed point (<paramref name="pending"/>: indices into the planes), its nearest two among the
    /// centres near <paramref name="own"/>[i], the centre its <paramref name="ownDistance"/>[i] (a float squared
    /// distance) was measured to. Writes label, best and second at the point's position in the list, or label -1
    /// where the table ran out before the stop test passed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void NearestTwo(ReadOnlySpan<float> planes, int stride, ReadOnlySpan<int> pending,
        ReadOnlySpan<int> own, ReadOnlySpan<float> ownDistance, NeighbourTable table, double gamma, double eta,
        Span<int> labels, Span<float> best, Span<float> second)
    {
        int count = pending.Length;
        int dims = table.Dimensions;
        if (table.Width != W) throw new ArgumentException("The table was laid out for another width.", nameof(table));
        if (labels.Length < count || best.Length < count || second.Length < count) throw new ArgumentException("Output shorter than the list.");
        if (dims < 1 || planes.Length < (dims - 1) * stride) throw new ArgumentException("Planes shorter than D x stride.", nameof(planes));
        float* point = stackalloc float[dims];
        fixed (float* p = planes, coordinates = table.Coordinates)
        fixed (int* indices = table.Indices, blockCount = table.BlockCount)
        fixed (double* reach = table.Reach)
        {
            for (int q = 0; q < count; q++)
            {
                int i = pending[q];
                if ((uint)i >= (uint)planes.Length || i + (long)(dims - 1) * stride >= planes.Length)
                    throw new ArgumentOutOfRangeException(nameof(pending));
                int a = own[i];
                if ((uint)a >= (uint)table.K) throw new ArgumentOutOfRangeException(nameof(own));
                for (int d = 0; d < dims; d++) point[d] = p[i + (long)d * stride];
                // An upper bound on the real distance to centre a, from its float square (inflated for double rounding).
                double reachable = Math.Sqrt((ownDistance[i] + eta) / (1 - gamma)) * (1 + 1e-12);
                labels[q] = Walk(point, dims, coordinates, indices, reach, table.Blocks, blockCount[a], a, reachable, 1 - gamma, eta,
                    out best[q], out second[q]);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Walk(float* point, int dims, float* coordinates, int* indices, double* reach, int blocks, int used, int a,
        double reachable, double shrink, double eta, out float bestOut, out float secondOut)
    {
        float* block = coordinates + (long)a * blocks * dims * W;
        int* index = indices + (long)a * blocks * W;
        double* blockReach = reach + (long)a * (blocks + 1);
        bool fused = ScalarKernels.FusesTerms(dims);
        float best = float.PositiveInfinity, second = float.PositiveInfinity;
        int label = int.MaxValue;
        for (int b = 0; b < used; b++, block += dims * W, index += W)
        {
            if (Beyond(blockReach[b], reachable, shrink, eta, second)) goto Found;
            TFloats distance = Distances(block, point, dims, fused);
            // The block's nearest, the lowest index at that distance and its second, across lanes without branches
            // in the common case (one lane at the minimum); then merged by the scalar reference's rules (strict <
            // for the nearest, ties to the lower index, the second smallest of all distances as a multiset).
            float blockBest = TWidth.MinAcross(distance);
            if (blockBest > second) continue;
            TFloats atBest = TWidth.EqualTo(distance, TWidth.Broadcast(blockBest));
            ulong lanes = TWidth.Bits(atBest);
            int blockLabel = index[BitOperations.TrailingZeroCount(lanes)];
            ulong others = lanes & (lanes - 1);
            if (blockBest < best)
            {
                float blockSecond = blockBest;
                if (others == 0) blockSecond = TWidth.MinAcross(TWidth.ConditionalSelect(atBest, TWidth.Broadcast(float.PositiveInfinity), distance));
                else blockLabel = LowestIndex(index, others, blockLabel);
                second = blockSecond < best ? blockSecond : best;
                best = blockBest;
                label = blockLabel;
            }
            else if (blockBest == best)
            {
                if (others != 0) blockLabel = LowestIndex(index, others, blockLabel);
                if (blockLabel < label) label = blockLabel;
                second = best;
            }
            else
            {
                second = blockBest;
            }
        }
        if (!Beyond(blockReach[used], reachable, shrink, eta, second))
        {
            bestOut = secondOut = 0;
            return -1;
        }
    Found:
        bestOut = best;
        secondOut = second;
        return label;
    }

    /// <summary>The lowest centre index among the lanes of <paramref name="lanes"/> and <paramref name="lowest"/> (ties within a block: rare).</summary>
    private static int LowestIndex(int* index, ulong lanes, int lowest)
    {
        do
        {
            int j = index[BitOperations.TrailingZeroCount(lanes)];
            if (j < lowest) lowest = j;
            lanes &= lanes - 1;
        }
        while (lanes != 0);
        return lowest;
    }

    /// <summary>Whether every centre at least <paramref name="reach"/> from the point's own is, in float, farther than <paramref name="second"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Beyond(double reach, double reachable, double shrink, double eta, float second)
    {
        double gap = reach - reachable;
        return gap > 0 && shrink * gap * gap * (1 - 1e-12) - eta > second;
    }

    /// <summary>One block's squared distances to the point: lane by lane the scalar reference's sequence.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TFloats Distances(float* block, float* point, int dims, bool fused)
    {
        TFloats diff = TWidth.Subtract(TWidth.Broadcast(point[0]), TWidth.Load(block));
        TFloats sum = TWidth.Multiply(diff, diff);
        for (int d = 1; d < dims; d++)
        {
            diff = TWidth.Subtract(TWidth.Broadcast(point[d]), TWidth.Load(block + d * W));
            sum = fused ? TWidth.MultiplyAdd(diff, diff, sum) : TWidth.Add(sum, TWidth.Multiply(diff, diff));
        }
        return sum;
    }
}
