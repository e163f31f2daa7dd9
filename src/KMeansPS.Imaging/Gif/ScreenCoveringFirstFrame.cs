using System.Buffers.Binary;

namespace KMeansPS.Imaging.Gif;

/// <summary>
/// A GIF whose first frame reaches past its logical screen (an encoder that leaves the screen at an old size, a frame
/// offset too far): the screen is widened to cover the frame, as PIL widens it, so no pixel of the frame is lost.
/// ImageSharp 2.1 crops the frame to the screen without a word, and throws on an interlaced frame past its bottom.
/// Browsers widen it too when the frame is larger than the screen; the screen the frame does not cover is made
/// transparent by <see cref="UncoveredScreen"/>.
/// </summary>
internal static class ScreenCoveringFirstFrame
{
    /// <summary>The largest side a GIF header can state.</summary>
    public const int MaxSide = ushort.MaxValue;

    /// <summary>
    /// The screen's size once it covers the first frame (the header's size when it covers it already, or when the file
    /// holds no whole frame descriptor). A side may exceed <see cref="MaxSide"/>, which no GIF header can state.
    /// </summary>
    public static (int Width, int Height) Size(ReadOnlySpan<byte> gif)
    {
        if (gif.Length < 10) return (0, 0);
        int width = BinaryPrimitives.ReadUInt16LittleEndian(gif[6..]), height = BinaryPrimitives.ReadUInt16LittleEndian(gif[8..]);
        if (UncoveredScreen.FirstFrame(gif) is not (int left, int top, int frameWidth, int frameHeight)) return (width, height);
        return (Math.Max(width, left + frameWidth), Math.Max(height, top + frameHeight));
    }

    /// <summary><paramref name="gif"/> itself when its screen covers the first frame; else a copy whose header states the covering size.</summary>
    public static byte[] Covering(byte[] gif)
    {
        if (gif.Length < 13) return gif;
        (int width, int height) = Size(gif);
        if (width > MaxSide || height > MaxSide) return gif; // refused by the scanner before this
        if (width == BinaryPrimitives.ReadUInt16LittleEndian(gif.AsSpan(6)) && height == BinaryPrimitives.ReadUInt16LittleEndian(gif.AsSpan(8))) return gif;
        byte[] copy = gif.ToArray();
        BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(6), (ushort)width);
        BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(8), (ushort)height);
        return copy;
    }
}
