using System.Buffers.Binary;

namespace KMeansPS.Imaging.Integrity;

/// <summary>
/// TGA: the 18-byte header, the image ID and colour map, then the pixels: the exact length when uncompressed, a
/// walk of the packets when run-length encoded.
/// </summary>
/// <remarks>
/// Damage: fewer pixel bytes than width x height x bytes per pixel, RLE packets that end before the last pixel or
/// run past it, a colour map past the end, a size of 0. Tolerated: anything after the pixels (the TGA 2.0
/// extension area and footer), RLE packets that run across rows (ImageSharp decodes them as one stream). The sizes
/// are ImageSharp's: a colour map entry takes depth / 8 bytes (rounded down) and a colour-mapped pixel one byte,
/// whatever its declared depth.
/// </remarks>
internal static class TgaScanner
{
    public static IntegrityReport Scan(ReadOnlySpan<byte> file)
    {
        var found = new ScanFindings(ImageFileFormat.Tga);
        if (file.Length < 18) return found.Damaged("the file ends inside the TGA header");
        int idLength = file[0], colorMapType = file[1], imageType = file[2];
        int colorMapLength = BinaryPrimitives.ReadUInt16LittleEndian(file[5..]);
        int colorMapDepth = file[7];
        int width = BinaryPrimitives.ReadUInt16LittleEndian(file[12..]);
        int height = BinaryPrimitives.ReadUInt16LittleEndian(file[14..]);
        int depth = file[16];
        int alphaBits = file[17] & 0x0F;
        found.Width = width;
        found.Height = height;
        if (width == 0 || height == 0) return found.Damaged($"the TGA header gives a size of {Plain.Size(width, height)}");
        if (imageType == 0) return found.Unsupported("the TGA says it holds no image data (image type 0)");
        if (alphaBits is not (0 or 1 or 8)) return found.Unsupported($"the TGA gives {alphaBits} alpha bits, which the decoder does not read");

        long position = 18L + idLength;
        long colorMapBytes = (long)colorMapLength * (colorMapDepth / 8);
        if (colorMapType == 1 && (colorMapLength == 0 || colorMapDepth / 8 == 0))
            return found.Damaged("the colour-mapped TGA has an empty colour map");
        if (file.Length - position < colorMapBytes) return found.Damaged("the file ends inside the TGA colour map");
        position += colorMapBytes;

        int bytesPerPixel;
        if (colorMapType == 1) bytesPerPixel = 1;
        else if (depth is 8 or 15 or 16 or 24 or 32) bytesPerPixel = (depth + 7) / 8;
        else return found.Unsupported($"the TGA has {depth} bits per pixel, which the decoder does not read");

        long pixels = (long)width * height;
        ReadOnlySpan<byte> data = file[(int)Math.Min(position, file.Length)..];
        // With a colour map ImageSharp reads run-length data only for image type 9.
        bool runLength = colorMapType == 1 ? imageType == 9 : imageType is 9 or 10 or 11;
        if (runLength) return CheckRle(found, data, pixels, width, height, bytesPerPixel);

        long needed = pixels * bytesPerPixel;
        if (data.Length >= needed) return found.Intact();
        if (data.Length == 0) return found.Damaged($"the TGA holds no pixel data: the header claims {Plain.Size(width, height)} pixels but the file has {Plain.Bytes(file.Length)}");
        return found.Damaged($"the TGA pixel data ends after {Plain.Rows(data.Length / ((long)width * bytesPerPixel), height)} (it needs {Plain.Bytes(needed)}, the file holds {Plain.N(data.Length)})");
    }

    /// <summary>Packets: a header byte, then one pixel repeated (top bit set) or that many literal pixels, count = low seven bits + 1.</summary>
    private static IntegrityReport CheckRle(ScanFindings found, ReadOnlySpan<byte> data, long pixels, int width, int height, int bytesPerPixel)
    {
        long given = 0;
        int p = 0;
        while (given < pixels)
        {
            if (p >= data.Length) return ShortRle(found, data.Length, given, width, height);
            int packet = data[p++];
            int count = (packet & 0x7F) + 1;
            long bytes = (packet & 0x80) != 0 ? bytesPerPixel : (long)count * bytesPerPixel;
            if (data.Length - p < bytes) return ShortRle(found, data.Length, given, width, height);
            p += (int)bytes;
            given += count;
        }
        // ImageSharp copies every packet into a buffer of width x height pixels and fails on one that reaches past it.
        if (given > pixels) return found.Damaged($"the TGA's run-length data gives more pixels than its {Plain.Size(width, height)} hold");
        return found.Intact();
    }

    private static IntegrityReport ShortRle(ScanFindings found, int dataLength, long given, int width, int height) =>
        dataLength == 0
            ? found.Damaged($"the TGA holds no pixel data: the header claims {Plain.Size(width, height)} pixels")
            : found.Damaged($"the TGA's run-length data ends after {Plain.Rows(given / width, height)}");
}
