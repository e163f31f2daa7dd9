using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using KMeansPS.Generators;
using static KMeansPS.Imaging.Jpeg.ColorConversion;
using static KMeansPS.Imaging.Jpeg.WideningLoads;

namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// <see cref="ColorConversion"/> on a vector of 32-bit lanes at a time (4 pixels here, 8 in the generated
/// <c>ColorConversionVector256</c>): lane by lane the same integer operations as the reference, each pixel packed in
/// its lane.
/// </summary>
[ExpandToWidths(256)]
internal static class ColorConversionVector128
{
    /// <summary>
    /// Three component rows to pixels, converted from YCbCr or taken as R, G and B (grey: the same row three times);
    /// returns how many pixels it did.
    /// </summary>
    internal static int Rows(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third, Span<uint> pixels, bool fromYCbCr)
    {
        ref byte a = ref MemoryMarshal.GetReference(first), b = ref MemoryMarshal.GetReference(second), c = ref MemoryMarshal.GetReference(third);
        ref uint o = ref MemoryMarshal.GetReference(pixels);
        int x = 0;
        for (; x + Vector128<int>.Count <= pixels.Length; x += Vector128<int>.Count)
        {
            Vector128<int> v0 = Int32Vector128(ref a, x), v1 = Int32Vector128(ref b, x), v2 = Int32Vector128(ref c, x);
            (fromYCbCr ? Convert(v0, v1, v2) : Pack(v0, v1, v2)).StoreUnsafe(ref o, (nuint)x);
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
}
