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
    /// The 8-bit straight colour whose premultiplied value is nearest to (r, g, b, a) premultiplied, over all four
    /// channels: palette entries are written straight, but quality is measured premultiplied. For a given alpha the
    /// nearest is each channel's rounded r*255/alpha (clamped); alpha is the rounded one or its other neighbour,
    /// whichever lands nearer (the rounded one on a tie). Rounding alpha first alone can lose when alpha sits near
    /// .5 or a channel clamps. Further alphas never win for a point whose colour does not exceed its alpha (every
    /// mean of real colours): they cost at least 2.25 in alpha, the nearer neighbour at most 1 + 3 x 0.25.
    /// A whole alpha (255 for every opaque centre) is kept as it is.
    /// </summary>
    public static Rgba32 FromMetric(double r, double g, double b, double a)
    {
        double clamped = Math.Clamp(double.IsNaN(a) ? 0 : a, 0, 255);
        byte rounded = ToByte(clamped);
        Rgba32 best = AtAlpha(r, g, b, rounded);
        if (rounded == clamped) return best; // a whole alpha (every opaque centre): the other costs at least 1
        // The other alpha candidate: the floor when alpha rounded up, else the ceiling.
        Rgba32 second = AtAlpha(r, g, b, (byte)(rounded > clamped ? rounded - 1 : rounded + 1));
        return Distance(second, r, g, b, a) < Distance(best, r, g, b, a) ? second : best;
    }

    /// <summary>The nearest straight colour of alpha <paramref name="a8"/> to a premultiplied point: each channel rounded.</summary>
    private static Rgba32 AtAlpha(double r, double g, double b, byte a8)
    {
        if (a8 == 0) return default;
        if (a8 == 255) return new Rgba32(ToByte(r), ToByte(g), ToByte(b), 255);
        double s = 255.0 / a8;
        return new Rgba32(ToByte(r * s), ToByte(g * s), ToByte(b * s), a8);
    }

    /// <summary>Squared distance in double from an 8-bit entry's premultiplied value to a premultiplied point.</summary>
    private static double Distance(Rgba32 c, double r, double g, double b, double a)
    {
        double s = c.A / 255.0;
        double dr = c.R * s - r, dg = c.G * s - g, db = c.B * s - b, da = c.A - a;
        return dr * dr + dg * dg + db * db + da * da;
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
