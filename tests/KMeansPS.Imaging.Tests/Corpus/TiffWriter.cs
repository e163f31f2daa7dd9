using System.Buffers.Binary;

namespace KMeansPS.Imaging.Tests.Corpus;

/// <summary>
/// Writes uncompressed RGB TIFFs by hand, for what ImageSharp 2.1's encoder does not make: big-endian byte order,
/// BigTIFF, a chosen number of rows per strip, data between the pages.
/// </summary>
internal static class TiffWriter
{
    /// <summary>One page: 8-bit RGB samples, row by row.</summary>
    internal sealed record Page(int Width, int Height, byte[] Rgb, int RowsPerStrip, int Orientation = 0);

    /// <summary>PackBits as literal runs of up to 128 bytes (a header n - 1, then n bytes).</summary>
    public static byte[] PackBitsLiteral(byte[] data)
    {
        var output = new List<byte>();
        for (int i = 0; i < data.Length; i += 128)
        {
            int n = Math.Min(128, data.Length - i);
            output.Add((byte)(n - 1));
            output.AddRange(data.AsSpan(i, n).ToArray());
        }
        return [.. output];
    }

    public static byte[] Write(IReadOnlyList<Page> pages, bool bigEndian = false, bool bigTiff = false, int gap = 0)
    {
        var file = new List<byte>();
        file.AddRange(bigEndian ? "MM"u8.ToArray() : "II"u8.ToArray());
        Put(file, 2, bigTiff ? 43 : 42, bigEndian);
        if (bigTiff)
        {
            Put(file, 2, 8, bigEndian);
            Put(file, 2, 0, bigEndian);
        }
        int firstIfdField = file.Count;
        Put(file, bigTiff ? 8 : 4, 0, bigEndian);
        int nextField = firstIfdField;
        foreach (Page page in pages)
        {
            file.AddRange(new byte[gap]);
            int stride = page.Width * 3;
            var offsets = new List<long>();
            var counts = new List<long>();
            for (int y = 0; y < page.Height; y += page.RowsPerStrip)
            {
                int rows = Math.Min(page.RowsPerStrip, page.Height - y);
                offsets.Add(file.Count);
                counts.Add((long)rows * stride);
                file.AddRange(page.Rgb.AsSpan(y * stride, rows * stride).ToArray());
            }
            if ((file.Count & 1) != 0) file.Add(0);
            // Values too large for an entry go here, before the directory.
            long bitsAt = file.Count;
            for (int i = 0; i < 3; i++) Put(file, 2, 8, bigEndian);
            int offsetType = bigTiff ? 16 : 4, offsetSize = bigTiff ? 8 : 4, inline = bigTiff ? 8 : 4;
            long offsetsAt = file.Count;
            foreach (long o in offsets) Put(file, offsetSize, o, bigEndian);
            long countsAt = file.Count;
            foreach (long c in counts) Put(file, offsetSize, c, bigEndian);
            if ((file.Count & 1) != 0) file.Add(0);

            long ifd = file.Count;
            Patch(file, nextField, bigTiff ? 8 : 4, ifd, bigEndian);
            var entries = new List<(int Tag, int Type, long Count, long Value, bool Inline)>
            {
                (256, 4, 1, page.Width, true),
                (257, 4, 1, page.Height, true),
                (258, 3, 3, bitsAt, 6 <= inline),
                (259, 3, 1, 1, true),
                (262, 3, 1, 2, true),
                (273, offsetType, offsets.Count, offsets.Count == 1 ? offsets[0] : offsetsAt, offsets.Count * offsetSize <= inline),
                (274, 3, page.Orientation == 0 ? 0 : 1, page.Orientation, true), // left out below when 0
                (277, 3, 1, 3, true),
                (278, 4, 1, page.RowsPerStrip, true),
                (279, offsetType, counts.Count, counts.Count == 1 ? counts[0] : countsAt, counts.Count * offsetSize <= inline),
                (284, 3, 1, 1, true),
            };
            entries.RemoveAll(e => e.Tag == 274 && e.Count == 0);
            Put(file, bigTiff ? 8 : 2, entries.Count, bigEndian);
            foreach (var e in entries)
            {
                Put(file, 2, e.Tag, bigEndian);
                Put(file, 2, e.Type, bigEndian);
                Put(file, bigTiff ? 8 : 4, e.Count, bigEndian);
                int start = file.Count;
                file.AddRange(new byte[inline]);
                int size = e.Type == 3 ? 2 : e.Type == 16 ? 8 : 4;
                if (e.Inline && e.Tag == 258)
                    for (int i = 0; i < 3; i++) Patch(file, start + 2 * i, 2, 8, bigEndian);
                else if (e.Inline && e.Count > 1)
                    for (int i = 0; i < e.Count; i++) Patch(file, start + size * i, size, e.Tag == 273 ? offsets[i] : counts[i], bigEndian);
                else if (e.Inline) Patch(file, start, size, e.Value, bigEndian);
                else Patch(file, start, inline, e.Value, bigEndian);
            }
            nextField = file.Count;
            Put(file, bigTiff ? 8 : 4, 0, bigEndian);
        }
        return file.ToArray();
    }

    /// <summary>
    /// A little-endian TIFF of <paramref name="pages"/> Deflate-compressed RGB pages of one strip each, all pointing at
    /// the same compressed data: a multi-page file far larger decoded than stored.
    /// </summary>
    public static byte[] SharedDeflatePages(int width, int height, int pages, byte[] zlibStrip)
    {
        var file = new List<byte>();
        file.AddRange("II"u8.ToArray());
        Put(file, 2, 42, false);
        int firstIfd = 8 + zlibStrip.Length + (zlibStrip.Length & 1) + 6;
        Put(file, 4, firstIfd, false);
        file.AddRange(zlibStrip);
        if ((file.Count & 1) != 0) file.Add(0);
        long bitsAt = file.Count;
        for (int i = 0; i < 3; i++) Put(file, 2, 8, false);
        for (int p = 0; p < pages; p++)
        {
            (int Tag, int Type, long Value)[] entries =
            [
                (256, 4, width), (257, 4, height), (258, 3, bitsAt), (259, 3, 8), (262, 3, 2), (273, 4, 8),
                (277, 3, 3), (278, 4, height), (279, 4, zlibStrip.Length), (284, 3, 1),
            ];
            Put(file, 2, entries.Length, false);
            foreach ((int tag, int type, long value) in entries)
            {
                Put(file, 2, tag, false);
                Put(file, 2, type, false);
                Put(file, 4, tag == 258 ? 3 : 1, false);
                Put(file, type == 3 && tag != 258 ? 2 : 4, value, false);
                if (type == 3 && tag != 258) Put(file, 2, 0, false);
            }
            Put(file, 4, p == pages - 1 ? 0 : file.Count + 4, false);
        }
        return file.ToArray();
    }

    /// <summary>
    /// A little-endian TIFF whose first strip's byte count is cut to <paramref name="percent"/> % (cut and closed:
    /// the file itself is whole, so only the strip's data shows the damage).
    /// </summary>
    public static byte[] CutFirstStrip(byte[] tiff, int percent)
    {
        byte[] bytes = tiff.ToArray();
        int ifd = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4));
        int count = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(ifd));
        for (int i = 0; i < count; i++)
        {
            int e = ifd + 2 + 12 * i;
            if (BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(e)) != 279) continue;
            int type = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(e + 2));
            int values = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(e + 4));
            int size = type == 3 ? 2 : 4;
            int at = values * size <= 4 ? e + 8 : BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(e + 8));
            if (size == 2)
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at), (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at)) * percent / 100));
            else
                BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at)) * percent / 100);
            return bytes;
        }
        throw new InvalidOperationException("no StripByteCounts");
    }

    private static void Put(List<byte> file, int size, long value, bool bigEndian)
    {
        int at = file.Count;
        file.AddRange(new byte[size]);
        Patch(file, at, size, value, bigEndian);
    }

    private static void Patch(List<byte> file, int at, int size, long value, bool bigEndian)
    {
        Span<byte> bytes = stackalloc byte[8];
        if (bigEndian) BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        else BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        ReadOnlySpan<byte> part = bigEndian ? bytes[(8 - size)..] : bytes[..size];
        for (int i = 0; i < size; i++) file[at + i] = part[i];
    }
}
