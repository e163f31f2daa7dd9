using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using static KMeansPS.Imaging.Jpeg.ColorConversion;

namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// <see cref="ColorConversion"/> on 16 pixels at a time, in four Vector128 of 32-bit lanes: lane by lane the same
/// integer operations as the reference, each pixel packed in its lane. Returns how many pixels it did.
/// </summary>
internal static class ColorConversionVector128
{
    internal static int YCbCr(ReadOnlySpan<byte> y, ReadOnlySpan<byte> cb, ReadOnlySpan<byte> cr, Span<uint> pixels)
    {
        ref byte yRef = ref MemoryMarshal.GetReference(y), cbRef = ref MemoryMarshal.GetReference(cb), crRef = ref MemoryMarshal.GetReference(cr);
        ref uint o = ref MemoryMarshal.GetReference(pixels);
        int x = 0;
        for (; x + 16 <= pixels.Length; x += 16)
        {
            Widen(Vector128.LoadUnsafe(ref yRef, (nuint)x), out var y0, out var y1, out var y2, out var y3);
            Widen(Vector128.LoadUnsafe(ref cbRef, (nuint)x), out var b0, out var b1, out var b2, out var b3);
            Widen(Vector128.LoadUnsafe(ref crRef, (nuint)x), out var r0, out var r1, out var r2, out var r3);
            Convert(y0, b0, r0).StoreUnsafe(ref o, (nuint)x);
            Convert(y1, b1, r1).StoreUnsafe(ref o, (nuint)x + 4);
            Convert(y2, b2, r2).StoreUnsafe(ref o, (nuint)x + 8);
            Convert(y3, b3, r3).StoreUnsafe(ref o, (nuint)x + 12);
        }
        return x;
    }

    internal static int Rgb(ReadOnlySpan<byte> r, ReadOnlySpan<byte> g, ReadOnlySpan<byte> b, Span<uint> pixels)
    {
        ref byte rRef = ref MemoryMarshal.GetReference(r), gRef = ref MemoryMarshal.GetReference(g), bRef = ref MemoryMarshal.GetReference(b);
        ref uint o = ref MemoryMarshal.GetReference(pixels);
        int x = 0;
        for (; x + 16 <= pixels.Length; x += 16)
        {
            Widen(Vector128.LoadUnsafe(ref rRef, (nuint)x), out var r0, out var r1, out var r2, out var r3);
            Widen(Vector128.LoadUnsafe(ref gRef, (nuint)x), out var g0, out var g1, out var g2, out var g3);
            Widen(Vector128.LoadUnsafe(ref bRef, (nuint)x), out var b0, out var b1, out var b2, out var b3);
            Pack(r0, g0, b0).StoreUnsafe(ref o, (nuint)x);
            Pack(r1, g1, b1).StoreUnsafe(ref o, (nuint)x + 4);
            Pack(r2, g2, b2).StoreUnsafe(ref o, (nuint)x + 8);
            Pack(r3, g3, b3).StoreUnsafe(ref o, (nuint)x + 12);
        }
        return x;
    }

    internal static int Grey(ReadOnlySpan<byte> y, Span<uint> pixels)
    {
        ref byte yRef = ref MemoryMarshal.GetReference(y);
        ref uint o = ref MemoryMarshal.GetReference(pixels);
        int x = 0;
        for (; x + 16 <= pixels.Length; x += 16)
        {
            Widen(Vector128.LoadUnsafe(ref yRef, (nuint)x), out var y0, out var y1, out var y2, out var y3);
            Pack(y0, y0, y0).StoreUnsafe(ref o, (nuint)x);
            Pack(y1, y1, y1).StoreUnsafe(ref o, (nuint)x + 4);
            Pack(y2, y2, y2).StoreUnsafe(ref o, (nuint)x + 8);
            Pack(y3, y3, y3).StoreUnsafe(ref o, (nuint)x + 12);
        }
        return x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> Convert(Vector128<int> luma, Vector128<int> cb, Vector128<int> cr)
    {
        Vector128<int> blue = cb - Vector128.Create(128), red = cr - Vector128.Create(128), half = Vector128.Create(RoundingHalf);
        Vector128<int> r = luma + ((red * CrToR + half) >> ScaleBits);
        Vector128<int> g = luma + ((blue * -CbToG + half - red * CrToG) >> ScaleBits);
        Vector128<int> b = luma + ((blue * CbToB + half) >> ScaleBits);
        Vector128<int> max = Vector128.Create(255);
        r = Vector128.Min(Vector128.Max(r, Vector128<int>.Zero), max);
        g = Vector128.Min(Vector128.Max(g, Vector128<int>.Zero), max);
        b = Vector128.Min(Vector128.Max(b, Vector128<int>.Zero), max);
        return Pack(r, g, b);
    }

    /// <summary>Channels already in 0..255, one pixel per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> Pack(Vector128<int> r, Vector128<int> g, Vector128<int> b) =>
        (r | (g << 8) | (b << 16)).AsUInt32() | Vector128.Create(Opaque);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Widen(Vector128<byte> bytes, out Vector128<int> v0, out Vector128<int> v1, out Vector128<int> v2, out Vector128<int> v3)
    {
        (Vector128<ushort> low, Vector128<ushort> high) = Vector128.Widen(bytes);
        (Vector128<uint> a, Vector128<uint> b) = Vector128.Widen(low);
        (Vector128<uint> c, Vector128<uint> d) = Vector128.Widen(high);
        v0 = a.AsInt32(); v1 = b.AsInt32(); v2 = c.AsInt32(); v3 = d.AsInt32();
    }
}
