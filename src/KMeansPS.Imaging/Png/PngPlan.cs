using System.Buffers.Binary;
using static KMeansPS.Imaging.Png.PngChunkType;

namespace KMeansPS.Imaging.Png;

/// <summary>What <see cref="TryRead"/> found: the size, the colour type, and where the IDAT run lies.</summary>
/// <param name="Width">Pixels per row, at least 1.</param>
/// <param name="Height">Rows, at least 1.</param>
/// <param name="ColorType">0 grey, 2 RGB, 4 grey+alpha or 6 RGBA.</param>
/// <param name="IdatStart">Offset of the first IDAT chunk (its length field).</param>
/// <param name="IdatEnd">Offset just past the last IDAT chunk's CRC.</param>
/// <param name="BitDepth">8, or 16 (decoded by <see cref="PngWideDecoder"/>, not <see cref="PngFastDecoder"/>).</param>
internal sealed record PngPlan(int Width, int Height, byte ColorType, int IdatStart, int IdatEnd, byte BitDepth = 8)
{
    public int BytesPerPixel => ColorType switch { 0 => 1, 4 => 2, 2 => 3, _ => 4 } * (BitDepth / 8);

    /// <summary>
    /// Reads the chunk layout. Returns null for any file this decoder does not handle exactly as ImageSharp does,
    /// including every malformed one it can detect without inflating; it never throws.
    /// </summary>
    internal static PngPlan? TryRead(ReadOnlySpan<byte> file)
    {
        if (file.Length < 8 + 25 + 12 + 12 || !file[..8].SequenceEqual(PalettePngEncoder.Signature)) return null;
        int width = 0, height = 0, idatStart = -1, idatEnd = -1;
        byte colorType = 0, bitDepth = 8;
        bool sawExif = false;
        int p = 8;
        for (int index = 0; ; index++)
        {
            // A chunk: 4-byte length, 4-byte type, data, 4-byte CRC over type and data.
            if (file.Length - p < 12) return null;
            int length = BinaryPrimitives.ReadInt32BigEndian(file[p..]);
            if (length < 0 || length > file.Length - p - 12) return null;
            uint type = BinaryPrimitives.ReadUInt32BigEndian(file[(p + 4)..]);
            ReadOnlySpan<byte> data = file.Slice(p + 8, length);
            bool critical = (type & 0x20000000) == 0; // upper-case first letter
            if (index == 0 && type != IHDR) return null;
            // IDAT CRCs are checked while inflating; those of the other critical chunks here, as ImageSharp does.
            if (critical && type != IDAT
                && Crc32.Compute(file.Slice(p + 4, length + 4)) != BinaryPrimitives.ReadUInt32BigEndian(file[(p + 8 + length)..]))
                return null;
            switch (type)
            {
                case IHDR:
                    if (index != 0 || length != 13) return null;
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    colorType = data[9];
                    bitDepth = data[8];
                    // Bit depth 8 or 16; compression, filter method and interlace all 0; a 16-bit row's 8 bytes a pixel
                    // within an array.
                    if (bitDepth is not (8 or 16) || width <= 0 || height <= 0 || (long)width * height > Array.MaxLength
                        || width > (int.MaxValue - 64) / (bitDepth / 2) || colorType is not (0 or 2 or 4 or 6) || data[10] != 0 || data[11] != 0 || data[12] != 0)
                        return null;
                    break;
                case IDAT:
                    // ImageSharp 2.1 reads the zlib header straight from the first IDAT, and takes an empty IDAT
                    // for the end of the stream: leave those files to it.
                    if (length == 0) return null;
                    if (idatStart < 0)
                    {
                        if (length < 2) return null;
                        idatStart = p;
                    }
                    else if (idatEnd != p) return null; // IDATs split by another chunk
                    idatEnd = p + 12 + length;
                    break;
                case IEND:
                    if (length != 0 || idatStart < 0) return null;
                    return new PngPlan(width, height, colorType, idatStart, idatEnd, bitDepth);
                case tRNS: // a transparent colour: ImageSharp's business
                    return null;
                case pHYs: // ImageSharp reads 9 bytes without checking
                    if (length < 9) return null;
                    break;
                case eXIf: // a second profile would be merged, which parses both
                    if (sawExif) return null;
                    sawExif = true;
                    break;
                case tEXt:
                    if (IsLegacyExifText(data)) return null;
                    break;
                case iTXt:
                    if (!IsSimpleInternationalText(data)) return null;
                    break;
                case zTXt: // compressed text is inflated by ImageSharp and may fail there
                    return null;
                default:
                    if (critical) return null; // PLTE, or a critical chunk nobody knows
                    break;
            }
            p += 12 + length;
        }
    }

    /// <summary>ImageSharp parses a "Raw profile type exif" text eagerly, and can throw on a bad one.</summary>
    private static bool IsLegacyExifText(ReadOnlySpan<byte> data)
    {
        ReadOnlySpan<byte> keyword = "raw profile type exif"u8;
        int zero = data.IndexOf((byte)0);
        if (zero < 0) return false;
        ReadOnlySpan<byte> name = data[..zero];
        if (name.Length != keyword.Length) return false;
        for (int i = 0; i < name.Length; i++)
            if ((name[i] | 0x20) != keyword[i] && !(keyword[i] == (byte)' ' && name[i] == (byte)' '))
                return false;
        return true;
    }

    /// <summary>
    /// An uncompressed iTXt whose fields ImageSharp can slice without an exception; anything else is left to it.
    /// </summary>
    private static bool IsSimpleInternationalText(ReadOnlySpan<byte> data)
    {
        int keyword = data.IndexOf((byte)0);
        if (keyword < 1 || keyword > 79 || keyword + 2 >= data.Length) return false;
        if (data[keyword + 1] != 0 || data[keyword + 2] != 0) return false;
        ReadOnlySpan<byte> rest = data[(keyword + 3)..];
        int language = rest.IndexOf((byte)0);
        return language >= 0 && rest[(language + 1)..].IndexOf((byte)0) >= 0;
    }
}
