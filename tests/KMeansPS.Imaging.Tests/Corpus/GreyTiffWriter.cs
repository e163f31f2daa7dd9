using System.Buffers.Binary;

namespace KMeansPS.Imaging.Tests.Corpus;

/// <summary>
/// Writes grey TIFFs by hand (one sample a pixel, MinIsBlack, little-endian, strips of <see cref="RowsPerStrip"/> rows),
/// with what ImageSharp 2.1's encoder does not write: FillOrder 2, PlanarConfiguration 2, a strip changed after coding.
/// </summary>
internal static class GreyTiffWriter
{
    public const int Width = 21, Height = 9, RowsPerStrip = 4;

    /// <summary>Seeded samples, one per pixel: 0/1 at 1 bit, 0-255 at 8 bits.</summary>
    public static int[] Samples(int bits, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, Width * Height).Select(_ => random.Next(1 << bits)).ToArray();
    }

    /// <summary>One strip's raw rows, packed most significant bit first, each row padded to a whole byte.</summary>
    private static byte[] Rows(int[] samples, int bits, int firstRow, int rows)
    {
        int stride = (Width * bits + 7) / 8;
        var raw = new byte[stride * rows];
        for (int y = 0; y < rows; y++)
        {
            for (int x = 0; x < Width; x++)
            {
                int v = samples[(firstRow + y) * Width + x];
                if (bits == 8) raw[y * stride + x] = (byte)v;
                else if (v != 0) raw[y * stride + x / 8] |= (byte)(0x80 >> (x % 8));
            }
        }
        return raw;
    }

    private static byte[] Compress(byte[] raw, int method) => method switch
    {
        1 => raw,
        8 => PngWriter.Zlib(raw),
        _ => TiffWriter.PackBitsLiteral(raw),
    };

    // Bit by bit, apart from the module's own reversal.
    private static byte Mirrored(byte b)
    {
        int r = 0;
        for (int i = 0; i < 8; i++) if ((b & (1 << i)) != 0) r |= 0x80 >> i;
        return (byte)r;
    }

    /// <summary>A little-endian classic TIFF: grey, MinIsBlack, one sample, strips of <see cref="RowsPerStrip"/> rows.</summary>
    public static byte[] Write(int[] samples, int bits, int method, int fillOrder = 1, Func<byte[], byte[]>? lastStrip = null, int planar = 1)
    {
        var strips = new List<byte[]>();
        for (int y = 0; y < Height; y += RowsPerStrip)
        {
            byte[] data = Compress(Rows(samples, bits, y, Math.Min(RowsPerStrip, Height - y)), method);
            if (fillOrder == 2) data = data.Select(Mirrored).ToArray();
            strips.Add(data);
        }
        if (lastStrip is not null) strips[^1] = lastStrip(strips[^1]);
        var file = new List<byte> { (byte)'I', (byte)'I', 42, 0, 0, 0, 0, 0 };
        var offsets = new List<uint>();
        foreach (byte[] strip in strips)
        {
            offsets.Add((uint)file.Count);
            file.AddRange(strip);
            if (file.Count % 2 == 1) file.Add(0);
        }
        uint offsetsAt = (uint)file.Count;
        foreach (uint o in offsets) file.AddRange(BitConverter.GetBytes(o));
        uint countsAt = (uint)file.Count;
        foreach (byte[] strip in strips) file.AddRange(BitConverter.GetBytes((uint)strip.Length));
        uint ifd = (uint)file.Count;
        var entries = new (ushort Tag, ushort Type, uint Count, uint Value)[]
        {
            (256, 3, 1, Width), (257, 3, 1, Height), (258, 3, 1, (uint)bits), (259, 3, 1, (uint)method), (262, 3, 1, 1),
            (266, 3, 1, (uint)fillOrder), (273, 4, (uint)strips.Count, offsetsAt), (277, 3, 1, 1), (278, 3, 1, RowsPerStrip),
            (279, 4, (uint)strips.Count, countsAt), (284, 3, 1, (uint)planar),
        };
        file.AddRange(BitConverter.GetBytes((ushort)entries.Length));
        foreach ((ushort tag, ushort type, uint count, uint value) in entries)
        {
            file.AddRange(BitConverter.GetBytes(tag));
            file.AddRange(BitConverter.GetBytes(type));
            file.AddRange(BitConverter.GetBytes(count));
            file.AddRange(type == 3 ? [.. BitConverter.GetBytes((ushort)value), 0, 0] : BitConverter.GetBytes(value));
        }
        file.AddRange(new byte[4]);
        byte[] bytes = file.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), ifd);
        return bytes;
    }
}
