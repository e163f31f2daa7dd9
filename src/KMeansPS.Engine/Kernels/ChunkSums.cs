using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace KMeansPS.Engine.Kernels;

/// <summary>
/// The canonical double-precision sum of a block of float values (optionally times float weights).
/// Eight accumulators take the values i = 0, 1, ... 7 (mod 8) in order and are combined as
/// ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)). The order is part of the determinism contract:
/// it does not depend on vector width (a vector path keeps the eight accumulators in its lanes, each
/// lane adding exactly the values the scalar accumulator adds), and eight chains keep the adder busy.
/// float to double and float x float in double are exact, so no step rounds differently anywhere.
/// </summary>
internal static class ChunkSums
{
    internal const int Accumulators = 8;

    /// <summary>The fixed combination of the eight accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double Combine(ReadOnlySpan<double> a) => ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double Sum(ReadOnlySpan<float> values, ReadOnlySpan<float> weights)
    {
        if (Vector256.IsHardwareAccelerated) return SumVector256(values, weights);
        if (Vector128.IsHardwareAccelerated) return SumVector128(values, weights);
        return SumScalar(values, weights);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double SumScalar(ReadOnlySpan<float> values, ReadOnlySpan<float> weights)
    {
        Check(values, weights);
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
        ref float v = ref MemoryMarshal.GetReference(values);
        int full = values.Length & ~7;
        if (weights.IsEmpty)
        {
            for (int i = 0; i < full; i += 8)
            {
                a0 += Unsafe.Add(ref v, i);
                a1 += Unsafe.Add(ref v, i + 1);
                a2 += Unsafe.Add(ref v, i + 2);
                a3 += Unsafe.Add(ref v, i + 3);
                a4 += Unsafe.Add(ref v, i + 4);
                a5 += Unsafe.Add(ref v, i + 5);
                a6 += Unsafe.Add(ref v, i + 6);
                a7 += Unsafe.Add(ref v, i + 7);
            }
        }
        else
        {
            ref float w = ref MemoryMarshal.GetReference(weights);
            for (int i = 0; i < full; i += 8)
            {
                a0 += (double)Unsafe.Add(ref v, i) * Unsafe.Add(ref w, i);
                a1 += (double)Unsafe.Add(ref v, i + 1) * Unsafe.Add(ref w, i + 1);
                a2 += (double)Unsafe.Add(ref v, i + 2) * Unsafe.Add(ref w, i + 2);
                a3 += (double)Unsafe.Add(ref v, i + 3) * Unsafe.Add(ref w, i + 3);
                a4 += (double)Unsafe.Add(ref v, i + 4) * Unsafe.Add(ref w, i + 4);
                a5 += (double)Unsafe.Add(ref v, i + 5) * Unsafe.Add(ref w, i + 5);
                a6 += (double)Unsafe.Add(ref v, i + 6) * Unsafe.Add(ref w, i + 6);
                a7 += (double)Unsafe.Add(ref v, i + 7) * Unsafe.Add(ref w, i + 7);
            }
        }
        return Tail(values, weights, full, a0, a1, a2, a3, a4, a5, a6, a7);
    }

    /// <summary>Accumulators 0-3 and 4-7 are the lanes of two Vector256&lt;double&gt;.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double SumVector256(ReadOnlySpan<float> values, ReadOnlySpan<float> weights) =>
        SumLanes<Width256, Vector256<float>, Vector256<int>, Vector256<double>>(values, weights);

    /// <summary>Accumulators 0-1, 2-3, 4-5 and 6-7 are the lanes of four Vector128&lt;double&gt;.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double SumVector128(ReadOnlySpan<float> values, ReadOnlySpan<float> weights) =>
        SumLanes<Width128, Vector128<float>, Vector128<int>, Vector128<double>>(values, weights);

    /// <summary>Whole groups of terms in the accumulators' lanes (<see cref="LaneAccumulators{TWidth, TFloats, TInts, TDoubles}"/>), then the scalar tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe double SumLanes<TWidth, TFloats, TInts, TDoubles>(ReadOnlySpan<float> values, ReadOnlySpan<float> weights)
        where TWidth : IVectorWidth<TFloats, TInts, TDoubles>
        where TFloats : struct
        where TInts : struct
        where TDoubles : struct
    {
        Check(values, weights);
        var sums = new LaneAccumulators<TWidth, TFloats, TInts, TDoubles>();
        int group = LaneAccumulators<TWidth, TFloats, TInts, TDoubles>.Group;
        bool twoVectors = LaneAccumulators<TWidth, TFloats, TInts, TDoubles>.VectorsPerGroup > 1;
        int full = values.Length & ~(group - 1);
        fixed (float* v = values, w = weights)
        {
            if (weights.IsEmpty)
            {
                for (int i = 0; i < full; i += group)
                {
                    sums.Add(0, TWidth.Load(v + i));
                    if (twoVectors) sums.Add(1, TWidth.Load(v + i + TWidth.Count));
                }
            }
            else
            {
                for (int i = 0; i < full; i += group)
                {
                    sums.Add(0, TWidth.Load(v + i), TWidth.Load(w + i));
                    if (twoVectors) sums.Add(1, TWidth.Load(v + i + TWidth.Count), TWidth.Load(w + i + TWidth.Count));
                }
            }
        }
        double* a = stackalloc double[Accumulators];
        sums.Store(a);
        return Tail(values, weights, full, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Check(ReadOnlySpan<float> values, ReadOnlySpan<float> weights)
    {
        if (!weights.IsEmpty && weights.Length < values.Length) throw new ArgumentException("Weights shorter than values.", nameof(weights));
    }

    /// <summary>The tail (fewer values than a group) feeds the accumulators its index would have used.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Tail(ReadOnlySpan<float> values, ReadOnlySpan<float> weights, int full,
        double a0, double a1, double a2, double a3, double a4, double a5, double a6, double a7)
    {
        for (int i = full; i < values.Length; i++)
        {
            double term = weights.IsEmpty ? values[i] : (double)values[i] * weights[i];
            switch (i & 7)
            {
                case 0: a0 += term; break;
                case 1: a1 += term; break;
                case 2: a2 += term; break;
                case 3: a3 += term; break;
                case 4: a4 += term; break;
                case 5: a5 += term; break;
                case 6: a6 += term; break;
                default: a7 += term; break;
            }
        }
        return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
    }
}
