using System.Runtime.CompilerServices;

namespace KMeansPS.Engine.Kernels;

/// <summary>
/// Hamerly's s(c): half the distance from each centre to its nearest other centre, shrunk by a relative 1e-12 so
/// that rounding never overstates it. Each squared distance is taken in double, coordinate by coordinate
/// (diff = c_a - c_b, sum += diff * diff, multiply and add rounded apart), and the minimum over the other centres is
/// a value, so the vector paths (<see cref="CentreGaps{TWidth, TFloats, TInts, TDoubles}"/>, several other centres
/// at once) give this reference's bits. K x K x D per iteration: at K = 256 this loop alone took 7 % of a photo's
/// palette fit, single-threaded between the parallel passes.
/// </summary>
internal static class CentreGaps
{
    /// <summary>The factor that keeps a half gap from being overstated by its rounding.</summary>
    internal const double Shrink = 1 - 1e-12;

    /// <summary>The reference: every pair, one coordinate after another.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void HalfGapsScalar(ReadOnlySpan<float> centres, int k, int dims, Span<double> halfGap) =>
        HalfGapRowsScalar(centres, k, dims, halfGap, 0, k);

    /// <summary>The reference's half gaps of centres <paramref name="from"/> to <paramref name="to"/> - 1 only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void HalfGapRowsScalar(ReadOnlySpan<float> centres, int k, int dims, Span<double> halfGap, int from, int to)
    {
        for (int a = from; a < to; a++)
        {
            double min = double.PositiveInfinity;
            for (int b = 0; b < k; b++)
            {
                if (b == a) continue;
                double sum = SquaredDistance(centres, a, b, dims);
                if (sum < min) min = sum;
            }
            halfGap[a] = Half(min);
        }
    }

    /// <summary>The centres (K rows of D) as D planes of K doubles, for the vector paths.</summary>
    internal static void FillPlanes(ReadOnlySpan<float> centres, int k, int dims, Span<double> planes)
    {
        for (int b = 0; b < k; b++)
            for (int d = 0; d < dims; d++) planes[d * k + b] = centres[b * dims + d];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double SquaredDistance(ReadOnlySpan<float> centres, int a, int b, int dims)
    {
        double sum = 0;
        for (int d = 0; d < dims; d++)
        {
            double diff = (double)centres[a * dims + d] - centres[b * dims + d];
            sum += diff * diff;
        }
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double Half(double squared) => 0.5 * Math.Sqrt(squared) * Shrink;
}
