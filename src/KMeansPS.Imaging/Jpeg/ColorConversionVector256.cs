using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static KMeansPS.Imaging.Jpeg.ColorConversion;

namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// <see cref="ColorConversion"/> on 8 pixels at a time in Vector256 of 32-bit lanes: lane by lane the same integer
/// operations as the reference, each pixel packed in its lane. Returns how many pixels it did.
/// </summary>
internal static class ColorConversionVector256
{
    internal static int YCbCr(ReadOnlySpan<byte> y, ReadOnlySpan<byte> cb, ReadOnlySpan<byte> cr, Span<uint> pixels)
    {
        ref byte yRef = ref MemoryMarshal.GetReference(y), cbRef = ref MemoryMarshal.GetReference(cb), crRef = ref MemoryMarshal.GetReference(cr);
        ref uint o = ref MemoryMarshal.GetReference(pixels);
        int x = 0;
        for (; x + 8 <= pixels.Length; x += 8)
            Convert(Widen(ref yRef, x), Widen(ref cbRef, x), Widen(ref crRef, x)).StoreUnsafe(ref o, (nuint)x);
        return x;
    }

    internal static int Rgb(ReadOnlySpan<byte> r, ReadOnlySpan<byte> g, ReadOnlySpan<byte> b, Span<uint> pixels)
    {
        ref byte rRef = ref MemoryMarshal.GetReference(r), gRef = ref MemoryMarshal.GetReference(g), bRef = ref MemoryMarshal.GetReference(b);
        ref uint o = ref MemoryMarshal.GetReference(pixels);
        int x = 0;
        for (; x + 8 <= pixels.Length; x += 8)
            Pack(Widen(ref rRef, x), Widen(ref gRef, x), Widen(ref bRef, x)).StoreUnsafe(ref o, (nuint)x);
        return x;
    }

    internal static int Grey(ReadOnlySpan<byte> y, Span<uint> pixels)
    {
        ref byte yRef = ref MemoryMarshal.GetReference(y);
        ref uint o = ref MemoryMarshal.GetReference(pixels);
        int x = 0;
        for (; x + 8 <= pixels.Length; x += 8)
        {
            Vector256<int> luma = Widen(ref yRef, x);
            Pack(luma, luma, luma).StoreUnsafe(ref o, (nuint)x);
        }
        return x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Convert(Vector256<int> luma, Vector256<int> cb, Vector256<int> cr)
    {
        Vector256<int> blue = cb - Vector256.Create(128), red = cr - Vector256.Create(128), half = Vector256.Create(RoundingHalf);
        Vector256<int> r = luma + ((red * CrToR + half) >> ScaleBits);
        Vector256<int> g = luma + ((blue * -CbToG + half - red * CrToG) >> ScaleBits);
        Vector256<int> b = luma + ((blue * CbToB + half) >> ScaleBits);
        Vector256<int> max = Vector256.Create(255);
        r = Vector256.Min(Vector256.Max(r, Vector256<int>.Zero), max);
        g = Vector256.Min(Vector256.Max(g, Vector256<int>.Zero), max);
        b = Vector256.Min(Vector256.Max(b, Vector256<int>.Zero), max);
        return Pack(r, g, b);
    }

    /// <summary>Channels already in 0..255, one pixel per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Pack(Vector256<int> r, Vector256<int> g, Vector256<int> b) =>
        (r | (g << 8) | (b << 16)).AsUInt32() | Vector256.Create(Opaque);

    /// <summary>Eight bytes from <paramref name="at"/>, zero-extended to 32 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Widen(ref byte row, int at)
    {
        Vector128<byte> bytes = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref row, at))).AsByte();
        if (Avx2.IsSupported) return Avx2.ConvertToVector256Int32(bytes);
        return Vector256.WidenLower(Vector256.WidenLower(bytes.ToVector256Unsafe()).GetLower().ToVector256Unsafe()).AsInt32();
    }
}
