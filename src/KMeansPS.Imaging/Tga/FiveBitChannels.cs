using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tga;

/// <summary>
/// The 5-bit channels of a 15 or 16-bit TGA (true-colour pixels, or a colour map's 16-bit entries) at 8 bits as
/// ImageMagick and PIL expand them, v * 255 / 31 rounded down. ImageSharp 2.1 rounds to nearest, so about half the
/// values came out one level above theirs (26: 214 where they give 213).
/// </summary>
internal static class FiveBitChannels
{
    /// <summary>
    /// ImageSharp's 8-bit value to the readers': its 5-bit value back, round(c * 31 / 255) (exact for every
    /// round(v * 255 / 31)), then v * 255 / 31 rounded down.
    /// </summary>
    private static readonly byte[] ReadersValue = Enumerable.Range(0, 256).Select(c => (byte)((c * 31 + 127) / 255 * 255 / 31)).ToArray();

    /// <summary>Whether the file's colours are 5-bit channels: true colour of 15 or 16 bits, or a colour map of 16-bit entries.</summary>
    public static bool Holds(ReadOnlySpan<byte> file) =>
        file.Length >= 18 && (file[2] is 2 or 10 ? file[16] is 15 or 16 : file[1] == 1 && file[2] is 1 or 9 && file[7] == 16);

    /// <summary>Gives <paramref name="pixels"/>, decoded by ImageSharp from <paramref name="file"/>, the readers' values when the file holds 5-bit channels.</summary>
    public static void AsReadersExpand(ReadOnlySpan<byte> file, Span<Rgba32> pixels)
    {
        if (!Holds(file)) return;
        byte[] value = ReadersValue;
        foreach (ref Rgba32 p in pixels)
        {
            p.R = value[p.R];
            p.G = value[p.G];
            p.B = value[p.B];
        }
    }
}
