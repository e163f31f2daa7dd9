using System.Buffers.Binary;
using System.Numerics;
using KMeansPS.Imaging.Bmp;

namespace KMeansPS.Imaging.Integrity;

/// <summary>
/// BMP: file and info headers of every size ImageSharp 2.1 reads, the colour table, and the pixel data: the exact
/// length for uncompressed and bit-field bitmaps, a walk of the runs for RLE4 and RLE8 (<see cref="RleBitmap.Walk"/>,
/// as the decoder reads them) and OS/2 RLE24.
/// </summary>
/// <remarks>
/// Damage: pixel data shorter than its rows need ("the BMP pixel data ends after 41 of 427 rows"), RLE data that
/// ends before its end-of-bitmap marker while rows remain (and, for RLE24, runs past the last pixel), a colour table
/// or pixel offset past the end, a palette bitmap without a palette, a size of 0, a palette bitmap's pixel whose index
/// names no colour of its table. Tolerated: bytes after the pixel data, a file-size field that disagrees with the
/// file, the last row's padding missing (ImageSharp reads no pixels from it), RLE data that stops at its
/// end-of-bitmap marker or needs no marker because every pixel was given (what RLE leaves undefined is legal: palette
/// entry 0 for RLE8 and RLE4, as PIL and ImageMagick give it), RLE8 and RLE4 runs past the last pixel (dropped, as
/// ImageMagick drops them).
/// </remarks>
internal static class BmpScanner
{
    private const int RGB = 0, RLE8 = 1, RLE4 = 2, BitFields = 3, Jpeg = 4, Png = 5, AlphaBitFields = 6, RLE24 = 100;

    public static IntegrityReport Scan(ReadOnlySpan<byte> file)
    {
        var found = new ScanFindings(ImageFileFormat.Bmp);
        int start = BmpHeader.StartOf(file);
        // An OS/2 bitmap array: ImageSharp reads the first bitmap's header that follows.
        if (start > 0 && (file.Length < 28 || !file[14..].StartsWith("BM"u8))) return found.Unsupported("the BMP is an OS/2 bitmap array without a bitmap in it");
        if (file.Length - start < 18) return found.Damaged("the file ends inside the BMP header");
        int headerSize = BinaryPrimitives.ReadInt32LittleEndian(file[(start + 14)..]);
        if (headerSize is < 12 or > 124 || headerSize is not (12 or 16 or 40 or 52 or 56 or 64 or >= 108))
            return found.Unsupported($"the BMP info header is {Plain.Bytes(headerSize)} long, a variant the decoder does not read");
        if (BmpHeader.Read(file, start) is not { } bmp) return found.Damaged("the file ends inside the BMP header");
        int header = bmp.InfoAt;
        // The pixel offset as a signed number, as ImageSharp 2.1 holds it (one of 2 GiB or more is negative: it skips nothing).
        long pixelOffset = (int)bmp.PixelOffset;
        long width = bmp.Width, height = bmp.Height;
        int bitsPerPixel = bmp.BitsPerPixel, compression = bmp.Compression, colorsUsed = bmp.ColorsUsed;
        if (headerSize == 64)
        {
            // OS/2 2.x numbers its compressions differently; 3 (Huffman 1D) is not read by ImageSharp.
            if (compression == 4) compression = RLE24;
            else if (compression is not (RGB or RLE8 or RLE4)) return found.Unsupported($"the OS/2 BMP uses compression {compression}, which the decoder does not read");
        }
        int planes = bmp.Planes;
        if (planes != 1) return found.Damaged($"the BMP header gives {planes} colour planes, where the format has 1 (ImageMagick and netpbm refuse it)");
        bool topDown = height < 0;
        height = Math.Abs(height);
        found.Width = Math.Max(width, 0);
        found.Height = height;
        if (width <= 0 || height == 0) return found.Damaged($"the BMP header gives a size of {Plain.Size(width, height)}");
        if (width > 65535 || height > 65535) return found.Unsupported($"the BMP is {Plain.Size(width, height)} pixels; the decoder reads at most 65,535 x 65,535");

        // Bit masks follow a 40-byte header for the bit-field compressions.
        long position = header + headerSize;
        if (headerSize == 40 && compression == BitFields) position += 12;
        else if (headerSize == 40 && compression == AlphaBitFields) position += 16;

        // The colour table, sized as ImageSharp sizes it.
        long paletteBytes = 0;
        if (colorsUsed != 0) paletteBytes = 4L * colorsUsed;
        else if (bitsPerPixel is 1 or 2 or 4 or 8) paletteBytes = start == 0 ? pixelOffset - 14 - headerSize : 3L << bitsPerPixel;
        // A 16-byte OS/2 2.x header before a table of other than 2^bits four-byte entries: ImageSharp sizes its entries
        // from the gap (Bmp/PaletteEntryCount states the count for longer headers; this one has no such field).
        if (headerSize == 16 && bitsPerPixel <= 8 && start == 0 && paletteBytes != 4L << bitsPerPixel)
            return found.Unsupported($"the OS/2 BMP's colour table is not 2^{bitsPerPixel} four-byte entries before its pixels, which the decoder library (ImageSharp 2.1) misreads");
        if (paletteBytes > 0 && position + paletteBytes > pixelOffset)
            return found.Damaged("the BMP colour table runs into its pixel data (the colour count or the pixel offset is wrong)");
        if (paletteBytes > 0 && position + paletteBytes > file.Length) return found.Damaged("the file ends inside the BMP colour table");
        if (bitsPerPixel is >= 1 and <= 8 && paletteBytes <= 0 && compression is RGB or RLE8 or RLE4)
            return found.Damaged($"the {bitsPerPixel}-bit BMP has no colour table");
        position += Math.Max(paletteBytes, 0);
        if (pixelOffset > file.Length)
            return found.Damaged($"the BMP pixel data should start at byte {Plain.N(pixelOffset)} but the file has {Plain.Bytes(file.Length)}");
        long pixelStart = Math.Max(position, pixelOffset);

        switch (compression)
        {
            case RGB:
                if (bitsPerPixel is not (1 or 2 or 4 or 8 or 16 or 24 or 32))
                    return found.Unsupported($"the BMP has {bitsPerPixel} bits per pixel, which the decoder does not read");
                IntegrityReport rows = CheckRows(found, file.Length, pixelStart, width, height, bitsPerPixel);
                // A palette bitmap's pixel whose index names no colour of the table: ImageSharp throws "not a valid
                // format", ImageMagick refuses it too; say which pixel.
                long entries = Entries(headerSize, paletteBytes);
                if (rows.Verdict == IntegrityVerdict.Intact && bitsPerPixel <= 8 && entries < 1L << bitsPerPixel
                    && FirstIndexBeyond(file[(int)pixelStart..], width, height, bitsPerPixel, (int)entries, topDown) is string beyond)
                    return found.Damaged(beyond);
                return rows;
            case BitFields or AlphaBitFields:
                if (bitsPerPixel is not (16 or 32))
                    return found.Unsupported($"the bit-field BMP has {bitsPerPixel} bits per pixel, which the decoder does not read");
                if (MisreadMasks(file, header, headerSize, compression, bitsPerPixel) is string masks) return found.Unsupported(masks);
                return CheckRows(found, file.Length, pixelStart, width, height, bitsPerPixel);
            case RLE8 or RLE4 or RLE24:
                int expected = compression switch { RLE8 => 8, RLE4 => 4, _ => 24 };
                if (bitsPerPixel != expected)
                    return found.Damaged($"the BMP is {(compression == RLE8 ? "RLE8" : compression == RLE4 ? "RLE4" : "RLE24")}-compressed but gives {bitsPerPixel} bits per pixel");
                if (topDown) return found.Unsupported("the BMP is RLE-compressed and top-down, which BMP does not allow");
                if (compression == RLE24) return CheckRle24(found, file[(int)pixelStart..], width, height);
                // Walked as ImageMagick reads the codes, which is how ImageSharp is handed the pixels (Bmp/RleBitmap).
                RleBitmap.WalkResult walk = RleBitmap.Walk(file[(int)pixelStart..], width, height, compression == RLE4, Entries(headerSize, paletteBytes));
                return walk.Damage is { } damage ? found.Damaged(damage) : walk.IndexBeyond is { } indexBeyond ? found.Damaged(indexBeyond) : found.Intact();
            case Jpeg or Png:
                return found.Unsupported($"the BMP holds {(compression == Jpeg ? "JPEG" : "PNG")} data, which the decoder does not read");
            default:
                return found.Unsupported($"the BMP uses compression {compression}, which the decoder does not read");
        }
    }

    /// <summary>
    /// Why ImageSharp 2.1 would give a bit-field BMP wrong colours, or null: it scales a 16-bit pixel's channels as if
    /// each had 5 or 6 bits and drops its alpha mask, and leaves channels narrower than 8 bits unscaled at 32 bits, alpha
    /// included (4444 gave 48 for 204, 555 in 32 bits 4 for 33, a 1-bit alpha 1 for 255; ImageMagick and netpbm scale
    /// each channel by its own width).
    /// </summary>
    private static string? MisreadMasks(ReadOnlySpan<byte> file, int header, int headerSize, int compression, int bitsPerPixel)
    {
        // The masks: after a 40-byte header (three, or four with alpha), else inside it (alpha from 56 bytes on).
        int at = header + 40;
        int count = headerSize == 40 ? (compression == AlphaBitFields ? 4 : 3) : headerSize >= 56 ? 4 : 3;
        if (file.Length - at < 4 * count) return null; // cut short: the rows' check says so
        Span<int> width = stackalloc int[4];
        for (int i = 0; i < count; i++) width[i] = BitOperations.PopCount(BinaryPrimitives.ReadUInt32LittleEndian(file[(at + 4 * i)..]));
        bool wrong = bitsPerPixel == 16
            ? width[0] is not (5 or 6) || width[1] is not (5 or 6) || width[2] is not (5 or 6) || width[3] != 0
            : width[0] < 8 || width[1] < 8 || width[2] < 8 || width[3] is > 0 and < 8;
        if (!wrong) return null;
        string alpha = width[3] == 0 ? "" : $", alpha {width[3]}";
        return $"the {bitsPerPixel}-bit BMP's bit-field masks give red, green and blue {width[0]}, {width[1]} and {width[2]} bits{alpha}; the decoder " +
            "library (ImageSharp 2.1) reads 16-bit pixels only as 5 or 6 bits a colour without alpha, and 32-bit pixels only with 8 or more bits a " +
            "colour and alpha, and would give wrong colours";
    }

    /// <summary>The colour table's entries: 4 bytes each from a 40-byte header on, 3 after an OS/2 1.x (12-byte) header; no bound for others.</summary>
    private static long Entries(long headerSize, long paletteBytes) =>
        paletteBytes <= 0 ? 1L << 30 : headerSize >= 40 ? paletteBytes / 4 : headerSize == 12 ? paletteBytes / 3 : 1L << 30;

    /// <summary>Uncompressed rows, each padded to four bytes; the last row's padding may be missing.</summary>
    private static IntegrityReport CheckRows(ScanFindings found, long fileLength, long pixelStart, long width, long height, int bitsPerPixel)
    {
        long rowBits = width * bitsPerPixel;
        long stride = (rowBits + 31) / 32 * 4;
        long needed = stride * (height - 1) + (rowBits + 7) / 8;
        long held = fileLength - pixelStart;
        if (held >= needed) return found.Intact();
        long rows = held / stride;
        if (held <= 0) return found.Damaged($"the BMP holds no pixel data: the header claims {Plain.Size(width, height)} pixels but the file has {Plain.Bytes(fileLength)}");
        return found.Damaged($"the BMP pixel data ends after {Plain.Rows(rows, height)} (it needs {Plain.Bytes(needed)}, the file holds {Plain.N(held)})");
    }

    /// <summary>
    /// Walks OS/2 RLE24 codes as ImageSharp does, by a running pixel index over width x height that end-of-line and
    /// delta codes move forward; done at the end-of-bitmap marker or once the index reaches the last pixel. (RLE8 and
    /// RLE4 take <see cref="RleBitmap.Walk"/>.)
    /// </summary>
    private static IntegrityReport CheckRle24(ScanFindings found, ReadOnlySpan<byte> data, long width, long height)
    {
        long total = width * height, index = 0;
        int p = 0;
        bool anyPixel = false;
        string Ended() => $"the BMP's RLE24 data ends in row {Plain.N(index / width + 1)} of {Plain.N(height)} without an end-of-bitmap marker";
        while (index < total)
        {
            if (data.Length - p < 2) return found.Damaged(Ended());
            int first = data[p], second = data[p + 1];
            p += 2;
            if (first != 0)
            {
                // An encoded run: the three-byte pixel has two more bytes after the count.
                if (data.Length - p < 2) return found.Damaged($"the BMP's RLE24 data ends in row {Plain.N(index / width + 1)} of {Plain.N(height)}");
                p += 2;
                index += first;
                anyPixel = true;
                continue;
            }
            switch (second)
            {
                case 0: // end of line; at the start of a row it moves nothing, as in ImageSharp
                    if (index % width != 0) index = (index / width + 1) * width;
                    break;
                case 1: // end of bitmap
                    return anyPixel ? found.Intact() : found.Damaged("the BMP's RLE24 data ends (end-of-bitmap) before it gives a single pixel");
                case 2: // delta
                    if (data.Length - p < 2) return found.Damaged(Ended());
                    index += data[p] + (long)data[p + 1] * width;
                    p += 2;
                    break;
                default: // absolute run of 'second' pixels, padded to an even number of bytes
                    long bytes = 3L * second;
                    bytes += bytes & 1;
                    if (data.Length - p < bytes) return found.Damaged(Ended());
                    p += (int)bytes;
                    index += second;
                    anyPixel = true;
                    break;
            }
        }
        // ImageSharp writes every run into a buffer of width x height and fails on one that reaches past it.
        return index > total ? found.Damaged($"the BMP's RLE24 data gives more pixels than its {Plain.Size(width, height)} hold") : found.Intact();
    }

    /// <summary>The first pixel of an uncompressed palette bitmap, in file order, whose index is <paramref name="entries"/> or more, as a problem; else null.</summary>
    private static string? FirstIndexBeyond(ReadOnlySpan<byte> data, long width, long height, int bitsPerPixel, int entries, bool topDown)
    {
        long stride = (width * bitsPerPixel + 31) / 32 * 4;
        for (long row = 0; row < height; row++)
        {
            ReadOnlySpan<byte> line = data.Slice((int)(row * stride), (int)Math.Min(stride, data.Length - row * stride));
            for (long x = 0; x < width; x++)
            {
                int index = PackedIndex.At(line, x, bitsPerPixel);
                if (index < entries) continue;
                return IndexBeyond(x, topDown ? row : height - 1 - row, index, entries);
            }
        }
        return null;
    }

    /// <summary>The damage of a palette bitmap's pixel at (<paramref name="x"/>, <paramref name="y"/>) whose index is beyond its table.</summary>
    internal static string IndexBeyond(long x, long y, int index, long entries) =>
        $"the BMP's pixel at ({Plain.N(x)}, {Plain.N(y)}) uses colour index {index}, beyond its colour table of {Plain.N(entries)} " +
        $"colour{(entries == 1 ? "" : "s")}; decoders disagree on its colour";
}
