using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KMeansPS.Engine.Kernels;

/// <summary>
/// The canonical double-precision sum of a block of float values (optionally times float weights).
/// Eight accumulators take the values i = 0, 1, ... 7 (mod 8) in order and are combined as
/// ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)). The order is part of the determinism contract:
/// it does not depend on vector width, and eight independent chains keep the adder busy.
/// float x float is exact in double, so a fused multiply-add would round the same way as mul then add.
/// </summary>
internal static class ChunkSums
{
    internal const int Lanes = 8;

    internal static double Sum(ReadOnlySpan<float> values, ReadOnlySpan<float> weights)
    {
        if (!weights.IsEmpty && weights.Length < values.Length) throw new ArgumentException("Weights shorter than values.", nameof(weights));
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
        ref float v = ref MemoryMarshal.GetReference(values);
        int n = values.Length;
        int full = n & ~7;
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
        // The tail (at most 7 values, so i & 7 <= 6) feeds the accumulators its index would have used.
        for (int i = full; i < n; i++)
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
                default: a6 += term; break; // i & 7 == 6
            }
        }
        return Combine(a0, a1, a2, a3, a4, a5, a6, a7);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double Combine(double a0, double a1, double a2, double a3, double a4, double a5, double a6, double a7)
        => ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
}
