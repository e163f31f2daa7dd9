namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// Rows of component samples to RGBA pixels (packed R | G &lt;&lt; 8 | B &lt;&lt; 16 | A &lt;&lt; 24, as
/// <c>Rgba32</c> stores them), alpha 255. YCbCr uses libjpeg's integer tables, written as the arithmetic that fills
/// them (16-bit fractions rounded to nearest, the green term's half added before one shared shift), so the vector
/// kernels compute each table entry instead of looking it up. Each method here is the reference.
/// </summary>
internal static class ColorConversion
{
    internal const int ScaleBits = 16;
    internal const int RoundingHalf = 1 << (ScaleBits - 1);

    // (int)(x * 2^16 + 0.5), as libjpeg's FIX() rounds them.
    internal const int CrToR = 91881;    // 1.40200
    internal const int CbToB = 116130;   // 1.77200
    internal const int CrToG = 46802;    // 0.71414
    internal const int CbToG = 22554;    // 0.34414

    internal const uint Opaque = 0xFF000000u;

    internal static void YCbCr(JpegKernel kernel, ReadOnlySpan<byte> y, ReadOnlySpan<byte> cb, ReadOnlySpan<byte> cr, Span<uint> pixels)
    {
        Check(pixels.Length, y, cb, cr);
        YCbCrScalar(y, cb, cr, pixels, Vectors(kernel, y, cb, cr, pixels, fromYCbCr: true));
    }

    internal static void YCbCrScalar(ReadOnlySpan<byte> y, ReadOnlySpan<byte> cb, ReadOnlySpan<byte> cr, Span<uint> pixels, int from)
    {
        for (int x = from; x < pixels.Length; x++)
        {
            int luma = y[x], blue = cb[x] - 128, red = cr[x] - 128;
            int r = luma + ((CrToR * red + RoundingHalf) >> ScaleBits);
            int g = luma + ((-CbToG * blue + RoundingHalf - CrToG * red) >> ScaleBits);
            int b = luma + ((CbToB * blue + RoundingHalf) >> ScaleBits);
            pixels[x] = Pack(r, g, b);
        }
    }

    /// <summary>Three components that already are R, G and B (Adobe transform 0).</summary>
    internal static void Rgb(JpegKernel kernel, ReadOnlySpan<byte> r, ReadOnlySpan<byte> g, ReadOnlySpan<byte> b, Span<uint> pixels)
    {
        Check(pixels.Length, r, g, b);
        int done = Vectors(kernel, r, g, b, pixels, fromYCbCr: false);
        for (int x = done; x < pixels.Length; x++) pixels[x] = r[x] | (uint)g[x] << 8 | (uint)b[x] << 16 | Opaque;
    }

    internal static void Grey(JpegKernel kernel, ReadOnlySpan<byte> y, Span<uint> pixels)
    {
        Check(pixels.Length, y, y, y);
        int done = Vectors(kernel, y, y, y, pixels, fromYCbCr: false);
        for (int x = done; x < pixels.Length; x++) pixels[x] = y[x] * 0x010101u | Opaque;
    }

    /// <summary>The pixels the vector kernel does (whole vectors from the start); the reference does the rest.</summary>
    private static int Vectors(JpegKernel kernel, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c, Span<uint> pixels, bool fromYCbCr) =>
        kernel switch
        {
            JpegKernel.Vector256 => ColorConversionVector256.Rows(a, b, c, pixels, fromYCbCr),
            JpegKernel.Vector128 => ColorConversionVector128.Rows(a, b, c, pixels, fromYCbCr),
            _ => 0,
        };

    /// <summary>Clamps each channel to 0..255 (libjpeg's range_limit) and packs them opaque.</summary>
    internal static uint Pack(int r, int g, int b) =>
        (uint)Math.Clamp(r, 0, 255) | (uint)Math.Clamp(g, 0, 255) << 8 | (uint)Math.Clamp(b, 0, 255) << 16 | Opaque;

    private static void Check(int width, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c)
    {
        if (a.Length < width || b.Length < width || c.Length < width) throw new ArgumentException("A component row is shorter than the pixel row.");
    }
}
