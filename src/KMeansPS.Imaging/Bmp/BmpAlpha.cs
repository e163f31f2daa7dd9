using System.Buffers.Binary;

namespace KMeansPS.Imaging.Bmp;

/// <summary>
/// Whether a 32-bit BMP's fourth byte is alpha, decided as browsers and ImageMagick decide it, after ImageSharp has
/// read it as alpha: a header that states an alpha mask of 0 (a version 3, 4 or 5 header: 56, 108 or 124 bytes) says
/// the byte is unused, and a file whose fourth byte is 0 in every pixel is opaque too (an "XRGB" bitmap, which would
/// otherwise be wholly transparent). A version 4 or 5 header with its alpha mask left 0 is how most programs write an
/// opaque 32-bit bitmap; ImageSharp read it as alpha 0 everywhere, so its output was invisible.
/// </summary>
internal static class BmpAlpha
{
    // File header (14 bytes), then the info header: its size, and from offset 28 the bits per pixel.
    private const int InfoStart = 14;
    private const int AlphaMaskAt = InfoStart + 52;

    /// <summary>Makes <paramref name="pixels"/> (decoded from <paramref name="file"/>) opaque where the file's fourth byte is no alpha.</summary>
    internal static void Settle(ReadOnlySpan<byte> file, Span<SixLabors.ImageSharp.PixelFormats.Rgba32> pixels)
    {
        if (file.Length < InfoStart + 16 || !file.StartsWith("BM"u8) || BinaryPrimitives.ReadUInt16LittleEndian(file[(InfoStart + 14)..]) != 32) return;
        uint header = BinaryPrimitives.ReadUInt32LittleEndian(file[InfoStart..]);
        bool maskSaysNone = header >= 56 && file.Length >= AlphaMaskAt + 4 && BinaryPrimitives.ReadUInt32LittleEndian(file[AlphaMaskAt..]) == 0;
        if (!maskSaysNone)
        {
            foreach (SixLabors.ImageSharp.PixelFormats.Rgba32 p in pixels)
                if (p.A != 0) return;
        }
        foreach (ref SixLabors.ImageSharp.PixelFormats.Rgba32 p in pixels) p.A = 255;
    }
}
