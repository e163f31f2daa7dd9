using System.Numerics;
using System.Runtime.CompilerServices;

namespace KMeansPS.Engine.Kernels;

/// <summary>
/// <see cref="CentreGaps.HalfGapsScalar"/> with the other centres a vector of doubles at a time: their coordinates
/// are laid out as D planes of K doubles first, so each lane computes one pair's sum in the reference's order. The
/// lane holding the centre itself is left out by the scalar minimum of its block. Squared distances of finite
/// centres are finite and at least +0, so Min is safe here (<see cref="IVectorWidth{TFloats, TInts, TDoubles}.Min(TFloats, TFloats)"/>).
/// </summary>
internal static unsafe class CentreGaps<TWidth, TFloats, TInts, TDoubles>
    where TWidth : IVectorWidth<TFloats, TInts, TDoubles>
    where TFloats : struct
    where TInts : struct
    where TDoubles : struct
{
    /// <summary>The half gaps of K centres of D coordinates (rows); <paramref name="planes"/> is scratch of at least K x D doubles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void HalfGaps(ReadOnlySpan<float> centres, int k, int dims, Span<double> halfGap, Span<double> planes)
    {
        int lanes = TWidth.Count / 2;
        if (k <= lanes)
        {
            CentreGaps.HalfGapsScalar(centres, k, dims, halfGap);
            return;
        }
        CentreGaps.FillPlanes(centres, k, dims, planes);
        HalfGapRows(centres, k, dims, halfGap, planes, 0, k);
    }

    /// <summary>
    /// <see cref="HalfGaps"/> of centres <paramref name="from"/> to <paramref name="to"/> - 1 only (so workers can share
    /// them), <paramref name="planes"/> already filled (<see cref="CentreGaps.FillPlanes"/>): the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void HalfGapRows(ReadOnlySpan<float> centres, int k, int dims, Span<double> halfGap, ReadOnlySpan<double> planes, int from, int to)
    {
        int lanes = TWidth.Count / 2;
        if (k <= lanes)
        {
            CentreGaps.HalfGapRowsScalar(centres, k, dims, halfGap, from, to);
            return;
        }
        int whole = k - k % lanes;
        double* block = stackalloc double[lanes];
        fixed (double* p = planes)
        {
            for (int a = from; a < to; a++)
            {
                int own = a - a % lanes;
                double min = double.PositiveInfinity;
                TDoubles nearest = TWidth.BroadcastDouble(double.PositiveInfinity);
                for (int b = 0; b < whole; b += lanes)
                {
                    TDoubles sum = SquaredDistances(centres, a, dims, p + b, k);
                    if (b != own)
                    {
                        nearest = TWidth.Min(nearest, sum);
                        continue;
                    }
                    TWidth.Store(sum, block);
                    for (int lane = 0; lane < lanes; lane++)
                        if (b + lane != a && block[lane] < min) min = block[lane];
                }
                for (int b = whole; b < k; b++)
                {
                    if (b == a) continue;
                    double sum = CentreGaps.SquaredDistance(centres, a, b, dims);
                    if (sum < min) min = sum;
                }
                TWidth.Store(nearest, block);
                for (int lane = 0; lane < lanes; lane++)
                    if (block[lane] < min) min = block[lane];
                halfGap[a] = CentreGaps.Half(min);
            }
        }
    }

    /// <summary>
    /// As <see cref="HalfGaps"/> for centres <paramref name="from"/> to <paramref name="to"/> - 1 (so workers can share
    /// the rows), each row of squared distances also stored whole, the row's nearest others (inside
    /// <see cref="NeighbourTable.Radius"/> of its gap) found a vector of pairs at a time and placed in the neighbour
    /// table. The fit places a row only when the one it keeps has drifted too far (Fitting's KeptNeighbourRows), after
    /// <see cref="HalfGapRows"/> gave every half gap. <paramref name="planes"/> holds the centres as D planes of K
    /// doubles (<see cref="CentreGaps.FillPlanes"/>); the same sums as the reference, so the same half gaps.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void HalfGapsAndRows(ReadOnlySpan<float> centres, int k, int dims, Span<double> halfGap, ReadOnlySpan<double> planes,
        NeighbourTable table, int from, int to, int worker)
    {
        int lanes = TWidth.Count / 2;
        int whole = k - k % lanes;
        NeighbourTable.RowScratch scratch = table.Scratch(worker);
        Span<double> rowSpan = scratch.Row;
        Span<int> nearSpan = scratch.Near;
        double* mins = stackalloc double[lanes];
        fixed (double* p = planes, row = rowSpan)
        fixed (int* near = nearSpan)
        {
            for (int a = from; a < to; a++)
            {
                int own = a - a % lanes;
                TDoubles nearest = TWidth.BroadcastDouble(double.PositiveInfinity);
                for (int b = 0; b < whole; b += lanes)
                {
                    TDoubles sum = SquaredDistances(centres, a, dims, p + b, k);
                    TWidth.Store(sum, row + b);
                    if (b != own) nearest = TWidth.Min(nearest, sum);
                }
                for (int b = whole; b < k; b++) row[b] = CentreGaps.SquaredDistance(centres, a, b, dims);
                // The own block (or the scalar tail) without a itself, then the vector minimum of the other blocks.
                int ownStart = own < whole ? own : whole;
                int ownEnd = own < whole ? own + lanes : k;
                double min = double.PositiveInfinity;
                for (int b = ownStart; b < ownEnd; b++)
                    if (b != a && row[b] < min) min = row[b];
                for (int b = Math.Max(ownEnd, whole); b < k; b++)
                    if (row[b] < min) min = row[b];
                TWidth.Store(nearest, mins);
                for (int lane = 0; lane < lanes; lane++)
                    if (mins[lane] < min) min = mins[lane];
                halfGap[a] = CentreGaps.Half(min);

                // The centres inside the table's radius, in index order: a compare per vector of pairs. Where that
                // radius holds fewer than a row's entries (a centre with a close twin has a small gap), it grows.
                double gap = min > 0 ? min : NeighbourTable.NearestPositive(rowSpan[..k]);
                double radius = NeighbourTable.Radius(gap);
                int count;
                while (true)
                {
                    TDoubles limit = TWidth.BroadcastDouble(radius);
                    count = 0;
                    for (int b = 0; b < whole; b += lanes)
                    {
                        ulong bits = TWidth.LessThanBits(TWidth.Load(row + b), limit);
                        while (bits != 0)
                        {
                            near[count++] = b + BitOperations.TrailingZeroCount(bits);
                            bits &= bits - 1;
                        }
                    }
                    for (int b = whole; b < k; b++)
                        if (row[b] < radius) near[count++] = b;
                    if (count >= table.Entries || count == k) break;
                    radius *= NeighbourTable.Growth;
                }
                table.PlaceRow(a, rowSpan, radius, nearSpan[..count], centres, scratch);
            }
        }
    }

    /// <summary>
    /// Squared distances from centre a to the lanes' centres starting at <paramref name="planes"/> (D planes K doubles
    /// apart), each lane in <see cref="CentreGaps.SquaredDistance"/>'s order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TDoubles SquaredDistances(ReadOnlySpan<float> centres, int a, int dims, double* planes, int k)
    {
        TDoubles sum = TWidth.BroadcastDouble(0.0);
        for (int d = 0; d < dims; d++, planes += k)
        {
            TDoubles diff = TWidth.Subtract(TWidth.BroadcastDouble(centres[a * dims + d]), TWidth.Load(planes));
            sum = TWidth.Add(sum, TWidth.Multiply(diff, diff));
        }
        return sum;
    }
}
