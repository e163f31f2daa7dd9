using System.Buffers.Binary;

namespace KMeansPS.Imaging.Tga;

/// <summary>
/// A true-colour or grey TGA (image types 2, 3, 10, 11) that carries a colour map anyway, which the format allows and
/// its pixels do not use: ImageSharp 2.1 refuses it ("TGA image does not have a valid format"), while ImageMagick and
/// PIL read the pixels. The copy ImageSharp is handed leaves the map out: whole entries of (depth + 7) / 8 bytes, as the
/// format sizes them (a 15-bit map's entries are 2 bytes), as the integrity scanner counts them too.
/// </summary>
internal static class UnusedColourMap
{
    /// <summary>The bytes of a colour map of <paramref name="length"/> entries of <paramref name="depth"/> bits: whole bytes an entry, as the format sizes them.</summary>
    internal static long MapBytes(int length, int depth) => (long)length * ((depth + 7) / 8);

    /// <summary><paramref name="tga"/> itself unless it is such a file; else the copy without its colour map.</summary>
    public static byte[] Removed(byte[] tga)
    {
        if (tga.Length < 18 || tga[1] != 1 || tga[2] is not (2 or 3 or 10 or 11)) return tga;
        int mapStart = 18 + tga[0];
        long mapBytes = MapBytes(BinaryPrimitives.ReadUInt16LittleEndian(tga.AsSpan(5)), tga[7]);
        if (tga.Length - mapStart < mapBytes) return tga; // cut short: the scanner refuses it
        byte[] copy = [.. tga[..mapStart], .. tga[(mapStart + (int)mapBytes)..]];
        copy[1] = 0;
        copy.AsSpan(3, 5).Clear(); // the map's first entry, length and entry size
        return copy;
    }
}
