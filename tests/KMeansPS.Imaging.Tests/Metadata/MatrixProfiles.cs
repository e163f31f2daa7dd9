using System.Buffers.Binary;
using System.Text;

namespace KMeansPS.Imaging.Tests.Metadata;

/// <summary>
/// RGB matrix/TRC ICC profiles built from numbers, for the sRGB recognition tests: a header, a description, a white
/// point, optional 'chad' and 'bkpt', three colourants and three tone curves, and optional extra tags.
/// </summary>
internal static class MatrixProfiles
{
    /// <summary>D65 as sRGB profiles store it.</summary>
    public static readonly double[] D65 = [0.9505, 1.0, 1.0891];

    /// <summary>D50, the ICC connection space's white.</summary>
    public static readonly double[] D50 = [0.9642, 1.0, 0.8249];

    /// <summary>sRGB's primaries adapted to D50 (Bradford), rows r, g, b, as the HP/Microsoft sRGB profile stores them.</summary>
    public static readonly double[][] SrgbColourants = [[0.4361, 0.2225, 0.0139], [0.3851, 0.7169, 0.0971], [0.1431, 0.0606, 0.7141]];

    /// <summary>Display P3's primaries adapted to D50 (Bradford).</summary>
    public static readonly double[][] DisplayP3Colourants = [[0.5151, 0.2412, -0.0011], [0.2920, 0.6922, 0.0419], [0.1571, 0.0666, 0.7841]];

    /// <summary>The Bradford adaptation from D65 to D50, rows, as v4 profiles store it in 'chad'.</summary>
    public static readonly double[] BradfordD65ToD50 = [1.0478112, 0.0228866, -0.0501270, 0.0295424, 0.9904844, -0.0170491, -0.0092345, 0.0150436, 0.7521316];

    /// <summary>sRGB's decoding curve (encoded 0-1 to linear 0-1).</summary>
    public static double SrgbDecode(double x) => x <= 0.04045 ? x / 12.92 : Math.Pow((x + 0.055) / 1.055, 2.4);

    /// <summary>A 'curv' tag holding a table of <paramref name="entries"/> values of <paramref name="curve"/>.</summary>
    public static byte[] TableCurve(Func<double, double> curve, int entries = 1024)
    {
        var tag = new byte[12 + 2 * entries];
        "curv"u8.CopyTo(tag);
        BinaryPrimitives.WriteUInt32BigEndian(tag.AsSpan(8), (uint)entries);
        for (int i = 0; i < entries; i++)
            BinaryPrimitives.WriteUInt16BigEndian(tag.AsSpan(12 + 2 * i), (ushort)Math.Round(65535 * Math.Clamp(curve(i / (entries - 1.0)), 0, 1)));
        return tag;
    }

    /// <summary>A 'curv' tag holding one gamma (u8Fixed8).</summary>
    public static byte[] GammaCurve(double gamma)
    {
        var tag = new byte[14];
        "curv"u8.CopyTo(tag);
        BinaryPrimitives.WriteUInt32BigEndian(tag.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt16BigEndian(tag.AsSpan(12), (ushort)Math.Round(gamma * 256));
        return tag;
    }

    /// <summary>A 'para' tag of <paramref name="type"/> with its parameters.</summary>
    public static byte[] ParametricCurve(ushort type, params double[] parameters)
    {
        var tag = new byte[12 + 4 * parameters.Length];
        "para"u8.CopyTo(tag);
        BinaryPrimitives.WriteUInt16BigEndian(tag.AsSpan(8), type);
        for (int i = 0; i < parameters.Length; i++) WriteFixed(tag, 12 + 4 * i, parameters[i]);
        return tag;
    }

    /// <summary>sRGB's curve as a v4 'para' type 3 (gamma 2.4, a = 1/1.055, b = 0.055/1.055, c = 1/12.92, d = 0.04045).</summary>
    public static byte[] SrgbParametric() => ParametricCurve(3, 2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045);

    /// <summary>
    /// A matrix/TRC profile. <paramref name="curves"/>: one tag for all channels, or three; <paramref name="intent"/>
    /// is the whole header field; <paramref name="extraTags"/> are added as given.
    /// </summary>
    public static byte[] Build(double[] white, double[][] colourants, byte[][] curves, string description = "sRGB IEC61966-2.1",
        uint intent = 0, int version = 2, string deviceClass = "mntr", double[]? chad = null, double[]? black = null,
        IEnumerable<(string Signature, byte[] Data)>? extraTags = null)
    {
        var tags = new List<(string Signature, byte[] Data)>
        {
            ("desc", Description(description)),
            ("wtpt", Xyz(white)),
            ("rXYZ", Xyz(colourants[0])), ("gXYZ", Xyz(colourants[1])), ("bXYZ", Xyz(colourants[2])),
            ("rTRC", curves[0]), ("gTRC", curves[curves.Length == 3 ? 1 : 0]), ("bTRC", curves[curves.Length == 3 ? 2 : 0]),
        };
        if (chad is not null) tags.Add(("chad", Matrix(chad)));
        if (black is not null) tags.Add(("bkpt", Xyz(black)));
        if (extraTags is not null) tags.AddRange(extraTags);

        int at = 132 + 12 * tags.Count;
        var body = new List<byte>();
        var table = new byte[12 * tags.Count];
        for (int i = 0; i < tags.Count; i++)
        {
            while ((at + body.Count) % 4 != 0) body.Add(0);
            Encoding.ASCII.GetBytes(tags[i].Signature, table.AsSpan(12 * i));
            BinaryPrimitives.WriteUInt32BigEndian(table.AsSpan(12 * i + 4), (uint)(at + body.Count));
            BinaryPrimitives.WriteUInt32BigEndian(table.AsSpan(12 * i + 8), (uint)tags[i].Data.Length);
            body.AddRange(tags[i].Data);
        }
        var header = new byte[132];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)(at + body.Count));
        "kmps"u8.CopyTo(header.AsSpan(4));
        header[8] = (byte)version;
        Encoding.ASCII.GetBytes(deviceClass, header.AsSpan(12));
        "RGB XYZ "u8.CopyTo(header.AsSpan(16));
        "acsp"u8.CopyTo(header.AsSpan(36));
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(64), intent);
        for (int i = 0; i < 3; i++) WriteFixed(header, 68 + 4 * i, D50[i]);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(128), (uint)tags.Count);
        return [.. header, .. table, .. body];
    }

    /// <summary>The HP/Microsoft-like sRGB v2 profile: D65 white, 1024-entry tables, intent field as given.</summary>
    public static byte[] SrgbV2(uint intent = 0, string description = "sRGB IEC61966-2.1") =>
        Build(D65, SrgbColourants, [TableCurve(SrgbDecode)], description, intent);

    /// <summary>A compact v4 sRGB profile: D50 white point with a Bradford 'chad', parametric curves.</summary>
    public static byte[] SrgbV4(uint intent = 0) =>
        Build(D50, SrgbColourants, [SrgbParametric()], "sRGB built-in", intent, version: 4, chad: BradfordD65ToD50);

    private static byte[] Xyz(double[] xyz)
    {
        var tag = new byte[20];
        "XYZ "u8.CopyTo(tag);
        for (int i = 0; i < 3; i++) WriteFixed(tag, 8 + 4 * i, xyz[i]);
        return tag;
    }

    private static byte[] Matrix(double[] m)
    {
        var tag = new byte[8 + 36];
        "sf32"u8.CopyTo(tag);
        for (int i = 0; i < 9; i++) WriteFixed(tag, 8 + 4 * i, m[i]);
        return tag;
    }

    private static byte[] Description(string text)
    {
        byte[] ascii = Encoding.ASCII.GetBytes(text + "\0");
        var tag = new byte[12 + ascii.Length + 79];
        "desc"u8.CopyTo(tag);
        BinaryPrimitives.WriteUInt32BigEndian(tag.AsSpan(8), (uint)ascii.Length);
        ascii.CopyTo(tag, 12);
        return tag;
    }

    private static void WriteFixed(byte[] data, int at, double value) =>
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(at), (int)Math.Round(value * 65536));
}
