using System.Buffers.Binary;
using System.Text;

namespace KMeansPS.Imaging.Tests.Corpus;

/// <summary>
/// Small files whose headers claim a large image (16000 x 16000 by default) over a few bytes of data, as in the
/// project's issue: each would make a decoder allocate gigabytes for a blank result.
/// </summary>
internal static class Stubs
{
    public const int Side = 16000;

    public static byte[] Png(int width = Side, int height = Side)
    {
        byte[] idat = PngWriter.Zlib(new byte[64]);
        return PngWriter.Assemble([("IHDR", PngWriter.Header(width, height, 8, 6)), ("IDAT", idat), ("IEND", [])]);
    }

    public static byte[] Bmp(int width = Side, int height = Side)
    {
        byte[] file = BmpWriter.Assemble(width, height, 24, 0, [], new byte[42]);
        return file;
    }

    public static byte[] Tga(int width = Side, int height = Side)
    {
        var file = new byte[18 + 40];
        file[2] = 2;
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(12), (ushort)width);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(14), (ushort)height);
        file[16] = 24;
        return file;
    }

    public static byte[] Pgm(int width = Side, int height = Side) =>
        [.. Encoding.ASCII.GetBytes($"P5\n{width} {height}\n255\n"), .. new byte[40]];

    public static byte[] Gif(int width = Side, int height = Side)
    {
        var frame = new GifWriter.Frame(0, 0, width, height, new byte[30]);
        return GifWriter.Write(width, height, [new(0, 0, 0), new(255, 255, 255)], [frame]);
    }

    public static byte[] Tiff(int width = Side, int height = Side)
    {
        byte[] file = TiffWriter.Write([new TiffWriter.Page(4, 4, new byte[48], 4)]);
        // Rewrite the page's size; its one strip still holds 48 bytes.
        int ifd = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(4));
        for (int i = 0, n = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(ifd)); i < n; i++)
        {
            int entry = ifd + 2 + 12 * i;
            int tag = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(entry));
            if (tag == 256) BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(entry + 8), width);
            if (tag == 257) BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(entry + 8), height);
            if (tag == 278) BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(entry + 8), height);
            if (tag == 279) BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(entry + 8), width * height * 3);
        }
        return file;
    }

    /// <summary>A lossy WebP: a VP8 key-frame header with the size, and a few bytes of data.</summary>
    public static byte[] Webp(int width = Side, int height = Side)
    {
        var vp8 = new byte[40];
        int partition = 20;
        int tag = partition << 5 | 1 << 4; // key frame, version 0, shown
        vp8[0] = (byte)tag;
        vp8[1] = (byte)(tag >> 8);
        vp8[2] = (byte)(tag >> 16);
        vp8[3] = 0x9D;
        vp8[4] = 0x01;
        vp8[5] = 0x2A;
        BinaryPrimitives.WriteUInt16LittleEndian(vp8.AsSpan(6), (ushort)width);
        BinaryPrimitives.WriteUInt16LittleEndian(vp8.AsSpan(8), (ushort)height);
        return WebpWriter.Assemble([("VP8 ", vp8)]);
    }

    /// <summary>A baseline JPEG's headers for the size, then a few bytes of scan data and the end marker.</summary>
    public static byte[] Jpeg(int width = Side, int height = Side)
    {
        var file = new List<byte> { 0xFF, 0xD8, 0xFF, 0xE0, 0, 16 };
        file.AddRange("JFIF\0"u8.ToArray());
        file.AddRange(new byte[] { 1, 1, 0, 0, 1, 0, 1, 0, 0 });
        file.AddRange(new byte[] { 0xFF, 0xDB, 0, 67, 0 });
        file.AddRange(Enumerable.Repeat((byte)1, 64));
        file.AddRange(new byte[] { 0xFF, 0xC0, 0, 17, 8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 3 });
        file.AddRange(new byte[] { 1, 0x22, 0, 2, 0x11, 0, 3, 0x11, 0 });
        file.AddRange(new byte[] { 0xFF, 0xDA, 0, 12, 3, 1, 0, 2, 0, 3, 0, 0, 63, 0 });
        file.AddRange(Enumerable.Repeat((byte)0x55, 1600));
        file.AddRange(new byte[] { 0xFF, 0xD9 });
        return file.ToArray();
    }
}
