using System.Buffers.Binary;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Corpus;

/// <summary>
/// Writes BMPs by hand for what ImageSharp 2.1's encoder does not make: RLE8 and RLE4 compression (encoded runs,
/// absolute runs, end-of-line, delta, end-of-bitmap) and top-down rows.
/// </summary>
internal static class BmpWriter
{
    /// <summary>An RLE8 (<paramref name="bits"/> = 8) or RLE4 (4) bitmap of palette indices, bottom-up.</summary>
    /// <param name="withDelta">Skip part of the first row with a delta code (those pixels stay undefined).</param>
    public static byte[] Rle(int width, int height, byte[] indices, Rgba32[] palette, int bits, bool withDelta = false)
    {
        var data = new List<byte>();
        for (int row = height - 1; row >= 0; row--)
        {
            ReadOnlySpan<byte> line = indices.AsSpan(row * width, width);
            int x = 0;
            if (withDelta && row == height - 1 && width > 4)
            {
                data.AddRange(new byte[] { 0, 2, 3, 0 }); // move 3 pixels right
                x = 3;
            }
            // One absolute run per row where there is room, then encoded runs of equal pixels.
            if (width - x >= 3)
            {
                int n = Math.Min(7, width - x);
                data.Add(0);
                data.Add((byte)n);
                var packed = new List<byte>();
                for (int i = 0; i < n; i++)
                {
                    if (bits == 8) packed.Add(line[x + i]);
                    else if (i % 2 == 0) packed.Add((byte)(line[x + i] << 4));
                    else packed[^1] |= line[x + i];
                }
                if (packed.Count % 2 == 1) packed.Add(0);
                data.AddRange(packed);
                x += n;
            }
            while (x < width)
            {
                int run = 1;
                while (x + run < width && run < 255 && line[x + run] == line[x]) run++;
                data.Add((byte)run);
                data.Add(bits == 8 ? line[x] : (byte)(line[x] << 4 | line[x]));
                x += run;
            }
            data.AddRange(row == 0 ? new byte[] { 0, 1 } : new byte[] { 0, 0 });
        }
        return Assemble(width, height, bits, bits == 8 ? 1 : 2, palette, data.ToArray());
    }

    /// <summary>An uncompressed 24-bit bitmap stored top-down (negative height).</summary>
    public static byte[] TopDown24(int width, int height, byte[] rgb)
    {
        int stride = (width * 3 + 3) & ~3;
        var pixels = new byte[stride * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int s = (y * width + x) * 3, d = y * stride + x * 3;
                pixels[d] = rgb[s + 2];
                pixels[d + 1] = rgb[s + 1];
                pixels[d + 2] = rgb[s];
            }
        return Assemble(width, -height, 24, 0, [], pixels);
    }

    /// <summary>File header, a 40-byte info header, the palette (four bytes per colour), the pixel data.</summary>
    public static byte[] Assemble(int width, int height, int bits, int compression, Rgba32[] palette, byte[] pixels)
    {
        int offset = 14 + 40 + 4 * palette.Length;
        var file = new byte[offset + pixels.Length];
        "BM"u8.CopyTo(file);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(2), file.Length);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(10), offset);
        Span<byte> info = file.AsSpan(14, 40);
        BinaryPrimitives.WriteInt32LittleEndian(info, 40);
        BinaryPrimitives.WriteInt32LittleEndian(info[4..], width);
        BinaryPrimitives.WriteInt32LittleEndian(info[8..], height);
        BinaryPrimitives.WriteInt16LittleEndian(info[12..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(info[14..], (short)bits);
        BinaryPrimitives.WriteInt32LittleEndian(info[16..], compression);
        BinaryPrimitives.WriteInt32LittleEndian(info[20..], pixels.Length);
        BinaryPrimitives.WriteInt32LittleEndian(info[32..], palette.Length);
        for (int i = 0; i < palette.Length; i++)
        {
            int p = 54 + 4 * i;
            file[p] = palette[i].B;
            file[p + 1] = palette[i].G;
            file[p + 2] = palette[i].R;
        }
        pixels.CopyTo(file, offset);
        return file;
    }

    /// <summary>An OS/2 1.x bitmap: 12-byte header, <paramref name="palette"/> as three-byte entries, then <paramref name="gap"/> bytes, then 8-bit rows.</summary>
    public static byte[] Os2(int width, int height, int bits, Rgba32[] palette, byte[] indices, int gap = 0)
    {
        int stride = ((width * bits + 31) / 32) * 4, offset = 14 + 12 + 3 * palette.Length + gap;
        var file = new byte[offset + stride * height];
        "BM"u8.CopyTo(file);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(2), file.Length);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(10), offset);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(14), 12);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(18), (ushort)width);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(20), (ushort)height);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(22), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(24), (ushort)bits);
        for (int i = 0; i < palette.Length; i++) (file[26 + 3 * i], file[27 + 3 * i], file[28 + 3 * i]) = (palette[i].B, palette[i].G, palette[i].R);
        file.AsSpan(26 + 3 * palette.Length, gap).Fill(34);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int index = indices[(height - 1 - y) * width + x], bit = x * bits;
                file[offset + y * stride + bit / 8] |= (byte)(index << (8 - bits - bit % 8));
            }
        return file;
    }
}
