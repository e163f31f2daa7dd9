using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KMeansPS.Engine.Kernels;

/// <summary>
/// The largest of non-negative floats (squared distances: never NaN, never -0), by their bits: such floats order as
/// their bit patterns do as integers, and an integer max is one instruction where the runtime's float max is several.
/// </summary>
internal static class NonNegativeMax
{
    /// <summary>The largest value; 0 for an empty span.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static float Of(ReadOnlySpan<float> values)
    {
        ReadOnlySpan<int> bits = MemoryMarshal.Cast<float, int>(values);
        int max = 0, i = 0;
        if (Vector.IsHardwareAccelerated && bits.Length >= 2 * Vector<int>.Count)
        {
            // Two running maxima: the loop is bound by loads, not by one chain of dependent maxima.
            var m0 = new Vector<int>(bits);
            var m1 = new Vector<int>(bits[Vector<int>.Count..]);
            for (i = 2 * Vector<int>.Count; i <= bits.Length - 2 * Vector<int>.Count; i += 2 * Vector<int>.Count)
            {
                m0 = Vector.Max(m0, new Vector<int>(bits[i..]));
                m1 = Vector.Max(m1, new Vector<int>(bits[(i + Vector<int>.Count)..]));
            }
            m0 = Vector.Max(m0, m1);
            for (int lane = 0; lane < Vector<int>.Count; lane++) max = Math.Max(max, m0[lane]);
        }
        for (; i < bits.Length; i++) max = Math.Max(max, bits[i]);
        return BitConverter.Int32BitsToSingle(max);
    }
}
