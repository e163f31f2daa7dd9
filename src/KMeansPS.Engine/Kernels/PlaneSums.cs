using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace KMeansPS.Engine.Kernels;

/// <summary>
/// A chunk's weighted coordinate sums by label exactly as <see cref="LabelSums"/> makes them (point i adds weight x
/// coordinate, exact in double, into copy (i mod 4) of its label's D + 1 slots, in point order), read from the
/// structure-of-arrays planes instead of the rows: right after the assignment pass a chunk's planes are in the core's
/// cache, its rows in memory (1 M x 32, K = 16: a Lloyd iteration 12.6 -> 11.5 ms on two cores, 22 -> 19.3 on one).
/// Eight planes by eight points become eight rows in registers; each slot still takes its points in point order,
/// so the bits are the scalar reference's. Colours (D = 3) have their own block of eight (<see cref="AddThree"/>).
/// </summary>
internal static unsafe class PlaneSums
{
    /// <summary>
    /// Floats of a chunk's planes that stay in a core's cache (1 MiB: a Zen 4/5 L2) from its assignment to its sums.
    /// Above it the rows are no slower (D = 128, K = 256: 2 MiB a chunk, the planes 2-3 % slower in CPU time).
    /// </summary>
    internal const int CachedFloats = 1 << 18;

    /// <summary>Whether <see cref="AddTransposed"/> runs under <paramref name="cap"/>: AVX, and at least eight planes.</summary>
    internal static bool CanTranspose(InstructionSet cap, int dims) =>
        cap >= InstructionSet.Vector256 && Avx.IsSupported && dims >= 8;

    /// <summary>
    /// The scalar reference, point by point, coordinate by coordinate; the fit's path where no vector path applies
    /// (colours written out, as they are the common case there: ARM64, no AVX).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void AddScalar(float* planes, nint stride, int count, int dims, int* labels, float* weights, double* sums, int copyStride, int slots)
    {
        if (dims != 3)
        {
            for (int i = 0; i < count; i++) AddPoint(planes, stride, i, 0, dims, labels, weights, sums, copyStride, slots);
            return;
        }
        for (int i = 0; i < count; i++)
        {
            double* s = sums + (i & 3) * copyStride + labels[i] * slots;
            double weight = weights == null ? 1.0 : ExactConvert.ToDouble(weights[i]);
            s[0] += weight * ExactConvert.ToDouble(planes[i]);
            s[1] += weight * ExactConvert.ToDouble(planes[stride + i]);
            s[2] += weight * ExactConvert.ToDouble(planes[2 * stride + i]);
            s[3] += weight;
        }
    }

    /// <summary>Blocks of eight points by eight planes turned in registers (AVX); the rest as the reference.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void AddTransposed(float* planes, nint stride, int count, int dims, int* labels, float* weights, double* sums, int copyStride, int slots)
    {
        int whole = dims & ~7;
        int i = 0;
        for (; i <= count - 8; i += 8)
        {
            // Point i + r goes to copy r mod 4 (i is a multiple of 8).
            double* s0 = sums + labels[i] * slots, s1 = sums + copyStride + labels[i + 1] * slots;
            double* s2 = sums + 2 * copyStride + labels[i + 2] * slots, s3 = sums + 3 * copyStride + labels[i + 3] * slots;
            double* s4 = sums + labels[i + 4] * slots, s5 = sums + copyStride + labels[i + 5] * slots;
            double* s6 = sums + 2 * copyStride + labels[i + 6] * slots, s7 = sums + 3 * copyStride + labels[i + 7] * slots;
            for (int d = 0; d < whole; d += 8)
            {
                float* q = planes + d * stride + i;
                Vector256<float> r0 = Avx.LoadVector256(q), r1 = Avx.LoadVector256(q + stride);
                Vector256<float> r2 = Avx.LoadVector256(q + 2 * stride), r3 = Avx.LoadVector256(q + 3 * stride);
                Vector256<float> r4 = Avx.LoadVector256(q + 4 * stride), r5 = Avx.LoadVector256(q + 5 * stride);
                Vector256<float> r6 = Avx.LoadVector256(q + 6 * stride), r7 = Avx.LoadVector256(q + 7 * stride);
                FloatTranspose.Transpose8x8(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
                // In point order: points r and r + 4 share a copy, and a slot when their labels match.
                AddRow(s0 + d, r0, weights, i);
                AddRow(s1 + d, r1, weights, i + 1);
                AddRow(s2 + d, r2, weights, i + 2);
                AddRow(s3 + d, r3, weights, i + 3);
                AddRow(s4 + d, r4, weights, i + 4);
                AddRow(s5 + d, r5, weights, i + 5);
                AddRow(s6 + d, r6, weights, i + 6);
                AddRow(s7 + d, r7, weights, i + 7);
            }
            for (int r = 0; r < 8; r++) AddPoint(planes, stride, i + r, whole, dims, labels, weights, sums, copyStride, slots);
        }
        for (; i < count; i++) AddPoint(planes, stride, i, 0, dims, labels, weights, sums, copyStride, slots);
    }

    /// <summary>
    /// D = 3 (colours): per point, (x, y, z, 1) widened to double, times its weight, added to the slots (x, y, z,
    /// weight) in one 4-double read-modify-write, per component the scalar reference's single rounding. Whole blocks
    /// of eight points turn the three planes and a vector of ones into their eight rows in registers (11 shuffles a
    /// block instead of three inserts a point); the rest are built one by one. AVX.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void AddThree(float* planes, nint stride, int count, int* labels, float* weights, double* sums, int copyStride, int slots)
    {
        Vector256<float> ones = Vector256.Create(1f);
        int i = 0;
        for (; i <= count - 8; i += 8)
        {
            Vector256<float> x = Avx.LoadVector256(planes + i), y = Avx.LoadVector256(planes + stride + i);
            Vector256<float> z = Avx.LoadVector256(planes + 2 * stride + i);
            Vector256<float> xyLow = Avx.UnpackLow(x, y), xyHigh = Avx.UnpackHigh(x, y);
            Vector256<float> zLow = Avx.UnpackLow(z, ones), zHigh = Avx.UnpackHigh(z, ones);
            // Each holds two points' (x, y, z, 1): its low half point r, its high half point r + 4.
            Vector256<float> p04 = Avx.Shuffle(xyLow, zLow, 0x44), p15 = Avx.Shuffle(xyLow, zLow, 0xEE);
            Vector256<float> p26 = Avx.Shuffle(xyHigh, zHigh, 0x44), p37 = Avx.Shuffle(xyHigh, zHigh, 0xEE);
            AddColor(sums + labels[i] * slots, p04.GetLower(), weights, i);
            AddColor(sums + copyStride + labels[i + 1] * slots, p15.GetLower(), weights, i + 1);
            AddColor(sums + 2 * copyStride + labels[i + 2] * slots, p26.GetLower(), weights, i + 2);
            AddColor(sums + 3 * copyStride + labels[i + 3] * slots, p37.GetLower(), weights, i + 3);
            AddColor(sums + labels[i + 4] * slots, p04.GetUpper(), weights, i + 4);
            AddColor(sums + copyStride + labels[i + 5] * slots, p15.GetUpper(), weights, i + 5);
            AddColor(sums + 2 * copyStride + labels[i + 6] * slots, p26.GetUpper(), weights, i + 6);
            AddColor(sums + 3 * copyStride + labels[i + 7] * slots, p37.GetUpper(), weights, i + 7);
        }
        for (; i < count; i++)
        {
            Vector128<float> row = Vector128.Create(planes[i], planes[stride + i], planes[2 * stride + i], 1f);
            AddColor(sums + (i & 3) * copyStride + labels[i] * slots, row, weights, i);
        }
    }

    /// <summary>(x, y, z, 1) widened to double (exact), times the point's weight (exact), into its four slots.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddColor(double* s, Vector128<float> row, float* weights, int i)
    {
        Vector256<double> add = Vector256.WidenLower(row.ToVector256Unsafe());
        if (weights != null) add *= Vector256.Create(ExactConvert.ToDouble(weights[i]));
        Vector256.Store(Vector256.Load(s) + add, s);
    }

    /// <summary>Point <paramref name="i"/>'s coordinates from <paramref name="from"/> on, then its weight.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddPoint(float* planes, nint stride, int i, int from, int dims, int* labels, float* weights, double* sums, int copyStride, int slots)
    {
        double* s = sums + (i & 3) * copyStride + labels[i] * slots;
        double weight = weights == null ? 1.0 : ExactConvert.ToDouble(weights[i]);
        for (int d = from; d < dims; d++) s[d] += weight * ExactConvert.ToDouble(planes[d * stride + i]);
        s[dims] += weight;
    }

    /// <summary>Eight coordinates of one point widened to double (exact), times its weight (exact), into its slots.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRow(double* s, Vector256<float> row, float* weights, int i)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<double> x = Vector512.WidenLower(row.ToVector512Unsafe());
            if (weights != null) x *= Vector512.Create(ExactConvert.ToDouble(weights[i]));
            Vector512.Store(Vector512.Load(s) + x, s);
        }
        else
        {
            Vector256<double> lo = Vector256.WidenLower(row), hi = Vector256.WidenUpper(row);
            if (weights != null)
            {
                var w = Vector256.Create(ExactConvert.ToDouble(weights[i]));
                lo *= w;
                hi *= w;
            }
            Vector256.Store(Vector256.Load(s) + lo, s);
            Vector256.Store(Vector256.Load(s + 4) + hi, s + 4);
        }
    }
}
