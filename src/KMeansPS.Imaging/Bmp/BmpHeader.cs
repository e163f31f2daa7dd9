using System.Buffers.Binary;

namespace KMeansPS.Imaging.Bmp;

/// <summary>
/// The fields of a BMP's file header and info header that the integrity scanner and the copies ImageSharp is handed
/// (<see cref="RleBitmap"/>, <see cref="PaletteEntryCount"/>) go by, read where each layout keeps them: an OS/2 1.x
/// header (12 bytes) holds the size in two 16-bit fields; every longer one (OS/2 2.x, BITMAPINFOHEADER and its
/// versions 2 to 5) in 32-bit fields, with the compression and the colours used from 40 bytes on. Each reader keeps its
/// own rules for which headers it takes; this only says what the bytes hold.
/// </summary>
/// <param name="Start">Where the bitmap's file header starts: 14 in an OS/2 bitmap array (<see cref="StartOf"/>).</param>
/// <param name="PixelOffset">Where the pixel data starts, counted from the start of the file (an array's too).</param>
/// <param name="HeaderSize">The info header's size field.</param>
/// <param name="Width">The width in pixels.</param>
/// <param name="Height">The height in pixels; negative for a top-down bitmap (never, in an OS/2 1.x header).</param>
/// <param name="BitsPerPixel">The bits per pixel.</param>
/// <param name="Planes">The colour planes (1 in any valid bitmap).</param>
/// <param name="Compression">0 (none) when the header is shorter than 40 bytes.</param>
/// <param name="ColorsUsed">0 (as many as the bits allow) when the header is shorter than 40 bytes.</param>
internal readonly record struct BmpHeader(int Start, uint PixelOffset, int HeaderSize, long Width, long Height, int BitsPerPixel, int Planes, int Compression, int ColorsUsed)
{
    /// <summary>Where the info header starts.</summary>
    public int InfoAt => Start + 14;

    /// <summary>Where a bitmap's file header starts: 14 in an OS/2 bitmap array ("BA"), whose first bitmap is the one ImageSharp reads; else 0.</summary>
    public static int StartOf(ReadOnlySpan<byte> file) => file.StartsWith("BA"u8) ? 14 : 0;

    /// <summary>
    /// The headers of the bitmap whose file header starts at <paramref name="start"/> (its signature unchecked), or null
    /// when the file ends before its info header does, or the header's size is no layout (12 bytes, or 16 and more).
    /// </summary>
    public static BmpHeader? Read(ReadOnlySpan<byte> file, int start)
    {
        if (file.Length - start < 18) return null;
        int size = BinaryPrimitives.ReadInt32LittleEndian(file[(start + 14)..]);
        if (size is not (12 or >= 16) || file.Length - (start + 14) < size) return null;
        ReadOnlySpan<byte> info = file.Slice(start + 14, size);
        uint pixelOffset = BinaryPrimitives.ReadUInt32LittleEndian(file[(start + 10)..]);
        if (size == 12)
            return new(start, pixelOffset, size, BinaryPrimitives.ReadUInt16LittleEndian(info[4..]), BinaryPrimitives.ReadUInt16LittleEndian(info[6..]),
                BinaryPrimitives.ReadInt16LittleEndian(info[10..]), BinaryPrimitives.ReadUInt16LittleEndian(info[8..]), 0, 0);
        return new(start, pixelOffset, size, BinaryPrimitives.ReadInt32LittleEndian(info[4..]), BinaryPrimitives.ReadInt32LittleEndian(info[8..]),
            BinaryPrimitives.ReadInt16LittleEndian(info[14..]), BinaryPrimitives.ReadUInt16LittleEndian(info[12..]),
            size >= 40 ? BinaryPrimitives.ReadInt32LittleEndian(info[16..]) : 0, size >= 40 ? BinaryPrimitives.ReadInt32LittleEndian(info[32..]) : 0);
    }
}
