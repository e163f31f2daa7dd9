using System.Buffers.Binary;
using System.Text;

namespace KMeansPS.Imaging.Tests.Corpus;

/// <summary>RIFF/WebP containers by hand: animations (which ImageSharp 2.1 cannot write) built from a still's bitstream.</summary>
internal static class WebpWriter
{
    /// <summary>The still's chunks, as (type, data).</summary>
    public static List<(string Type, byte[] Data)> Chunks(byte[] webp)
    {
        var chunks = new List<(string, byte[])>();
        for (int p = 12; p + 8 <= webp.Length;)
        {
            int size = BinaryPrimitives.ReadInt32LittleEndian(webp.AsSpan(p + 4));
            chunks.Add((Encoding.ASCII.GetString(webp, p, 4), webp.AsSpan(p + 8, size).ToArray()));
            p += 8 + size + (size & 1);
        }
        return chunks;
    }

    public static byte[] Assemble(IEnumerable<(string Type, byte[] Data)> chunks)
    {
        var body = new List<byte>("WEBP"u8.ToArray());
        foreach ((string type, byte[] data) in chunks) body.AddRange(Chunk(type, data));
        var file = new byte[8 + body.Count];
        "RIFF"u8.CopyTo(file);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(4), body.Count);
        body.CopyTo(file, 8);
        return file;
    }

    public static byte[] Chunk(string type, byte[] data)
    {
        var chunk = new byte[8 + data.Length + (data.Length & 1)];
        Encoding.ASCII.GetBytes(type, chunk);
        BinaryPrimitives.WriteInt32LittleEndian(chunk.AsSpan(4), data.Length);
        data.CopyTo(chunk, 8);
        return chunk;
    }

    /// <summary>
    /// A still in the extended format, as chunks a test may reorder before <see cref="Assemble"/>: VP8X with the flags of
    /// what follows (alpha: an ALPH chunk, or lossless data that says it uses alpha), ICCP when <paramref name="icc"/>,
    /// the still's ALPH and image chunks, EXIF when <paramref name="exif"/>.
    /// </summary>
    public static List<(string Type, byte[] Data)> Extended(byte[] still, byte[]? icc = null, byte[]? exif = null)
    {
        List<(string Type, byte[] Data)> kept = Chunks(still).Where(c => c.Type is "ALPH" or "VP8 " or "VP8L").ToList();
        (string type, byte[] image) = kept[^1];
        bool lossless = type == "VP8L";
        uint bits = BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(lossless ? 1 : 6));
        (int width, int height) = lossless
            ? ((int)(bits & 0x3FFF) + 1, (int)((bits >> 14) & 0x3FFF) + 1)
            : ((int)(bits & 0x3FFF), (int)((bits >> 16) & 0x3FFF));
        bool alpha = kept.Any(c => c.Type == "ALPH") || (lossless && (bits & (1u << 28)) != 0);
        var vp8x = new byte[10];
        vp8x[0] = (byte)((icc is null ? 0 : 0x20) | (alpha ? 0x10 : 0) | (exif is null ? 0 : 0x08));
        WriteUInt24(vp8x.AsSpan(4), width - 1);
        WriteUInt24(vp8x.AsSpan(7), height - 1);
        var chunks = new List<(string Type, byte[] Data)> { ("VP8X", vp8x) };
        if (icc is not null) chunks.Add(("ICCP", icc));
        chunks.AddRange(kept);
        if (exif is not null) chunks.Add(("EXIF", exif));
        return chunks;
    }

    /// <summary>An animation of <paramref name="frames"/> copies of a still's image chunk on a canvas of its size.</summary>
    public static byte[] Animated(byte[] still, int width, int height, int frames)
    {
        (string type, byte[] data) = Chunks(still).First(c => c.Type is "VP8 " or "VP8L");
        var vp8x = new byte[10];
        vp8x[0] = 0x02; // animation
        WriteUInt24(vp8x.AsSpan(4), width - 1);
        WriteUInt24(vp8x.AsSpan(7), height - 1);
        var chunks = new List<(string, byte[])> { ("VP8X", vp8x), ("ANIM", new byte[6]) };
        for (int f = 0; f < frames; f++)
        {
            byte[] header = new byte[16]; // x, y, width - 1, height - 1, duration, flags
            WriteUInt24(header.AsSpan(6), width - 1);
            WriteUInt24(header.AsSpan(9), height - 1);
            WriteUInt24(header.AsSpan(12), 100);
            chunks.Add(("ANMF", [.. header, .. Chunk(type, data)]));
        }
        return Assemble(chunks);
    }

    private static void WriteUInt24(Span<byte> at, int value)
    {
        at[0] = (byte)value;
        at[1] = (byte)(value >> 8);
        at[2] = (byte)(value >> 16);
    }
}
