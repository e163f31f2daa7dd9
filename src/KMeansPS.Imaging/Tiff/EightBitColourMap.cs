using static KMeansPS.Imaging.Tiff.TiffTags;

namespace KMeansPS.Imaging.Tiff;

/// <summary>
/// A palette TIFF whose ColorMap holds no value above 255. TIFF 6.0 gives its entries 16 bits, but old writers put
/// 8-bit values there, and libtiff (tif_getimage.c's checkcmap: "Assuming 8-bit colormap") and ImageMagick read
/// them as such when every entry of the three channels is below 256; ImageSharp 2.1 took them for 16-bit values, a
/// nearly black picture. Its copy has each value times 257, the same level at 16 bits, which it reads back as the
/// 8-bit value (<c>TiffFirstDirectory.Rewritten</c>; a classic TIFF, whose structure the scanner has checked).
/// </summary>
internal static class EightBitColourMap
{
    /// <summary>What the user is told when the map was read as 8-bit values: a phrase to follow the file's name.</summary>
    public const string Warning =
        "The TIFF's ColorMap holds no value above 255, so it was read as 8-bit values, as libtiff (\"Assuming 8-bit colormap\") and ImageMagick read it; as the 16-bit values TIFF 6.0 calls for, the picture would be nearly black.";

    /// <summary>
    /// <paramref name="file"/> itself unless it is a classic palette TIFF whose map holds 8-bit values (then
    /// <paramref name="eightBit"/> is set); else the copy with the map at 16 bits.
    /// </summary>
    public static byte[] AsLibtiffReads(byte[] file, out bool eightBit)
    {
        eightBit = false;
        if (TiffFirstDirectory.Read(file) is not { } directory || directory.Value(Photometric) != 3) return file;
        long bits = directory.Has(BitsPerSample) ? directory.Value(BitsPerSample) ?? 0 : 1;
        if ((directory.Value(SamplesPerPixel) ?? 1) != 1 || bits is < 1 or > 8) return file;
        // libtiff drops a map of any other length ("Incorrect count for field ColorMap"), and checks the 2^bits
        // entries of each channel.
        int entries = 1 << (int)bits;
        if (directory.Count(ColorMap) != 3 * entries) return file;
        var map = new uint[3 * entries];
        for (int i = 0; i < map.Length; i++)
        {
            if (directory.Value(ColorMap, i) is not long value || value > 255) return file;
            map[i] = (uint)value * 257;
        }
        eightBit = true;
        return directory.Rewritten(new Dictionary<ushort, uint[]> { [ColorMap] = map }, []);
    }
}
