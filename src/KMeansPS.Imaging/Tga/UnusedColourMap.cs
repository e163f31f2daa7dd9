using System.Buffers.Binary;

namespace KMeansPS.Imaging.Tga;

/// <summary>
/// A true-colour or grey TGA (image types 2, 3, 10, 11) that carries a colour map anyway, which the format allows and
/// its pixels do not use: ImageSharp 2.1 refuses it ("TGA image does not have a valid format"), while ImageMagick and
/// PIL read the pixels. The copy ImageSharp is handed leaves the map out. Maps of 16, 24 or 32-bit entries only, whose
/// length every reader counts alike (the integrity scanner's too).
/// </summary>
internal static class UnusedColourMap
{
    /// <summary><paramref name="tga"/> itself unless it is such a file; else the copy without its colour map.</summary>
    public static byte[] Removed(byte[] tga)
    {
        if (tga.Length < 18 || tga[1] != 1 || tga[2] is not (2 or 3 or 10 or 11) || tga[7] is not (16 or 24 or 32)) return tga;
        int mapStart = 18 + tga[0];
        long mapBytes = (long)BinaryPrimitives.ReadUInt16LittleEndian(tga.AsSpan(5)) * (tga[7] / 8);
        if (tga.Length - mapStart < mapBytes) return tga; // cut short: the scanner refuses it
        byte[] copy = [.. tga[..mapStart], .. tga[(mapStart + (int)mapBytes)..]];
        copy[1] = 0;
        copy.AsSpan(3, 5).Clear(); // the map's first entry, length and entry size
        return copy;
    }
}
