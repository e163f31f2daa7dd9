using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// <see cref="Upsampling"/>'s filters on 8 input samples at a time in 16-bit lanes. An output pair (2i, 2i+1) is
/// built as one 16-bit lane, even | odd &lt;&lt; 8, so storing the lanes interleaves the pairs without a shuffle.
/// Each method does the whole vectors that fit and returns how many samples it did; the scalar reference does the rest.
/// </summary>
internal static class UpsamplingVector128
{
    internal static int H2V1(ReadOnlySpan<byte> edged, int n, Span<byte> output)
    {
        ref byte s = ref MemoryMarshal.GetReference(edged);
        ref byte o = ref MemoryMarshal.GetReference(output);
        int i = 0;
        for (; i + 8 <= n; i += 8)
        {
            Vector128<ushort> before = Widen(ref s, i), here = Widen(ref s, i + 1), after = Widen(ref s, i + 2);
            Vector128<ushort> nearer = here * 3;
            Vector128<ushort> even = (nearer + before + Vector128.Create((ushort)1)) >>> 2;
            Vector128<ushort> odd = (nearer + after + Vector128.Create((ushort)2)) >>> 2;
            (even | (odd << 8)).AsByte().StoreUnsafe(ref o, (nuint)(2 * i));
        }
        return i;
    }

    internal static int H2V2(ReadOnlySpan<byte> nearEdged, ReadOnlySpan<byte> farEdged, int n, Span<byte> output)
    {
        ref byte near = ref MemoryMarshal.GetReference(nearEdged);
        ref byte far = ref MemoryMarshal.GetReference(farEdged);
        ref byte o = ref MemoryMarshal.GetReference(output);
        int i = 0;
        for (; i + 8 <= n; i += 8)
        {
            Vector128<ushort> before = Widen(ref near, i) * 3 + Widen(ref far, i);
            Vector128<ushort> here = Widen(ref near, i + 1) * 3 + Widen(ref far, i + 1);
            Vector128<ushort> after = Widen(ref near, i + 2) * 3 + Widen(ref far, i + 2);
            Vector128<ushort> nearer = here * 3;
            Vector128<ushort> even = (nearer + before + Vector128.Create((ushort)8)) >>> 4;
            Vector128<ushort> odd = (nearer + after + Vector128.Create((ushort)7)) >>> 4;
            (even | (odd << 8)).AsByte().StoreUnsafe(ref o, (nuint)(2 * i));
        }
        return i;
    }

    internal static int H1V2(ReadOnlySpan<byte> nearRow, ReadOnlySpan<byte> farRow, int bias, int n, Span<byte> output)
    {
        ref byte near = ref MemoryMarshal.GetReference(nearRow);
        ref byte far = ref MemoryMarshal.GetReference(farRow);
        ref byte o = ref MemoryMarshal.GetReference(output);
        Vector128<ushort> b = Vector128.Create((ushort)bias);
        int i = 0;
        for (; i + 16 <= n; i += 16)
        {
            (Vector128<ushort> nearLow, Vector128<ushort> nearHigh) = Vector128.Widen(Vector128.LoadUnsafe(ref near, (nuint)i));
            (Vector128<ushort> farLow, Vector128<ushort> farHigh) = Vector128.Widen(Vector128.LoadUnsafe(ref far, (nuint)i));
            Vector128<ushort> low = (nearLow * 3 + farLow + b) >>> 2;
            Vector128<ushort> high = (nearHigh * 3 + farHigh + b) >>> 2;
            Vector128.Narrow(low, high).StoreUnsafe(ref o, (nuint)i);
        }
        return i;
    }

    /// <summary>Eight bytes from <paramref name="at"/>, zero-extended to 16 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ushort> Widen(ref byte row, int at) =>
        Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref row, at))).AsByte());
}
