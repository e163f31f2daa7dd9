using System.Buffers.Binary;

namespace KMeansPS.Imaging.Bmp;

/// <summary>
/// A palette bitmap (1, 2, 4 or 8 bits a pixel, an info header of 40 bytes or more) whose colours-used field is 0 and
/// whose colour table, up to the pixel data, is not 2^bits four-byte entries: a shorter table, or a gap after it.
/// ImageSharp 2.1 then takes the bytes before the pixels divided by 2^bits for the size of one entry, so every entry
/// after the first came from the wrong bytes (a 1-bit file with a gap after its two entries gave index 1 a colour from
/// the gap). PIL, ImageMagick and netpbm read four-byte entries from the table's start. The copy ImageSharp is handed
/// states the entries the table holds: 2^bits, or as many whole entries as lie before the pixels when fewer. An OS/2
/// 1.x bitmap, which has no such field, gets its table laid out at its full size instead.
/// </summary>
internal static class PaletteEntryCount
{
    /// <summary><paramref name="file"/> itself when its colour table needs no count; else a copy that states it.</summary>
    public static byte[] Stated(byte[] file)
    {
        int start = BmpHeader.StartOf(file);
        if (file.Length < start + 26 || file[start] != 'B' || file[start + 1] != 'M') return file;
        if (BmpHeader.Read(file, start) is not { } bmp) return file;
        if (bmp.HeaderSize == 12 && start == 0) return Os2Table(file, bmp);
        if (bmp.HeaderSize is < 40 or > 124) return file;
        int header = bmp.InfoAt, bits = bmp.BitsPerPixel;
        if (bits is not (1 or 2 or 4 or 8) || bmp.Compression != 0 || bmp.ColorsUsed != 0) return file;
        long gap = bmp.PixelOffset - (long)(header + bmp.HeaderSize);
        long entries = Held(gap, bits);
        // As ImageSharp reads it, or no table (refused by the scanner); a 2-bit table always stated: unstated, ImageSharp
        // fails on it (NullReferenceException).
        if ((gap == 4L << bits && bits != 2) || entries <= 0) return file;
        byte[] copy = file.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(copy.AsSpan(header + 32), (int)entries);
        return copy;
    }

    /// <summary>The four-byte entries a table of up to 2^<paramref name="bits"/> holds in the <paramref name="gap"/> bytes before the pixels.</summary>
    internal static long Held(long gap, int bits) => Math.Min(1L << bits, gap / 4);

    /// <summary>
    /// An OS/2 1.x bitmap (12-byte header, three-byte entries, no colours-used field) whose table is not 2^bits entries
    /// up to its pixels: the copy holds the entries there are, then zeros up to 2^bits, then the pixels. Indices beyond
    /// the table the scanner refuses, so the zeros are never a pixel's colour.
    /// </summary>
    private static byte[] Os2Table(byte[] file, BmpHeader bmp)
    {
        int bits = bmp.BitsPerPixel;
        if (bits is not (1 or 2 or 4 or 8)) return file;
        const int tableStart = 14 + 12;
        long pixelOffset = bmp.PixelOffset;
        int full = 3 << bits;
        if (pixelOffset == tableStart + full || pixelOffset < tableStart || pixelOffset > file.Length) return file;
        int held = (int)Math.Min(full, (pixelOffset - tableStart) / 3 * 3);
        byte[] copy = [.. file.AsSpan(0, tableStart + held), .. new byte[full - held], .. file.AsSpan((int)pixelOffset)];
        BinaryPrimitives.WriteInt32LittleEndian(copy.AsSpan(2), copy.Length);
        BinaryPrimitives.WriteInt32LittleEndian(copy.AsSpan(10), tableStart + full);
        return copy;
    }
}
