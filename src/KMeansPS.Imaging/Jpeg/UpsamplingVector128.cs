using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using KMeansPS.Generators;
using static KMeansPS.Imaging.Jpeg.WideningLoads;

namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// <see cref="Upsampling"/>'s filters on a vector of 16-bit lanes at a time (8 input samples here, 16 in the
/// generated <c>UpsamplingVector256</c>). An output pair (2i, 2i+1) is built as one 16-bit lane, even | odd &lt;&lt; 8,
/// so storing the lanes interleaves the pairs without a shuffle. Each method does the whole vectors that fit and
/// returns how many samples it did; the scalar reference does the rest.
/// </summary>
[ExpandToWidths(256)]
internal static class UpsamplingVector128
{
    // Fully optimized from the first call: code passing vectors cannot be precompiled (ReadyToRun) on Linux, and at
    // tier 0 every vector helper is a call, which a fresh session's first image paid for every block or row.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int H2V1(ReadOnlySpan<byte> edged, int n, Span<byte> output)
    {
        ref byte s = ref MemoryMarshal.GetReference(edged);
        ref byte o = ref MemoryMarshal.GetReference(output);
        int i = 0;
        for (; i + Vector128<ushort>.Count <= n; i += Vector128<ushort>.Count)
        {
            Vector128<ushort> before = UInt16Vector128(ref s, i), here = UInt16Vector128(ref s, i + 1), after = UInt16Vector128(ref s, i + 2);
            Vector128<ushort> nearer = here * 3;
            Vector128<ushort> even = (nearer + before + Vector128.Create((ushort)1)) >>> 2;
            Vector128<ushort> odd = (nearer + after + Vector128.Create((ushort)2)) >>> 2;
            (even | (odd << 8)).AsByte().StoreUnsafe(ref o, (nuint)(2 * i));
        }
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int H2V2(ReadOnlySpan<byte> nearEdged, ReadOnlySpan<byte> farEdged, int n, Span<byte> output)
    {
        ref byte near = ref MemoryMarshal.GetReference(nearEdged);
        ref byte far = ref MemoryMarshal.GetReference(farEdged);
        ref byte o = ref MemoryMarshal.GetReference(output);
        int i = 0;
        for (; i + Vector128<ushort>.Count <= n; i += Vector128<ushort>.Count)
        {
            Vector128<ushort> before = UInt16Vector128(ref near, i) * 3 + UInt16Vector128(ref far, i);
            Vector128<ushort> here = UInt16Vector128(ref near, i + 1) * 3 + UInt16Vector128(ref far, i + 1);
            Vector128<ushort> after = UInt16Vector128(ref near, i + 2) * 3 + UInt16Vector128(ref far, i + 2);
            Vector128<ushort> nearer = here * 3;
            Vector128<ushort> even = (nearer + before + Vector128.Create((ushort)8)) >>> 4;
            Vector128<ushort> odd = (nearer + after + Vector128.Create((ushort)7)) >>> 4;
            (even | (odd << 8)).AsByte().StoreUnsafe(ref o, (nuint)(2 * i));
        }
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int H1V2(ReadOnlySpan<byte> nearRow, ReadOnlySpan<byte> farRow, int bias, int n, Span<byte> output)
    {
        ref byte near = ref MemoryMarshal.GetReference(nearRow);
        ref byte far = ref MemoryMarshal.GetReference(farRow);
        ref byte o = ref MemoryMarshal.GetReference(output);
        Vector128<ushort> b = Vector128.Create((ushort)bias);
        int i = 0;
        for (; i + Vector128<byte>.Count <= n; i += Vector128<byte>.Count)
        {
            (Vector128<ushort> nearLow, Vector128<ushort> nearHigh) = Vector128.Widen(Vector128.LoadUnsafe(ref near, (nuint)i));
            (Vector128<ushort> farLow, Vector128<ushort> farHigh) = Vector128.Widen(Vector128.LoadUnsafe(ref far, (nuint)i));
            Vector128<ushort> low = (nearLow * 3 + farLow + b) >>> 2;
            Vector128<ushort> high = (nearHigh * 3 + farHigh + b) >>> 2;
            Vector128.Narrow(low, high).StoreUnsafe(ref o, (nuint)i);
        }
        return i;
    }
}
