using System.Buffers.Binary;
using KMeansPS.Imaging.Integrity;

namespace KMeansPS.Imaging.Bmp;

/// <summary>
/// RLE8 and RLE4 bitmaps decoded as ImageMagick decodes them, and handed to ImageSharp as the uncompressed 8-bit
/// bitmap they describe. Runs are written one pixel after another; an end-of-line code goes to the start of the row
/// after the one it ends (counted by end-of-line and delta codes), so pixels a run gave past its row's end (ImageMagick
/// pads every odd-width row so) are written over by the next row; a file that never ends its rows reads on. Pixels no
/// code sets are palette entry 0, as PIL and ImageMagick give them. ImageSharp 2.1 instead carried what a run gave past a
/// row's end into the next row, whose end-of-line code then skipped the rest of it: rows came out shifted or black.
/// The integrity scanner walks the codes with <see cref="Walk"/> too, so its verdict is about these pixels.
/// </summary>
internal static class RleBitmap
{
    private const int RLE8 = 1, RLE4 = 2;

    /// <summary>What a walk of the codes found: the damage, else the first pixel whose index is beyond the colour table (both null when neither).</summary>
    internal readonly record struct WalkResult(string? Damage, string? IndexBeyond);

    /// <summary>
    /// Walks <paramref name="data"/> (the codes from the first) for a bottom-up <paramref name="width"/> x
    /// <paramref name="height"/> bitmap, writing each pixel's index into <paramref name="indices"/> (top-down rows) when
    /// given. Damage: codes that end (without an end-of-bitmap code) before the bitmap's last row is reached and before
    /// every pixel was given, an end-of-bitmap code before any pixel, and one before the last row's end.
    /// </summary>
    public static WalkResult Walk(ReadOnlySpan<byte> data, long width, long height, bool fourBit, long entries, byte[]? indices = null)
    {
        string name = fourBit ? "RLE4" : "RLE8";
        long total = width * height, x = 0, y = 0, reached = 0, past = 0;
        bool anyPixel = false;
        string? beyond = null;
        int p = 0;
        void Put(long column, int value)
        {
            long at = y * width + column; // past the row's end: on into the next, as ImageMagick writes
            if (at >= total)
            {
                past = Math.Max(past, at - total + 1);
                return;
            }
            reached = Math.Max(reached, at + 1);
            long row = height - 1 - at / width;
            if (indices is not null) indices[row * width + at % width] = (byte)value;
            if (beyond is null && value >= entries) beyond = BmpScanner.IndexBeyond(at % width, row, value, entries);
        }
        string Ended() => $"the BMP's {name} data ends in row {Plain.N(Math.Min(height, Math.Max(y, reached / width)) + 1)} of {Plain.N(height)} without an end-of-bitmap marker";
        // Runs that give more than a row (and more than three pixels) past the bitmap's last: a changed run length, which
        // ImageMagick, PIL and netpbm each read differently (netpbm refuses it). A few past the end, as writers pad
        // their last row, are dropped.
        WalkResult Result(string? damage) => new(damage ?? (past > Math.Max(width, 3)
            ? $"the BMP's {name} data gives {Plain.N(past)} pixels past the bitmap's last one (a run longer than the rows it has left)" : null), beyond);

        while (y < height)
        {
            if (data.Length - p < 2) return Result(reached >= total ? null : Ended());
            int first = data[p], second = data[p + 1];
            p += 2;
            if (first != 0)
            {
                // An encoded run: RLE4 alternates the byte's two nibbles from the run's first pixel.
                for (int i = 0; i < first; i++) Put(x + i, fourBit ? (i & 1) == 0 ? second >> 4 : second & 15 : second);
                x += first;
                anyPixel = true;
                continue;
            }
            switch (second)
            {
                case 0: // end of line
                    x = 0;
                    y++;
                    break;
                case 1: // end of bitmap
                    if (!anyPixel) return new($"the BMP's {name} data ends (end-of-bitmap) before it gives a single pixel", beyond);
                    // Before the last row is reached, the rows after are missing: PIL ("not enough image data") and
                    // ImageMagick ("unexpected end-of-file") refuse it, and ImageSharp showed them as palette entry 0.
                    bool complete = reached >= total || y >= height || (y == height - 1 && x >= width);
                    return Result(complete ? null : $"the BMP's {name} data ends (end-of-bitmap) in row {Plain.N(y + 1)} of {Plain.N(height)}, before its last row");
                case 2: // delta: right and up
                    if (data.Length - p < 2) return new(Ended(), beyond);
                    x += data[p];
                    y += data[p + 1];
                    p += 2;
                    break;
                default: // an absolute run of 'second' pixels, its bytes padded to an even number
                    int bytes = fourBit ? (second + 1) / 2 : second;
                    bytes += bytes & 1;
                    if (data.Length - p < bytes) return new(Ended(), beyond);
                    for (int i = 0; i < second; i++) Put(x + i, fourBit ? (i & 1) == 0 ? data[p + i / 2] >> 4 : data[p + i / 2] & 15 : data[p + i]);
                    x += second;
                    p += bytes;
                    anyPixel = true;
                    break;
            }
        }
        return Result(null);
    }

    /// <summary>
    /// For a bottom-up RLE8 or RLE4 bitmap (a header of 40 bytes or more; also the first bitmap of an OS/2 "BA" array,
    /// which ImageSharp reads): a copy with the same headers and colour table whose pixel data is the decoded indices,
    /// uncompressed at 8 bits; <paramref name="file"/> itself for any other bitmap.
    /// </summary>
    public static byte[] ForImageSharp(byte[] file)
    {
        int start = BmpHeader.StartOf(file);
        if (file.Length < start + 54 || file[start] != 'B' || file[start + 1] != 'M') return file;
        // A header cut short leaves no room for pixels after it: handed over as it is, as a pixel offset inside it would be.
        if (BmpHeader.Read(file, start) is not { HeaderSize: >= 40 and <= 124 } bmp) return file;
        int header = bmp.InfoAt, headerSize = bmp.HeaderSize;
        int width = (int)bmp.Width, height = (int)bmp.Height, bits = bmp.BitsPerPixel, compression = bmp.Compression;
        long pixelOffset = bmp.PixelOffset;
        if (width <= 0 || height <= 0 || pixelOffset < header + headerSize || pixelOffset > file.Length) return file;
        if (!(compression == RLE8 && bits == 8) && !(compression == RLE4 && bits == 4)) return file;

        int stride = (width + 3) & ~3;
        long length = pixelOffset + (long)stride * height;
        if (length > Array.MaxLength) return file; // beyond any limit the caller allows: ImageSharp refuses it as it is
        var indices = new byte[width * height];
        Walk(file.AsSpan((int)pixelOffset), width, height, compression == RLE4, long.MaxValue, indices);
        var copy = new byte[length];
        file.AsSpan(0, (int)pixelOffset).CopyTo(copy);
        for (int row = 0; row < height; row++) // bottom-up, as the header's positive height says
            indices.AsSpan((height - 1 - row) * width, width).CopyTo(copy.AsSpan((int)pixelOffset + row * stride));
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(start + 2), (uint)copy.Length);
        if (start > 0) BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(2), (uint)copy.Length);
        BinaryPrimitives.WriteInt16LittleEndian(copy.AsSpan(header + 14), 8);
        BinaryPrimitives.WriteInt32LittleEndian(copy.AsSpan(header + 16), 0); // uncompressed
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(header + 20), (uint)(stride * height));
        // An RLE4 table of unstated length is at most 16 entries, and may be fewer: stated, so that 8 bits a pixel does
        // not make it read as 256 (nor 16 when fewer lie before the pixels, which ImageSharp refuses as reading past them).
        if (compression == RLE4 && BinaryPrimitives.ReadInt32LittleEndian(copy.AsSpan(header + 32)) == 0)
            BinaryPrimitives.WriteInt32LittleEndian(copy.AsSpan(header + 32), (int)Math.Max(1, PaletteEntryCount.Held(pixelOffset - header - headerSize, 4)));
        return copy;
    }
}
