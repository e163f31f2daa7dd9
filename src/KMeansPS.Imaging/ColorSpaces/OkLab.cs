namespace KMeansPS.Imaging.ColorSpaces;

/// <summary>
/// Björn Ottosson's OkLab (2020): sRGB (8-bit, gamma-encoded) to perceptual L, a, b and back.
/// L is 0..1; a and b are roughly -0.4..0.4.
/// </summary>
internal static class OkLab
{
    private static readonly float[] SrgbToLinearTable = BuildTable();

    private static float[] BuildTable()
    {
        var t = new float[256];
        for (int i = 0; i < 256; i++)
        {
            double c = i / 255.0;
            t[i] = (float)(c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4));
        }
        return t;
    }

    public static (float L, float A, float B) FromSrgb(byte r, byte g, byte b)
    {
        double lr = SrgbToLinearTable[r], lg = SrgbToLinearTable[g], lb = SrgbToLinearTable[b];
        double l = 0.4122214708 * lr + 0.5363325363 * lg + 0.0514459929 * lb;
        double m = 0.2119034982 * lr + 0.6806995451 * lg + 0.1073969566 * lb;
        double s = 0.0883024619 * lr + 0.2817188376 * lg + 0.6299787005 * lb;
        l = Math.Cbrt(l); m = Math.Cbrt(m); s = Math.Cbrt(s);
        return ((float)(0.2104542553 * l + 0.7936177850 * m - 0.0040720468 * s),
                (float)(1.9779984951 * l - 2.4285922050 * m + 0.4505937099 * s),
                (float)(0.0259040371 * l + 0.7827717662 * m - 0.8086757660 * s));
    }

    /// <summary>OkLab to gamma-encoded sRGB on the 0..255 scale, unclamped and unrounded.</summary>
    public static (double R, double G, double B) ToSrgb(double L, double a, double b)
    {
        double l = L + 0.3963377774 * a + 0.2158037573 * b;
        double m = L - 0.1055613458 * a - 0.0638541728 * b;
        double s = L - 0.0894841775 * a - 1.2914855480 * b;
        l = l * l * l; m = m * m * m; s = s * s * s;
        double lr = +4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s;
        double lg = -1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s;
        double lb = -0.0041960863 * l - 0.7034186147 * m + 1.7076147010 * s;
        return (255 * Encode(lr), 255 * Encode(lg), 255 * Encode(lb));
    }

    private static double Encode(double c)
    {
        if (c <= 0) return 0;
        if (c >= 1) return 1;
        return c <= 0.0031308 ? 12.92 * c : 1.055 * Math.Pow(c, 1 / 2.4) - 0.055;
    }
}
