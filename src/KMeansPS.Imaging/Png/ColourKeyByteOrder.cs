using System.Buffers.Binary;

namespace KMeansPS.Imaging.Png;

/// <summary>
/// ImageSharp 2.1 reads the transparent colour key (tRNS) of a 16-bit grey or RGB PNG little-endian, where PNG stores
/// it big-endian: it makes the pixels of the byte-swapped value transparent and leaves the key's own pixels opaque
/// (libpng, browsers and PIL do what the file says; a key whose two bytes are equal, such as 0xFFFF, hides it). Before
/// ImageSharp reads such a file it gets a copy whose key has each sample's two bytes swapped (and the chunk's CRC
/// recomputed), which it reads as the key the file holds.
/// </summary>
internal static class ColourKeyByteOrder
{
    private const uint Ihdr = 0x49484452, Trns = 0x74524E53, Idat = 0x49444154;

    /// <summary>The copy for ImageSharp, or <paramref name="png"/> itself when it is not a 16-bit grey or RGB PNG with a key before its image data.</summary>
    public static byte[] ForImageSharp(byte[] png)
    {
        ArgumentNullException.ThrowIfNull(png);
        if (png.Length < 8 + 25 || BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(12)) != Ihdr) return png;
        byte bitDepth = png[8 + 8 + 8], colorType = png[8 + 8 + 9];
        int keyLength = colorType == 0 ? 2 : colorType == 2 ? 6 : 0;
        if (bitDepth != 16 || keyLength == 0) return png;
        for (int p = 8; p + 12 <= png.Length;)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(p));
            uint type = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(p + 4));
            if (length > int.MaxValue || p + 12L + length > png.Length || type == Idat) return png;
            if (type == Trns)
            {
                if (length != keyLength) return png; // not a key ImageSharp reads as one: left as it is
                byte[] copy = (byte[])png.Clone();
                Span<byte> key = copy.AsSpan(p + 8, keyLength);
                for (int i = 0; i < keyLength; i += 2) (key[i], key[i + 1]) = (key[i + 1], key[i]);
                BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(p + 8 + keyLength), Crc32.Compute(copy.AsSpan(p + 4, 4 + keyLength)));
                return copy;
            }
            p += 12 + (int)length;
        }
        return png;
    }
}
