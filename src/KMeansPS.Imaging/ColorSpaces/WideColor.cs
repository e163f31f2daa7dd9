using System.Runtime.CompilerServices;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.ColorSpaces;

/// <summary>
/// Colours at 16 bits a channel (a 16-bit PNG's or TIFF's) in the space <see cref="MetricColor"/> measures: each
/// channel v / 257 on the 0-255 scale, colour premultiplied by alpha / 255. Palette entries stay 8-bit; the error of
/// an entry for such a pixel is measured against the pixel's own value, not its rounding.
/// </summary>
internal static class WideColor
{
    /// <summary>The channel value of a full 8-bit step at 16 bits: 65535 / 255.</summary>
    private const double Step = 257.0;

    /// <summary>Each channel to the nearest 8-bit value, as ImageSharp converts 16-bit pixels to 8-bit ones.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Rgba32 Rounded(Rgba64 c) => new(Round(c.R), Round(c.G), Round(c.B), Round(c.A));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte Round(ushort v) => (byte)(((v * 255) + 32895) >> 16);

    /// <summary>
    /// Whether 8 bits hold <paramref name="c"/> exactly: every channel a multiple of 257, or the pixel fully
    /// transparent (its colour is not seen and not measured).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool FitsEightBits(Rgba64 c) =>
        c.A == 0 || (c.R % 257 == 0 && c.G % 257 == 0 && c.B % 257 == 0 && c.A % 257 == 0);

    /// <summary>Whether the pixel's alpha rounds to 0 at 8 bits (at most 128 of 65535): the 8-bit image shows it clear.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool RoundsToClear(Rgba64 c) => Round(c.A) == 0;

    /// <summary>True when some pixel has alpha below 65535.</summary>
    public static bool HasAlpha(ReadOnlySpan<Rgba64> pixels)
    {
        foreach (Rgba64 c in pixels)
            if (c.A != ushort.MaxValue) return true;
        return false;
    }

    /// <summary>The metric point of <paramref name="c"/> in float (for the nearest-entry search).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ToMetric(Rgba64 c, out float r, out float g, out float b, out float a)
    {
        ToMetric(c, out double dr, out double dg, out double db, out double da);
        r = (float)dr; g = (float)dg; b = (float)db; a = (float)da;
    }

    /// <summary>The metric point of <paramref name="c"/> in double (for errors and means).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ToMetric(Rgba64 c, out double r, out double g, out double b, out double a)
    {
        a = c.A / Step;
        double s = c.A == ushort.MaxValue ? 1.0 : c.A / 65535.0;
        r = c.R / Step * s; g = c.G / Step * s; b = c.B / Step * s;
    }

    /// <summary>The squared distance, summed over the four channels in double, from a 16-bit pixel to an 8-bit entry.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SquaredDistance(Rgba64 x, Rgba32 y)
    {
        ToMetric(x, out double xr, out double xg, out double xb, out double xa);
        double s = y.A / 255.0;
        double dr = xr - y.R * s, dg = xg - y.G * s, db = xb - y.B * s, da = xa - y.A;
        return dr * dr + dg * dg + db * db + da * da;
    }

    /// <summary>Luma (<see cref="Luma"/>'s weights) of each 16-bit pixel's metric colour.</summary>
    public static void Luma(ReadOnlySpan<Rgba64> pixels, Span<float> luma)
    {
        for (int i = 0; i < pixels.Length; i++)
        {
            ToMetric(pixels[i], out double r, out double g, out double b, out _);
            luma[i] = (float)(0.299 * r + 0.587 * g + 0.114 * b);
        }
    }
}
