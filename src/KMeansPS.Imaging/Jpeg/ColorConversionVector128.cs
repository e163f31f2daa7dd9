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
    internal static int Rows(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third, Span<uint> pixels, bool fromYCbCr) =>
        fromYCbCr ? Rows<FromYCbCr>(first, second, third, pixels) : Rows<FromRgb>(first, second, third, pixels);

    /// <summary>The one loop, compiled once per conversion (a struct), so the choice is made outside it.</summary>
    // Fully optimized from the first call: code passing vectors cannot be precompiled (ReadyToRun) on Linux, and at
    // tier 0 every vector helper is a call, which a fresh session's first image paid for every block or row.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Rows<TConversion>(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third, Span<uint> pixels)
        where TConversion : struct, IConversion
    {
        ref byte a = ref MemoryMarshal.GetReference(first), b = ref MemoryMarshal.GetReference(second), c = ref MemoryMarshal.GetReference(third);
        ref uint o = ref MemoryMarshal.GetReference(pixels);
        int x = 0;
        for (; x + Vector128<int>.Count <= pixels.Length; x += Vector128<int>.Count)
            TConversion.Pixels(Int32Vector128(ref a, x), Int32Vector128(ref b, x), Int32Vector128(ref c, x)).StoreUnsafe(ref o, (nuint)x);
        return x;
    }

    private interface IConversion
    {
        static abstract Vector128<uint> Pixels(Vector128<int> first, Vector128<int> second, Vector128<int> third);
    }

    private readonly struct FromYCbCr : IConversion
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<uint> Pixels(Vector128<int> first, Vector128<int> second, Vector128<int> third) => Convert(first, second, third);
    }

    private readonly struct FromRgb : IConversion
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<uint> Pixels(Vector128<int> first, Vector128<int> second, Vector128<int> third) => Pack(first, second, third);
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
