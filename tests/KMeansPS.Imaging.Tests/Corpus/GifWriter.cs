using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Corpus;

/// <summary>
/// Writes GIFs by hand, for layouts ImageSharp's encoder does not make: frames off the screen, interlaced frames,
/// many tiny frames, no trailer. The LZW data holds only literal codes, with a clear code often enough that the
/// code size never grows, which every decoder reads.
/// </summary>
internal static class GifWriter
{
    internal sealed record Frame(int Left, int Top, int Width, int Height, byte[] Indices, bool Interlaced = false, Rgba32[]? LocalPalette = null);

    public static byte[] Write(int screenWidth, int screenHeight, Rgba32[]? globalPalette, IEnumerable<Frame> frames, bool trailer = true,
        byte[]? comment = null)
    {
        var output = new List<byte>();
        output.AddRange("GIF89a"u8.ToArray());
        AddUInt16(output, screenWidth);
        AddUInt16(output, screenHeight);
        output.Add(globalPalette is null ? (byte)0 : (byte)(0x80 | TableBits(globalPalette.Length)));
        output.Add(0);
        output.Add(0);
        if (globalPalette is not null) AddTable(output, globalPalette);
        if (comment is not null)
        {
            output.Add(0x21);
            output.Add(0xFE);
            AddSubBlocks(output, comment);
        }
        foreach (Frame frame in frames)
        {
            output.Add(0x2C);
            AddUInt16(output, frame.Left);
            AddUInt16(output, frame.Top);
            AddUInt16(output, frame.Width);
            AddUInt16(output, frame.Height);
            byte flags = (byte)(frame.Interlaced ? 0x40 : 0);
            if (frame.LocalPalette is not null) flags |= (byte)(0x80 | TableBits(frame.LocalPalette.Length));
            output.Add(flags);
            if (frame.LocalPalette is not null) AddTable(output, frame.LocalPalette);
            int colors = (frame.LocalPalette ?? globalPalette)?.Length ?? 2;
            int minCodeSize = Math.Max(2, TableBits(colors) + 1);
            output.Add((byte)minCodeSize);
            AddSubBlocks(output, LiteralLzw(Ordered(frame), minCodeSize));
        }
        if (trailer) output.Add(0x3B);
        return output.ToArray();
    }

    /// <summary>The frame's indices in the order they are stored (interlaced frames store rows in four passes).</summary>
    private static byte[] Ordered(Frame frame)
    {
        if (!frame.Interlaced) return frame.Indices;
        var ordered = new List<byte>(frame.Indices.Length);
        foreach ((int start, int step) in new[] { (0, 8), (4, 8), (2, 4), (1, 2) })
            for (int y = start; y < frame.Height; y += step)
                ordered.AddRange(frame.Indices.AsSpan(y * frame.Width, frame.Width).ToArray());
        return ordered.ToArray();
    }

    /// <summary>Literal codes only, at minCodeSize + 1 bits, with a clear code before the table would widen the codes.</summary>
    public static byte[] LiteralLzw(byte[] indices, int minCodeSize)
    {
        int clear = 1 << minCodeSize, end = clear + 1, width = minCodeSize + 1;
        var bytes = new List<byte>();
        uint bits = 0;
        int count = 0;
        void Put(int code)
        {
            bits |= (uint)code << count;
            count += width;
            while (count >= 8)
            {
                bytes.Add((byte)bits);
                bits >>= 8;
                count -= 8;
            }
        }
        int sinceClear = 0;
        Put(clear);
        foreach (byte index in indices)
        {
            if (sinceClear == clear - 2)
            {
                Put(clear);
                sinceClear = 0;
            }
            Put(index);
            sinceClear++;
        }
        Put(end);
        if (count > 0) bytes.Add((byte)bits);
        return bytes.ToArray();
    }

    private static int TableBits(int colors)
    {
        int bits = 0;
        while ((2 << bits) < colors) bits++;
        return bits; // the table holds 2^(bits + 1) entries
    }

    private static void AddTable(List<byte> output, Rgba32[] palette)
    {
        int entries = 2 << TableBits(palette.Length);
        for (int i = 0; i < entries; i++)
        {
            Rgba32 c = i < palette.Length ? palette[i] : default;
            output.Add(c.R);
            output.Add(c.G);
            output.Add(c.B);
        }
    }

    public static void AddSubBlocks(List<byte> output, byte[] data)
    {
        for (int i = 0; i < data.Length; i += 255)
        {
            int n = Math.Min(255, data.Length - i);
            output.Add((byte)n);
            output.AddRange(data.AsSpan(i, n).ToArray());
        }
        output.Add(0);
    }

    private static void AddUInt16(List<byte> output, int value)
    {
        output.Add((byte)value);
        output.Add((byte)(value >> 8));
    }
}
