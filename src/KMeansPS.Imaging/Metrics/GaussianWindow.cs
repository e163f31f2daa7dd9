using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace KMeansPS.Imaging.Metrics;

/// <summary>
/// The window <see cref="Ssim"/> averages over: an 11-tap Gaussian with sigma 1.5, normalised to sum 1, applied
/// separably (along rows, then down a ring of filtered rows). It filters doubles: SSIM takes variances as
/// E[x^2] - E[x]^2, which in float32 loses about 0.004 of 65,025 per moment and moved the mean SSIM of bright, flat
/// images in its fourth decimal.
/// </summary>
internal static class GaussianWindow
{
    internal const int Taps = 11;
    private const double Sigma = 1.5;
    private static readonly double[] Kernel = BuildKernel();

    private static double[] BuildKernel()
    {
        var k = new double[Taps];
        double sum = 0;
        for (int i = 0; i < Taps; i++)
        {
            double x = i - Taps / 2;
            k[i] = Math.Exp(-x * x / (2 * Sigma * Sigma));
            sum += k[i];
        }
        for (int i = 0; i < Taps; i++) k[i] /= sum;
        return k;
    }

    /// <summary>
    /// Doubles per row of a <see cref="FilterColumn"/> ring, and so the most outputs it filters at once: a ring of
    /// 2 x 11 rows is 44 KiB.
    /// </summary>
    internal const int RingStride = 256;

    /// <summary>Length of a ring: each of the <see cref="Taps"/> rows is held twice (see <see cref="StoreRingRow"/>).</summary>
    internal const int RingLength = 2 * Taps * RingStride;

    // maxVectorBits limits the vector width (tests compare every path with the scalar loop, bit for bit).
    // The window is symmetric, so each filter adds the two samples that share a weight before multiplying: six
    // multiplications instead of eleven. Every output is the same sequence of operations on every path (centre, then
    // pairs from the inside out), so the vector width changes no bits of the filtered values. Each filter reads its
    // taps from one reference at a constant stride (1 along a row, RingStride down a ring), so the loop addresses
    // every tap from one register instead of eleven references the JIT kept on the stack.

    /// <summary>Horizontal filter: destination[i] = sum over t of Kernel[t] x source[i + t].</summary>
    internal static void FilterRow(ReadOnlySpan<double> source, Span<double> destination, int maxVectorBits = int.MaxValue)
    {
        if (source.Length < destination.Length + Taps - 1) throw new ArgumentException("The source is shorter than the window needs.", nameof(source));
        SymmetricTaps<AlongRow>(ref MemoryMarshal.GetReference(source), destination, maxVectorBits);
    }

    /// <summary>
    /// Puts <paramref name="row"/> in slot <paramref name="slot"/> (0 to 10) of <paramref name="ring"/>: at the slot and
    /// again 11 rows on, so that any 11 consecutive slots lie in order from the oldest.
    /// </summary>
    internal static void StoreRingRow(ReadOnlySpan<double> row, double[] ring, int slot)
    {
        if (row.Length > RingStride || ring.Length < RingLength || (uint)slot >= Taps) throw new ArgumentException("A ring row holds at most RingStride values in one of 11 slots.");
        row.CopyTo(ring.AsSpan(slot * RingStride));
        row.CopyTo(ring.AsSpan((slot + Taps) * RingStride));
    }

    /// <summary>
    /// <see cref="FilterRow"/> of <paramref name="source"/> to <paramref name="count"/> outputs, put in slot
    /// <paramref name="slot"/> of <paramref name="ring"/> as <see cref="StoreRingRow"/> puts a row.
    /// </summary>
    internal static void FilterRowIntoRing(ReadOnlySpan<double> source, int count, double[] ring, int slot)
    {
        if (count > RingStride || ring.Length < RingLength || (uint)slot >= Taps) throw new ArgumentException("A ring row holds at most RingStride values in one of 11 slots.");
        Span<double> row = ring.AsSpan(slot * RingStride, count);
        FilterRow(source, row);
        row.CopyTo(ring.AsSpan((slot + Taps) * RingStride));
    }

    /// <summary>
    /// Vertical filter over a ring of rows filled by <see cref="StoreRingRow"/> or <see cref="FilterRowIntoRing"/>: destination[i] = sum over t of
    /// Kernel[t] x slot (oldest + t)[i].
    /// </summary>
    internal static void FilterColumn(double[] ring, int oldest, Span<double> destination, int maxVectorBits = int.MaxValue)
    {
        if (ring.Length < RingLength || (uint)oldest >= Taps || destination.Length > RingStride) throw new ArgumentException("The ring or the destination does not fit.");
        SymmetricTaps<DownRing>(ref ring[oldest * RingStride], destination, maxVectorBits);
    }

    /// <summary>The distance between taps: consecutive samples along a row.</summary>
    private readonly struct AlongRow : ITapStride
    {
        public static nuint Stride => 1;
    }

    /// <summary>The distance between taps: consecutive rows of a ring.</summary>
    private readonly struct DownRing : ITapStride
    {
        public static nuint Stride => RingStride;
    }

    private interface ITapStride
    {
        static abstract nuint Stride { get; }
    }

    /// <summary>destination[i] = sum over t of Kernel[t] x first[i + t x stride].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SymmetricTaps<TStride>(ref double first, Span<double> destination, int maxVectorBits)
        where TStride : struct, ITapStride
    {
        ref double d = ref MemoryMarshal.GetReference(destination);
        int n = destination.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && maxVectorBits >= 512)
            i = SymmetricTaps<Vector512<double>, DoubleLanesVector512, TStride>(ref first, ref d, i, n);
        else if (Vector256.IsHardwareAccelerated && maxVectorBits >= 256)
            i = SymmetricTaps<Vector256<double>, DoubleLanesVector256, TStride>(ref first, ref d, i, n);
        else if (Vector128.IsHardwareAccelerated && maxVectorBits >= 128)
            i = SymmetricTaps<Vector128<double>, DoubleLanesVector128, TStride>(ref first, ref d, i, n);
        SymmetricTaps<double, DoubleLanesScalar, TStride>(ref first, ref d, i, n);
    }

    /// <summary>Outputs <paramref name="from"/> onwards in whole steps of <typeparamref name="TLanes"/>; returns where it stopped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SymmetricTaps<T, TLanes, TStride>(ref double first, ref double d, int from, int n)
        where T : struct
        where TLanes : struct, IDoubleLanes<T>
        where TStride : struct, ITapStride
    {
        T k0 = TLanes.Broadcast(Kernel[0]), k1 = TLanes.Broadcast(Kernel[1]), k2 = TLanes.Broadcast(Kernel[2]);
        T k3 = TLanes.Broadcast(Kernel[3]), k4 = TLanes.Broadcast(Kernel[4]), k5 = TLanes.Broadcast(Kernel[5]);
        nuint s = TStride.Stride;
        int i = from;
        for (; i + TLanes.Count <= n; i += TLanes.Count)
        {
            nuint at = (nuint)i;
            T acc = TLanes.Multiply(TLanes.Load(ref first, at + 5 * s), k5);
            acc = TLanes.Add(acc, TLanes.Multiply(TLanes.Add(TLanes.Load(ref first, at + 4 * s), TLanes.Load(ref first, at + 6 * s)), k4));
            acc = TLanes.Add(acc, TLanes.Multiply(TLanes.Add(TLanes.Load(ref first, at + 3 * s), TLanes.Load(ref first, at + 7 * s)), k3));
            acc = TLanes.Add(acc, TLanes.Multiply(TLanes.Add(TLanes.Load(ref first, at + 2 * s), TLanes.Load(ref first, at + 8 * s)), k2));
            acc = TLanes.Add(acc, TLanes.Multiply(TLanes.Add(TLanes.Load(ref first, at + 1 * s), TLanes.Load(ref first, at + 9 * s)), k1));
            acc = TLanes.Add(acc, TLanes.Multiply(TLanes.Add(TLanes.Load(ref first, at), TLanes.Load(ref first, at + 10 * s)), k0));
            TLanes.Store(acc, ref d, at);
        }
        return i;
    }
}
