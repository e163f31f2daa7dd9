using System.Buffers.Binary;

namespace KMeansPS.Imaging.Metadata;

/// <summary>
/// Whether an ICC profile describes sRGB (IEC 61966-2.1), judged by what it does, never by its name: an RGB matrix/TRC
/// profile (display or colour space class, XYZ connection space, no lookup-table transforms, which a colour manager
/// would use instead) whose white point is D65 (its 'wtpt', through its 'chad' adaptation when it has one), whose
/// colourants ('rXYZ'/'gXYZ'/'bXYZ') are sRGB's adapted to D50 as ICC requires, whose black point (if any) is black,
/// and whose three tone curves ('curv' gamma or table, 'para') are sRGB's to half an 8-bit level everywhere. Such a
/// profile says no more than PNG's 13-byte sRGB chunk, so an output writes that instead of the 2-3 KB profile. Any
/// structural doubt (a size, offset or tag that does not fit) answers "not sRGB": the profile is then carried as it is.
/// </summary>
internal static class SrgbIccProfile
{
    /// <summary>XYZ values of white point and colourants may differ from sRGB's by this much (s15Fixed16 steps are 1.5e-5).</summary>
    private const double XyzTolerance = 0.002;

    /// <summary>A tone curve may differ from sRGB's by this much, measured on the encoded (0-1) scale: half an 8-bit level.</summary>
    private const double CurveTolerance = 0.5 / 255;

    /// <summary>Points at which the tone curves are compared (every 8-bit level and three points between each).</summary>
    private const int CurveSamples = 1020;

    private static readonly double[] D65 = [0.9505, 1.0, 1.0890];

    // sRGB's primaries (D65) adapted to D50 with the Bradford transform, as ICC matrix/TRC profiles store them.
    private static readonly double[][] Colourants =
    [
        [0.436075, 0.222504, 0.013932],
        [0.385065, 0.716879, 0.097105],
        [0.143080, 0.060617, 0.714173],
    ];

    private static readonly string[] TransformTags = ["A2B0", "A2B1", "A2B2", "B2A0", "B2A1", "B2A2", "D2B0", "D2B1", "D2B2", "D2B3", "B2D0", "B2D1", "B2D2", "B2D3"];

    /// <summary>
    /// True when <paramref name="profile"/> is sRGB as the class says; <paramref name="renderingIntent"/> is then the
    /// header's rendering intent (0-3, the field's low 16 bits, which ICC.1 gives the intent; PNG numbers intents the same).
    /// </summary>
    public static bool Matches(ReadOnlySpan<byte> profile, out byte renderingIntent)
    {
        renderingIntent = 0;
        if (profile.Length < 132 || BinaryPrimitives.ReadUInt32BigEndian(profile) != (uint)profile.Length) return false;
        if (!profile.Slice(36, 4).SequenceEqual("acsp"u8) || profile[8] is not (2 or 4)) return false;
        if (!(profile.Slice(12, 4).SequenceEqual("mntr"u8) || profile.Slice(12, 4).SequenceEqual("spac"u8))) return false;
        if (!profile.Slice(16, 8).SequenceEqual("RGB XYZ "u8)) return false;
        uint intent = BinaryPrimitives.ReadUInt32BigEndian(profile[64..]) & 0xFFFF;
        if (intent > 3) return false;

        Dictionary<string, TagPlace>? tags = Tags(profile);
        if (tags is null || TransformTags.Any(tags.ContainsKey)) return false;
        double[]? white = Xyz(profile, tags, "wtpt");
        if (white is null) return false;
        if (tags.ContainsKey("chad"))
        {
            double[]? adaptation = Matrix(profile, tags, "chad");
            white = adaptation is null ? null : Solve(adaptation, white);
            if (white is null) return false;
        }
        if (!Near(white, D65)) return false;
        if (tags.ContainsKey("bkpt") && (Xyz(profile, tags, "bkpt") is not { } black || !Near(black, [0, 0, 0]))) return false;
        string[] colourants = ["rXYZ", "gXYZ", "bXYZ"], curves = ["rTRC", "gTRC", "bTRC"];
        for (int c = 0; c < 3; c++)
        {
            if (Xyz(profile, tags, colourants[c]) is not { } xyz || !Near(xyz, Colourants[c])) return false;
            if (!tags.TryGetValue(curves[c], out var curve) || !IsSrgbCurve(profile.Slice(curve.Offset, curve.Size))) return false;
        }
        renderingIntent = (byte)intent;
        return true;
    }

    /// <summary>The tag table (first entry of each signature), or null when it or any entry does not fit in the profile.</summary>
    private static Dictionary<string, TagPlace>? Tags(ReadOnlySpan<byte> profile)
    {
        uint count = BinaryPrimitives.ReadUInt32BigEndian(profile[128..]);
        if (count > (uint)(profile.Length - 132) / 12) return null;
        var tags = new Dictionary<string, TagPlace>(StringComparer.Ordinal);
        for (int i = 0; i < (int)count; i++)
        {
            ReadOnlySpan<byte> entry = profile.Slice(132 + 12 * i, 12);
            uint offset = BinaryPrimitives.ReadUInt32BigEndian(entry[4..]), size = BinaryPrimitives.ReadUInt32BigEndian(entry[8..]);
            if (offset > (uint)profile.Length || size > (uint)profile.Length - offset) return null;
            tags.TryAdd(System.Text.Encoding.Latin1.GetString(entry[..4]), new TagPlace((int)offset, (int)size));
        }
        return tags;
    }

    /// <summary>An XYZType tag's first XYZ number, or null.</summary>
    private static double[]? Xyz(ReadOnlySpan<byte> profile, Dictionary<string, TagPlace> tags, string signature)
    {
        if (!tags.TryGetValue(signature, out var tag) || tag.Size < 20) return null;
        ReadOnlySpan<byte> data = profile.Slice(tag.Offset, tag.Size);
        return data.StartsWith("XYZ "u8) ? [Fixed(data, 8), Fixed(data, 12), Fixed(data, 16)] : null;
    }

    /// <summary>An s15Fixed16ArrayType tag of nine numbers (a 3 x 3 matrix by rows), or null.</summary>
    private static double[]? Matrix(ReadOnlySpan<byte> profile, Dictionary<string, TagPlace> tags, string signature)
    {
        if (!tags.TryGetValue(signature, out var tag) || tag.Size < 44) return null;
        ReadOnlySpan<byte> data = profile.Slice(tag.Offset, tag.Size);
        if (!data.StartsWith("sf32"u8)) return null;
        var m = new double[9];
        for (int i = 0; i < 9; i++) m[i] = Fixed(data, 8 + 4 * i);
        return m;
    }

    /// <summary>x with m x = y (Cramer's rule), or null when m is singular: 'chad' maps the source white to D50.</summary>
    private static double[]? Solve(double[] m, double[] y)
    {
        static double Det(double a, double b, double c, double d, double e, double f, double g, double h, double i) =>
            a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
        double det = Det(m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8]);
        if (Math.Abs(det) < 1e-6) return null;
        return
        [
            Det(y[0], m[1], m[2], y[1], m[4], m[5], y[2], m[7], m[8]) / det,
            Det(m[0], y[0], m[2], m[3], y[1], m[5], m[6], y[2], m[8]) / det,
            Det(m[0], m[1], y[0], m[3], m[4], y[1], m[6], m[7], y[2]) / det,
        ];
    }

    private static double Fixed(ReadOnlySpan<byte> data, int at) => BinaryPrimitives.ReadInt32BigEndian(data[at..]) / 65536.0;

    private static bool Near(double[] a, double[] b)
    {
        for (int i = 0; i < a.Length; i++)
        {
            if (!(Math.Abs(a[i] - b[i]) <= XyzTolerance)) return false;
        }
        return true;
    }

    /// <summary>
    /// Where a tag's data is in the profile. An object, not a value tuple: a dictionary of tuples (and the LINQ over
    /// doubles Near used) was compiled anew, unoptimised, the first time a session met an ICC profile.
    /// </summary>
    private sealed record TagPlace(int Offset, int Size);

    /// <summary>Whether a 'curv' or 'para' tag is sRGB's tone curve: encoding its output with sRGB's curve gives back its input.</summary>
    internal static bool IsSrgbCurve(ReadOnlySpan<byte> tag)
    {
        Func<double, double>? curve = Curve(tag);
        if (curve is null) return false;
        for (int i = 0; i <= CurveSamples; i++)
        {
            double x = (double)i / CurveSamples, y = curve(x);
            if (double.IsNaN(y) || Math.Abs(Encode(Math.Clamp(y, 0, 1)) - x) > CurveTolerance) return false;
        }
        return true;
    }

    /// <summary>The tone curve a tag describes (device value to linear, both 0-1), or null when the tag is not one.</summary>
    private static Func<double, double>? Curve(ReadOnlySpan<byte> tag)
    {
        if (tag.Length < 12) return null;
        if (tag.StartsWith("curv"u8))
        {
            uint count = BinaryPrimitives.ReadUInt32BigEndian(tag[8..]);
            if (count > (uint)(tag.Length - 12) / 2) return null;
            if (count == 0) return x => x;
            if (count == 1)
            {
                double gamma = BinaryPrimitives.ReadUInt16BigEndian(tag[12..]) / 256.0;
                return x => Math.Pow(x, gamma);
            }
            var table = new double[count];
            for (int i = 0; i < table.Length; i++) table[i] = BinaryPrimitives.ReadUInt16BigEndian(tag[(12 + 2 * i)..]) / 65535.0;
            return x =>
            {
                double at = x * (table.Length - 1);
                int lower = Math.Min((int)at, table.Length - 2);
                return table[lower] + (at - lower) * (table[lower + 1] - table[lower]);
            };
        }
        if (tag.StartsWith("para"u8))
        {
            int type = BinaryPrimitives.ReadUInt16BigEndian(tag[8..]);
            int parameters = type switch { 0 => 1, 1 => 3, 2 => 4, 3 => 5, 4 => 7, _ => -1 };
            if (parameters < 0 || tag.Length < 12 + 4 * parameters) return null;
            var p = new double[7];
            for (int i = 0; i < parameters; i++) p[i] = Fixed(tag, 12 + 4 * i);
            (double g, double a, double b, double c, double d, double e, double f) = (p[0], p[1], p[2], p[3], p[4], p[5], p[6]);
            double Power(double x) => Math.Pow(Math.Max(a * x + b, 0), g);
            return type switch
            {
                0 => x => Math.Pow(x, g),
                1 => x => a * x + b >= 0 ? Power(x) : 0,
                2 => x => a * x + b >= 0 ? Power(x) + c : c,
                3 => x => x >= d ? Power(x) : c * x,
                _ => x => x >= d ? Power(x) + e : c * x + f,
            };
        }
        return null;
    }

    /// <summary>sRGB's encoding of a linear value (IEC 61966-2.1).</summary>
    internal static double Encode(double linear) => linear <= 0.0031308 ? 12.92 * linear : 1.055 * Math.Pow(linear, 1 / 2.4) - 0.055;
}
