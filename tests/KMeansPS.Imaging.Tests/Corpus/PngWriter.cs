using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace KMeansPS.Imaging.Tests.Corpus;

/// <summary>PNG chunks by hand (with their CRCs), for layouts ImageSharp 2.1's encoder does not make.</summary>
internal static class PngWriter
{
    public static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The chunks of a PNG file, as (type, data).</summary>
    public static List<(string Type, byte[] Data)> Chunks(byte[] png)
    {
        var chunks = new List<(string, byte[])>();
        for (int p = 8; p + 12 <= png.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(p));
            chunks.Add((Encoding.ASCII.GetString(png, p + 4, 4), png.AsSpan(p + 8, length).ToArray()));
            p += 12 + length;
        }
        return chunks;
    }

    public static byte[] Assemble(IEnumerable<(string Type, byte[] Data)> chunks)
    {
        var file = new List<byte>(Signature);
        foreach ((string type, byte[] data) in chunks) file.AddRange(Chunk(type, data));
        return file.ToArray();
    }

    public static byte[] Chunk(string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        Encoding.ASCII.GetBytes(type, chunk.AsSpan(4));
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    public static byte[] Header(int width, int height, byte bitDepth, byte colorType, byte interlace = 0)
    {
        var data = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(data, width);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(4), height);
        data[8] = bitDepth;
        data[9] = colorType;
        data[12] = interlace;
        return data;
    }

    /// <summary>A zlib stream of <paramref name="data"/>.</summary>
    public static byte[] Zlib(byte[] data, CompressionLevel level = CompressionLevel.Optimal)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, level, leaveOpen: true)) zlib.Write(data);
        return output.ToArray();
    }

    /// <summary>
    /// An animated PNG: the still's own IDAT data as the first frame, then <paramref name="extraFrames"/> copies of
    /// it as fdAT frames.
    /// </summary>
    public static byte[] Animated(byte[] still, int extraFrames)
    {
        var chunks = Chunks(still);
        (string _, byte[] header) = chunks[0];
        int width = BinaryPrimitives.ReadInt32BigEndian(header), height = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
        byte[] idat = chunks.Where(c => c.Type == "IDAT").SelectMany(c => c.Data).ToArray();
        var output = new List<(string, byte[])> { chunks[0] };
        var acTL = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(acTL, extraFrames + 1);
        output.Add(("acTL", acTL));
        int sequence = 0;
        foreach ((string type, byte[] data) in chunks.Skip(1))
        {
            if (type == "IDAT")
            {
                if (sequence == 0) output.Add(("fcTL", FrameControl(sequence++, width, height)));
                output.Add((type, data));
            }
            else if (type == "IEND")
            {
                for (int f = 0; f < extraFrames; f++)
                {
                    output.Add(("fcTL", FrameControl(sequence++, width, height)));
                    var fdAT = new byte[4 + idat.Length];
                    BinaryPrimitives.WriteInt32BigEndian(fdAT, sequence++);
                    idat.CopyTo(fdAT, 4);
                    output.Add(("fdAT", fdAT));
                }
                output.Add((type, data));
            }
            else output.Add((type, data));
        }
        return Assemble(output);
    }

    private static byte[] FrameControl(int sequence, int width, int height)
    {
        var data = new byte[26];
        BinaryPrimitives.WriteInt32BigEndian(data, sequence);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(4), width);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(8), height);
        BinaryPrimitives.WriteInt16BigEndian(data.AsSpan(20), 1);
        BinaryPrimitives.WriteInt16BigEndian(data.AsSpan(22), 10);
        return data;
    }

    /// <summary>The file with <paramref name="chunk"/> inserted before the first chunk of type <paramref name="before"/>.</summary>
    public static byte[] Insert(byte[] png, string before, string type, byte[] data)
    {
        var chunks = Chunks(png);
        int at = chunks.FindIndex(c => c.Type == before);
        chunks.Insert(at, (type, data));
        return Assemble(chunks);
    }

    /// <summary>The IDAT data cut into chunks of at most <paramref name="size"/> bytes.</summary>
    public static byte[] SplitIdat(byte[] png, int size)
    {
        var chunks = Chunks(png);
        byte[] idat = chunks.Where(c => c.Type == "IDAT").SelectMany(c => c.Data).ToArray();
        var output = new List<(string, byte[])>();
        foreach (var chunk in chunks)
        {
            if (chunk.Type != "IDAT") output.Add(chunk);
            else if (output.All(c => c.Item1 != "IDAT"))
                for (int i = 0; i < idat.Length; i += size) output.Add(("IDAT", idat.AsSpan(i, Math.Min(size, idat.Length - i)).ToArray()));
        }
        return Assemble(output);
    }

    /// <summary>The IDAT data split in two chunks with another chunk between them.</summary>
    public static byte[] InterruptedIdat(byte[] png, string type, byte[] data)
    {
        var chunks = Chunks(png);
        byte[] idat = chunks.Where(c => c.Type == "IDAT").SelectMany(c => c.Data).ToArray();
        var output = new List<(string, byte[])>();
        foreach (var chunk in chunks)
        {
            if (chunk.Type != "IDAT") output.Add(chunk);
            else if (output.All(c => c.Item1 != "IDAT"))
            {
                output.Add(("IDAT", idat[..(idat.Length / 2)]));
                output.Add((type, data));
                output.Add(("IDAT", idat[(idat.Length / 2)..]));
            }
        }
        return Assemble(output);
    }

    private static readonly uint[] CrcTable = BuildCrcTable();

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }

    public static uint Crc(ReadOnlySpan<byte> data)
    {
        uint c = 0xFFFFFFFFu;
        foreach (byte b in data) c = CrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
        return ~c;
    }
}
