using System.Buffers.Binary;
using KMeansPS.Imaging.Integrity;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Gif;

/// <summary>
/// The part of a GIF's logical screen that its (only) frame does not cover: ImageSharp 2.1 makes it opaque black,
/// browsers show it transparent (PIL the background colour), so it is made transparent, as browsers show it.
/// </summary>
internal static class UncoveredScreen
{
    /// <summary>Makes <paramref name="pixels"/> (the screen, row-major) transparent outside the first frame's rectangle.</summary>
    public static void MakeTransparent(ReadOnlySpan<byte> gif, Span<Rgba32> pixels, int screenWidth, int screenHeight)
    {
        if (FirstFrame(gif) is not (int left, int top, int width, int height)) return;
        if (left == 0 && top == 0 && width >= screenWidth && height >= screenHeight) return;
        for (int y = 0; y < screenHeight; y++)
        {
            Span<Rgba32> row = pixels.Slice(y * screenWidth, screenWidth);
            if (y < top || y >= top + height)
            {
                row.Clear();
                continue;
            }
            row[..Math.Min(left, screenWidth)].Clear();
            if (left + width < screenWidth) row[(left + width)..].Clear();
        }
    }

    /// <summary>The first image descriptor's rectangle, or null when the file holds none before its end.</summary>
    internal static (int Left, int Top, int Width, int Height)? FirstFrame(ReadOnlySpan<byte> gif)
    {
        if (gif.Length < 13) return null;
        int p = 13 + GifScanner.TableBytes(gif[10]);
        while (p < gif.Length)
        {
            switch (gif[p])
            {
                case 0x2C:
                    if (gif.Length - p < 10) return null;
                    return (BinaryPrimitives.ReadUInt16LittleEndian(gif[(p + 1)..]), BinaryPrimitives.ReadUInt16LittleEndian(gif[(p + 3)..]),
                        BinaryPrimitives.ReadUInt16LittleEndian(gif[(p + 5)..]), BinaryPrimitives.ReadUInt16LittleEndian(gif[(p + 7)..]));
                case 0x21:
                    p += 2; // introducer and label, then sub-blocks
                    GifScanner.SkipSubBlocks(gif, ref p, out _);
                    break;
                case 0x3B:
                    return null; // the trailer
                default:
                    p++; // a stray byte between blocks, stepped over as the scanner steps over it
                    break;
            }
        }
        return null;
    }
}
