using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace KMeansPS.Imaging.Metrics;

/// <summary>
/// The window <see cref="Ssim"/> averages over: an 11-tap Gaussian with sigma 1.5, normalised to sum 1, applied
/// separably (along rows, then down a ring of filtered rows).
/// </summary>
internal static class GaussianWindow
{
    internal const int Taps = 11;
    private const double Sigma = 1.5;
    private static readonly float[] Kernel = BuildKernel();

    private static float[] BuildKernel()
    {
        var k = new double[Taps];
        double sum = 0;
        for (int i = 0; i < Taps; i++)
        {
            double x = i - Taps / 2;
            k[i] = Math.Exp(-x * x / (2 * Sigma * Sigma));
            sum += k[i];
        }
        var f = new float[Taps];
        for (int i = 0; i < Taps; i++) f[i] = (float)(k[i] / sum);
        return f;
    }

    // maxVectorBits limits the vector width (tests compare every path with the scalar loop, bit for bit).
    // The window is symmetric, so each filter adds the two samples that share a weight before multiplying: six
    // multiplications instead of eleven. Every output is the same sequence of operations on every path (centre, then
    // pairs from the inside out), so the vector width changes no bits of the filtered values.

    /// <summary>Horizontal filter: destination[i] = sum over t of Kernel[t] x source[i + t].</summary>
    internal static void FilterRow(ReadOnlySpan<float> source, Span<float> destination, int maxVectorBits = int.MaxValue)
    {
        ref float s = ref MemoryMarshal.GetReference(source);
        SymmetricTaps(ref s, ref Unsafe.Add(ref s, 1), ref Unsafe.Add(ref s, 2), ref Unsafe.Add(ref s, 3), ref Unsafe.Add(ref s, 4),
            ref Unsafe.Add(ref s, 5), ref Unsafe.Add(ref s, 6), ref Unsafe.Add(ref s, 7), ref Unsafe.Add(ref s, 8),
            ref Unsafe.Add(ref s, 9), ref Unsafe.Add(ref s, 10), destination, maxVectorBits);
    }

    /// <summary>Vertical filter over the ring: destination[i] = sum over t of Kernel[t] x row (oldest + t)[i].</summary>
    internal static void FilterColumn(float[][] rows, int oldest, Span<float> destination, int maxVectorBits = int.MaxValue) =>
        SymmetricTaps(ref Row(rows, oldest, 0), ref Row(rows, oldest, 1), ref Row(rows, oldest, 2), ref Row(rows, oldest, 3),
            ref Row(rows, oldest, 4), ref Row(rows, oldest, 5), ref Row(rows, oldest, 6), ref Row(rows, oldest, 7),
            ref Row(rows, oldest, 8), ref Row(rows, oldest, 9), ref Row(rows, oldest, 10), destination, maxVectorBits);

    /// <summary>
    /// destination[i] = sum over t of Kernel[t] x rT[i], where rT is the sequence the t-th tap reads: the source
    /// shifted by t for the row filter, the t-th ring row for the column filter.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SymmetricTaps(ref float r0, ref float r1, ref float r2, ref float r3, ref float r4, ref float r5,
        ref float r6, ref float r7, ref float r8, ref float r9, ref float r10, Span<float> destination, int maxVectorBits)
    {
        ref float d = ref MemoryMarshal.GetReference(destination);
        int n = destination.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && maxVectorBits >= 512)
            i = SymmetricTaps<Vector512<float>, FloatLanesVector512>(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7, ref r8, ref r9, ref r10, ref d, i, n);
        else if (Vector256.IsHardwareAccelerated && maxVectorBits >= 256)
            i = SymmetricTaps<Vector256<float>, FloatLanesVector256>(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7, ref r8, ref r9, ref r10, ref d, i, n);
        else if (Vector128.IsHardwareAccelerated && maxVectorBits >= 128)
            i = SymmetricTaps<Vector128<float>, FloatLanesVector128>(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7, ref r8, ref r9, ref r10, ref d, i, n);
        SymmetricTaps<float, FloatLanesScalar>(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7, ref r8, ref r9, ref r10, ref d, i, n);
    }

    /// <summary>Outputs <paramref name="from"/> onwards in whole steps of <typeparamref name="TLanes"/>; returns where it stopped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SymmetricTaps<T, TLanes>(ref float r0, ref float r1, ref float r2, ref float r3, ref float r4, ref float r5,
        ref float r6, ref float r7, ref float r8, ref float r9, ref float r10, ref float d, int from, int n)
        where T : struct
        where TLanes : struct, IFloatLanes<T>
    {
        float k0 = Kernel[0], k1 = Kernel[1], k2 = Kernel[2], k3 = Kernel[3], k4 = Kernel[4], k5 = Kernel[5];
        int i = from;
        for (; i + TLanes.Count <= n; i += TLanes.Count)
        {
            nuint at = (nuint)i;
            T acc = TLanes.Multiply(TLanes.Load(ref r5, at), k5);
            acc = TLanes.Add(acc, TLanes.Multiply(TLanes.Add(TLanes.Load(ref r4, at), TLanes.Load(ref r6, at)), k4));
            acc = TLanes.Add(acc, TLanes.Multiply(TLanes.Add(TLanes.Load(ref r3, at), TLanes.Load(ref r7, at)), k3));
            acc = TLanes.Add(acc, TLanes.Multiply(TLanes.Add(TLanes.Load(ref r2, at), TLanes.Load(ref r8, at)), k2));
            acc = TLanes.Add(acc, TLanes.Multiply(TLanes.Add(TLanes.Load(ref r1, at), TLanes.Load(ref r9, at)), k1));
            acc = TLanes.Add(acc, TLanes.Multiply(TLanes.Add(TLanes.Load(ref r0, at), TLanes.Load(ref r10, at)), k0));
            TLanes.Store(acc, ref d, at);
        }
        return i;
    }

    private static ref float Row(float[][] rows, int oldest, int t) => ref MemoryMarshal.GetArrayDataReference(rows[(oldest + t) % Taps]);
}
