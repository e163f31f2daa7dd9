using System.Runtime.CompilerServices;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.ColorSpaces;

/// <summary>
/// The space quality is measured in: premultiplied 8-bit RGBA (R*a/255, G*a/255, B*a/255, A) as floats.
/// For an opaque image this is plain RGB with a constant alpha of 255, which adds nothing to distances,
/// so one 4-component space serves both cases.
/// </summary>
internal static class MetricColor
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ToMetric(Rgba32 c, out float r, out float g, out float b, out float a)
    {
        if (c.A == 255)
        {
            r = c.R; g = c.G; b = c.B; a = 255f;
            return;
        }
        float s = c.A / 255f;
        r = c.R * s; g = c.G * s; b = c.B * s; a = c.A;
    }

    /// <summary>The squared distance of two colours in this space, summed over the four channels in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SquaredDistance(Rgba32 x, Rgba32 y)
    {
        ToMetric(x, out float xr, out float xg, out float xb, out float xa);
        ToMetric(y, out float yr, out float yg, out float yb, out float ya);
        double dr = xr - yr, dg = xg - yg, db = xb - yb, da = xa - ya;
        return dr * dr + dg * dg + db * db + da * da;
    }

    /// <summary>
    /// The 8-bit straight colour whose premultiplied value is nearest to (r, g, b, a) premultiplied:
    /// alpha rounds first, then each channel is the rounded r*255/alpha.
    /// </summary>
    public static Rgba32 FromMetric(double r, double g, double b, double a)
    {
        byte a8 = ToByte(a);
        if (a8 == 0) return default;
        if (a8 == 255) return new Rgba32(ToByte(r), ToByte(g), ToByte(b), 255);
        double s = 255.0 / a8;
        return new Rgba32(ToByte(r * s), ToByte(g * s), ToByte(b * s), a8);
    }

    /// <summary>Rounds half away from zero after clamping to 0..255 (NaN gives 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte ToByte(double v)
    {
        if (!(v > 0)) return 0;
        if (v >= 255) return 255;
        return (byte)(v + 0.5);
    }
}
