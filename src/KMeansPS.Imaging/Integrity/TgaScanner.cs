using System.Buffers.Binary;
using KMeansPS.Imaging.Tga;

namespace KMeansPS.Imaging.Integrity;

/// <summary>
/// TGA: the 18-byte header, the image ID and colour map, then the pixels: the exact length when uncompressed, a
/// walk of the packets when run-length encoded.
/// </summary>
/// <remarks>
/// Damage: fewer pixel bytes than width x height x bytes per pixel, RLE packets that end before the last pixel or
/// run past it, a colour map past the end, a size of 0, a colour-mapped pixel whose index names no entry of the map.
/// Unsupported (ImageSharp 2.1 misreads them): a colour map that does not start at entry 0, of 15-bit entries, or
/// indexed by more than 8 bits. Tolerated: anything after the pixels (the TGA 2.0
/// extension area and footer; with a footer, the pixels must end before the areas it points at), RLE packets that run across rows (ImageSharp decodes them as one stream, as ImageMagick does; a run that does is
/// noted for the decode's warning, since PIL refuses it). The sizes
/// are ImageSharp's: a colour map entry takes depth / 8 bytes (rounded down) and a colour-mapped pixel one byte,
/// whatever its declared depth. Any count of attribute bits (the low four bits of byte 17) is read, as ImageMagick and
/// PIL read it (<see cref="TgaAlpha"/>).
/// </remarks>
internal static class TgaScanner
{
    public static IntegrityReport Scan(ReadOnlySpan<byte> file)
    {
        var found = new ScanFindings(ImageFileFormat.Tga);
        if (file.Length < 18) return found.Damaged("the file ends inside the TGA header");
        int idLength = file[0], colorMapType = file[1], imageType = file[2];
        int colorMapStart = BinaryPrimitives.ReadUInt16LittleEndian(file[3..]);
        int colorMapLength = BinaryPrimitives.ReadUInt16LittleEndian(file[5..]);
        int colorMapDepth = file[7];
        int width = BinaryPrimitives.ReadUInt16LittleEndian(file[12..]);
        int height = BinaryPrimitives.ReadUInt16LittleEndian(file[14..]);
        int depth = file[16];
        found.Width = width;
        found.Height = height;
        if (width == 0 || height == 0) return found.Damaged($"the TGA header gives a size of {Plain.Size(width, height)}");
        if (imageType == 0) return found.Unsupported("the TGA says it holds no image data (image type 0)");

        long position = 18L + idLength;
        bool mapped = colorMapType == 1 && imageType is 1 or 9; // a colour-mapped image, read through its map
        // A map the image reads takes depth / 8 bytes an entry, as ImageSharp reads it; one it does not use is left out
        // of ImageSharp's copy (Tga/UnusedColourMap), whole entries of (depth + 7) / 8 bytes, as the format sizes them.
        long colorMapBytes = mapped ? (long)colorMapLength * (colorMapDepth / 8) : UnusedColourMap.MapBytes(colorMapLength, colorMapDepth);
        if (colorMapType == 1 && (colorMapLength == 0 || colorMapDepth / 8 == 0))
            return found.Damaged("the colour-mapped TGA has an empty colour map");
        if (imageType is 1 or 9 && colorMapType != 1)
            return found.Damaged($"the colour-mapped TGA (image type {imageType}) has no colour map");
        if (imageType is 3 or 11 && depth is not (8 or 16))
            return found.Unsupported($"the grey TGA (image type {imageType}) gives {depth} bits per pixel; grey TGAs have 8, or 16 with alpha, and decoders disagree on the rest (grey or colour)");
        if (mapped)
        {
            // What ImageSharp 2.1 misreads in a colour-mapped TGA (libtga and ImageMagick read them).
            if (colorMapStart != 0)
                return found.Unsupported($"the TGA's colour map starts at entry {colorMapStart}; ImageSharp 2.1 reads only colour maps that start at entry 0");
            if (colorMapDepth is not (16 or 24 or 32))
                return found.Unsupported($"the TGA's colour map has {colorMapDepth}-bit entries; ImageSharp 2.1 reads only 16, 24 and 32-bit entries (it makes a 15-bit map transparent black)");
            if (depth != 8)
                return found.Unsupported($"the colour-mapped TGA has {depth}-bit indices; ImageSharp 2.1 reads only 8-bit indices");
        }
        if (file.Length - position < colorMapBytes) return found.Damaged("the file ends inside the TGA colour map");
        position += colorMapBytes;

        int bytesPerPixel;
        if (mapped) bytesPerPixel = 1;
        else if (depth is 8 or 15 or 16 or 24 or 32) bytesPerPixel = (depth + 7) / 8;
        else return found.Unsupported($"the TGA has {depth} bits per pixel, which the decoder does not read");

        long pixels = (long)width * height;
        ReadOnlySpan<byte> data = file[(int)Math.Min(position, file.Length)..PixelDataEnd(file, position)];
        bool runLength = imageType is 9 or 10 or 11;
        // Colour-mapped pixels (one byte each) whose index names no entry of the map: decoders disagree on their colour.
        int entries = mapped ? colorMapLength : int.MaxValue;
        var geometry = new Geometry(width, height, (file[17] & 0x20) != 0, (file[17] & 0x10) != 0);
        if (runLength) return CheckRle(found, data, pixels, width, height, bytesPerPixel, entries, geometry);

        long needed = pixels * bytesPerPixel;
        if (data.Length >= needed)
        {
            if (entries < 256 && data[..(int)needed].IndexOfAnyInRange((byte)entries, byte.MaxValue) is int beyond and >= 0)
                return found.Damaged(IndexBeyond(geometry, beyond, data[beyond], entries));
            return found.Intact();
        }
        if (data.Length == 0) return found.Damaged($"the TGA holds no pixel data: the header claims {Plain.Size(width, height)} pixels but the file has {Plain.Bytes(file.Length)}");
        return found.Damaged($"the TGA pixel data ends after {Plain.Rows(data.Length / ((long)width * bytesPerPixel), height)} (it needs {Plain.Bytes(needed)}, the file holds {Plain.N(data.Length)})");
    }

    /// <summary>Packets: a header byte, then one pixel repeated (top bit set) or that many literal pixels, count = low seven bits + 1.</summary>
    private static IntegrityReport CheckRle(ScanFindings found, ReadOnlySpan<byte> data, long pixels, int width, int height, int bytesPerPixel,
        int entries, Geometry geometry)
    {
        long given = 0;
        int p = 0;
        string? firstBeyond = null;
        while (given < pixels)
        {
            if (p >= data.Length) return ShortRle(found, data.Length, given, width, height);
            int packet = data[p++];
            int count = (packet & 0x7F) + 1;
            long bytes = (packet & 0x80) != 0 ? bytesPerPixel : (long)count * bytesPerPixel;
            if (data.Length - p < bytes) return ShortRle(found, data.Length, given, width, height);
            if ((packet & 0x80) != 0 && given % width + count > width) found.TgaRunAcrossRows = true;
            if (firstBeyond is null && entries < 256 && data.Slice(p, (int)bytes).IndexOfAnyInRange((byte)entries, byte.MaxValue) is int beyond and >= 0)
                firstBeyond = IndexBeyond(geometry, given + ((packet & 0x80) != 0 ? 0 : beyond), data[p + beyond], entries);
            p += (int)bytes;
            given += count;
        }
        // ImageSharp copies every packet into a buffer of width x height pixels and fails on one that reaches past it.
        if (given > pixels) return found.Damaged($"the TGA's run-length data gives more pixels than its {Plain.Size(width, height)} hold");
        return firstBeyond is null ? found.Intact() : found.Damaged(firstBeyond);
    }

    /// <summary>
    /// Where the pixel data must end: before the TGA 2.0 extension and developer areas and the footer when the file ends
    /// with a footer ("TRUEVISION-XFILE.\0" after the two areas' offsets), else at the end of the file. A file cut inside
    /// its pixels with a footer put back after it had the footer's bytes read as pixels.
    /// </summary>
    private static int PixelDataEnd(ReadOnlySpan<byte> file, long position)
    {
        const int footer = 26;
        if (file.Length - footer < position || !file[^18..].SequenceEqual("TRUEVISION-XFILE.\0"u8)) return file.Length;
        long end = file.Length - footer;
        foreach (int at in (ReadOnlySpan<int>)[file.Length - footer, file.Length - footer + 4])
        {
            // An area's offset at or after the pixel data's start bounds it; 0 means there is no such area. An offset
            // to something that is no such area (into the pixels, say, which PIL and ImageMagick then read whole)
            // bounds nothing.
            long area = BinaryPrimitives.ReadUInt32LittleEndian(file[at..]);
            if (area < position || area >= end) continue;
            bool extension = at == file.Length - footer;
            if (extension ? !IsExtensionArea(file, area, file.Length - footer) : !IsDeveloperDirectory(file, area, file.Length - footer)) continue;
            end = area;
        }
        return (int)end;
    }

    /// <summary>The size a TGA 2.0 extension area gives in its first two bytes.</summary>
    private const int ExtensionAreaSize = 495;

    // An extension area starts with its size, 495, and fits before the footer.
    private static bool IsExtensionArea(ReadOnlySpan<byte> file, long area, long footer) =>
        footer - area >= ExtensionAreaSize && BinaryPrimitives.ReadUInt16LittleEndian(file[(int)area..]) == ExtensionAreaSize;

    // A developer directory: a count of tags, then 10 bytes a tag (its number, the offset and size of its data), all
    // before the footer, each tag's data inside the file before it.
    private static bool IsDeveloperDirectory(ReadOnlySpan<byte> file, long area, long footer)
    {
        if (footer - area < 2) return false;
        int tags = BinaryPrimitives.ReadUInt16LittleEndian(file[(int)area..]);
        if (footer - area - 2 < 10L * tags) return false;
        for (int t = 0; t < tags; t++)
        {
            ReadOnlySpan<byte> entry = file.Slice((int)area + 2 + 10 * t, 10);
            long offset = BinaryPrimitives.ReadUInt32LittleEndian(entry[2..]), size = BinaryPrimitives.ReadUInt32LittleEndian(entry[6..]);
            if (offset < 18 || offset + size > footer) return false;
        }
        return true;
    }

    private static IntegrityReport ShortRle(ScanFindings found, int dataLength, long given, int width, int height) =>
        dataLength == 0
            ? found.Damaged($"the TGA holds no pixel data: the header claims {Plain.Size(width, height)} pixels")
            : found.Damaged($"the TGA's run-length data ends after {Plain.Rows(given / width, height)}");

    /// <summary>Where the data's pixels go: rows from the bottom up unless the descriptor says top down, columns left to right unless it says right to left.</summary>
    private readonly record struct Geometry(int Width, int Height, bool TopDown, bool RightToLeft);

    private static string IndexBeyond(Geometry g, long pixel, int index, int entries)
    {
        long column = pixel % g.Width, row = pixel / g.Width;
        long x = g.RightToLeft ? g.Width - 1 - column : column, y = g.TopDown ? row : g.Height - 1 - row;
        return $"the colour-mapped TGA's pixel at ({Plain.N(x)}, {Plain.N(y)}) uses colour index {index}, beyond its colour map of {Plain.N(entries)} entries; decoders disagree on its colour";
    }
}
