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
        for (int b = 0; b < k; b++)
            for (int d = 0; d < dims; d++) planes[d * k + b] = centres[b * dims + d];
        int whole = k - k % lanes;
        double* block = stackalloc double[lanes];
        fixed (double* p = planes)
        {
            for (int a = 0; a < k; a++)
            {
                int own = a - a % lanes;
                double min = double.PositiveInfinity;
                TDoubles nearest = TWidth.BroadcastDouble(double.PositiveInfinity);
                for (int b = 0; b < whole; b += lanes)
                {
                    TDoubles sum = TWidth.BroadcastDouble(0.0);
                    double* plane = p + b;
                    for (int d = 0; d < dims; d++, plane += k)
                    {
                        TDoubles diff = TWidth.Subtract(TWidth.BroadcastDouble(centres[a * dims + d]), TWidth.Load(plane));
                        sum = TWidth.Add(sum, TWidth.Multiply(diff, diff));
                    }
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
}
