using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// <see cref="UpsamplingVector128"/> with 16 input samples at a time. Each method does the whole vectors that fit
/// and returns how many samples it did; the scalar reference does the rest.
/// </summary>
internal static class UpsamplingVector256
{
    internal static int H2V1(ReadOnlySpan<byte> edged, int n, Span<byte> output)
    {
        ref byte s = ref MemoryMarshal.GetReference(edged);
        ref byte o = ref MemoryMarshal.GetReference(output);
        int i = 0;
        for (; i + 16 <= n; i += 16)
        {
            Vector256<ushort> before = Widen(ref s, i), here = Widen(ref s, i + 1), after = Widen(ref s, i + 2);
            Vector256<ushort> nearer = here * 3;
            Vector256<ushort> even = (nearer + before + Vector256.Create((ushort)1)) >>> 2;
            Vector256<ushort> odd = (nearer + after + Vector256.Create((ushort)2)) >>> 2;
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
        for (; i + 16 <= n; i += 16)
        {
            Vector256<ushort> before = Widen(ref near, i) * 3 + Widen(ref far, i);
            Vector256<ushort> here = Widen(ref near, i + 1) * 3 + Widen(ref far, i + 1);
            Vector256<ushort> after = Widen(ref near, i + 2) * 3 + Widen(ref far, i + 2);
            Vector256<ushort> nearer = here * 3;
            Vector256<ushort> even = (nearer + before + Vector256.Create((ushort)8)) >>> 4;
            Vector256<ushort> odd = (nearer + after + Vector256.Create((ushort)7)) >>> 4;
            (even | (odd << 8)).AsByte().StoreUnsafe(ref o, (nuint)(2 * i));
        }
        return i;
    }

    internal static int H1V2(ReadOnlySpan<byte> nearRow, ReadOnlySpan<byte> farRow, int bias, int n, Span<byte> output)
    {
        ref byte near = ref MemoryMarshal.GetReference(nearRow);
        ref byte far = ref MemoryMarshal.GetReference(farRow);
        ref byte o = ref MemoryMarshal.GetReference(output);
        Vector256<ushort> b = Vector256.Create((ushort)bias);
        int i = 0;
        for (; i + 32 <= n; i += 32)
        {
            (Vector256<ushort> nearLow, Vector256<ushort> nearHigh) = Vector256.Widen(Vector256.LoadUnsafe(ref near, (nuint)i));
            (Vector256<ushort> farLow, Vector256<ushort> farHigh) = Vector256.Widen(Vector256.LoadUnsafe(ref far, (nuint)i));
            Vector256<ushort> low = (nearLow * 3 + farLow + b) >>> 2;
            Vector256<ushort> high = (nearHigh * 3 + farHigh + b) >>> 2;
            Vector256.Narrow(low, high).StoreUnsafe(ref o, (nuint)i);
        }
        return i;
    }

    /// <summary>Sixteen bytes from <paramref name="at"/>, zero-extended to 16 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ushort> Widen(ref byte row, int at) =>
        Vector256.WidenLower(Vector128.LoadUnsafe(ref row, (nuint)at).ToVector256Unsafe());
}
