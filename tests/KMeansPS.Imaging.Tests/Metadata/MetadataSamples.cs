using System.Buffers.Binary;
using System.Text;
using KMeansPS.Imaging.Tests.Png;

namespace KMeansPS.Imaging.Tests.Metadata;

/// <summary>Builds the metadata the tests feed in: ICC profiles, EXIF TIFF structures, PNG sources with extra chunks.</summary>
internal static class MetadataSamples
{
    /// <summary>
    /// A small ICC profile: a 128-byte header ("acsp" at 36), a tag table holding 'desc' (v2 textDescriptionType, or v4
    /// mluc when <paramref name="mluc"/>) and <paramref name="padding"/> bytes of a private tag, so sizes can vary.
    /// </summary>
    public static byte[] IccProfile(string description, bool mluc = false, int padding = 64, int seed = 1)
    {
        byte[] desc;
        if (mluc)
        {
            byte[] text = Encoding.BigEndianUnicode.GetBytes(description);
            desc = new byte[28 + text.Length];
            "mluc"u8.CopyTo(desc);
            BinaryPrimitives.WriteUInt32BigEndian(desc.AsSpan(8), 1);
            BinaryPrimitives.WriteUInt32BigEndian(desc.AsSpan(12), 12);
            "enUS"u8.CopyTo(desc.AsSpan(16));
            BinaryPrimitives.WriteUInt32BigEndian(desc.AsSpan(20), (uint)text.Length);
            BinaryPrimitives.WriteUInt32BigEndian(desc.AsSpan(24), 28);
            text.CopyTo(desc, 28);
        }
        else
        {
            byte[] text = Encoding.ASCII.GetBytes(description + "\0");
            desc = new byte[12 + text.Length + 79];
            "desc"u8.CopyTo(desc);
            BinaryPrimitives.WriteUInt32BigEndian(desc.AsSpan(8), (uint)text.Length);
            text.CopyTo(desc, 12);
        }
        var random = new Random(seed);
        byte[] extra = new byte[padding];
        random.NextBytes(extra);
        int descAt = 128 + 4 + 24, extraAt = descAt + desc.Length;
        byte[] profile = new byte[extraAt + extra.Length];
        BinaryPrimitives.WriteUInt32BigEndian(profile, (uint)profile.Length);
        "RGB XYZ "u8.CopyTo(profile.AsSpan(16));
        "acsp"u8.CopyTo(profile.AsSpan(36));
        BinaryPrimitives.WriteUInt32BigEndian(profile.AsSpan(8), 0x02100000);
        BinaryPrimitives.WriteUInt32BigEndian(profile.AsSpan(128), 2);
        "desc"u8.CopyTo(profile.AsSpan(132));
        BinaryPrimitives.WriteUInt32BigEndian(profile.AsSpan(136), (uint)descAt);
        BinaryPrimitives.WriteUInt32BigEndian(profile.AsSpan(140), (uint)desc.Length);
        "kmps"u8.CopyTo(profile.AsSpan(144));
        BinaryPrimitives.WriteUInt32BigEndian(profile.AsSpan(148), (uint)extraAt);
        BinaryPrimitives.WriteUInt32BigEndian(profile.AsSpan(152), (uint)extra.Length);
        desc.CopyTo(profile, descAt);
        extra.CopyTo(profile, extraAt);
        return profile;
    }

    /// <summary>
    /// An EXIF TIFF structure with IFD0 holding Orientation (when given), XResolution/YResolution (RATIONAL) and
    /// ResolutionUnit (when given), and a Make string, in the byte order asked for.
    /// </summary>
    public static byte[] Exif(bool littleEndian, ushort? orientation, (uint X, uint Y)? resolution = null, ushort? unit = null)
    {
        var entries = new List<(ushort Tag, ushort Type, uint Count, byte[] Value)>();
        entries.Add((0x010F, 2, 6, Encoding.ASCII.GetBytes("KMPS1\0"))); // Make, 6 bytes: stored after the directory
        if (orientation is ushort o) entries.Add((0x0112, 3, 1, Short(o, littleEndian)));
        if (resolution is { } r)
        {
            entries.Add((0x011A, 5, 1, Rational(r.X, littleEndian)));
            entries.Add((0x011B, 5, 1, Rational(r.Y, littleEndian)));
        }
        if (unit is ushort u) entries.Add((0x0128, 3, 1, Short(u, littleEndian)));
        int directory = 8, after = directory + 2 + 12 * entries.Count + 4;
        var tiff = new byte[after];
        (littleEndian ? "II"u8 : "MM"u8).CopyTo(tiff);
        Write16(tiff, 2, 42, littleEndian);
        Write32(tiff, 4, (uint)directory, littleEndian);
        Write16(tiff, directory, (ushort)entries.Count, littleEndian);
        var outside = new List<byte>();
        for (int i = 0; i < entries.Count; i++)
        {
            int at = directory + 2 + 12 * i;
            (ushort tag, ushort type, uint count, byte[] value) = entries[i];
            Write16(tiff, at, tag, littleEndian);
            Write16(tiff, at + 2, type, littleEndian);
            Write32(tiff, at + 4, count, littleEndian);
            if (value.Length <= 4) value.CopyTo(tiff, at + 8);
            else
            {
                Write32(tiff, at + 8, (uint)(after + outside.Count), littleEndian);
                outside.AddRange(value);
            }
        }
        return [.. tiff, .. outside];
    }

    private static byte[] Short(ushort value, bool little)
    {
        var b = new byte[4];
        Write16(b, 0, value, little);
        return b;
    }

    private static byte[] Rational(uint numerator, bool little)
    {
        var b = new byte[8];
        Write32(b, 0, numerator, little);
        Write32(b, 4, 1, little);
        return b;
    }

    private static void Write16(byte[] data, int at, ushort value, bool little)
    {
        if (little) BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(at), value);
        else BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(at), value);
    }

    private static void Write32(byte[] data, int at, uint value, bool little)
    {
        if (little) BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(at), value);
        else BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(at), value);
    }

    /// <summary>An 8-bit RGB PNG of a seeded gradient with <paramref name="before"/> after IHDR and <paramref name="after"/> after IDAT.</summary>
    public static byte[] Png(int width, int height, IEnumerable<byte[]> before, IEnumerable<byte[]>? after = null, int seed = 1)
    {
        RgbaImage image = Fixtures.Gradient(width, height, seed);
        byte[] raw = new byte[(width * 3 + 1) * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                var p = image.Pixels[y * width + x];
                int at = y * (width * 3 + 1) + 1 + 3 * x;
                (raw[at], raw[at + 1], raw[at + 2]) = (p.R, p.G, p.B);
            }
        return PngFiles.Concat([
            PngFiles.Chunk("IHDR", PngFiles.Ihdr(width, height, 8, 2, 0)), .. before,
            PngFiles.Chunk("IDAT", PngFiles.Zlib(raw)), .. after ?? [], PngFiles.Chunk("IEND", [])]);
    }

    /// <summary>iCCP chunk data: name, zero, method 0, the zlib-compressed profile.</summary>
    public static byte[] Iccp(string name, byte[] profile) => [.. Encoding.Latin1.GetBytes(name), 0, 0, .. PngFiles.Zlib(profile)];

    /// <summary>tEXt data.</summary>
    public static byte[] Text(string keyword, string text) => Encoding.Latin1.GetBytes(keyword + "\0" + text);

    /// <summary>pHYs data.</summary>
    public static byte[] Phys(uint x, uint y, byte unit)
    {
        var data = new byte[9];
        BinaryPrimitives.WriteUInt32BigEndian(data, x);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(4), y);
        data[8] = unit;
        return data;
    }

    /// <summary>The profile inside iCCP chunk data, inflated independently of the code under test.</summary>
    public static (string Name, byte[] Profile) ReadIccp(byte[] data)
    {
        int zero = Array.IndexOf(data, (byte)0);
        Assert.Equal(0, data[zero + 1]);
        using var input = new MemoryStream(data, zero + 2, data.Length - zero - 2);
        using var zlib = new System.IO.Compression.ZLibStream(input, System.IO.Compression.CompressionMode.Decompress);
        using var output = new MemoryStream();
        zlib.CopyTo(output);
        return (Encoding.Latin1.GetString(data, 0, zero), output.ToArray());
    }
}
