using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging;

/// <summary>A decoded image: straight (not premultiplied) 8-bit RGBA pixels, row-major, no padding.</summary>
public sealed class RgbaImage
{
    public RgbaImage(int width, int height, Rgba32[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.Length != (long)width * height)
            throw new ArgumentException($"Expected {(long)width * height} pixels, got {pixels.Length}.", nameof(pixels));
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }
    public int Height { get; }
    public Rgba32[] Pixels { get; }
    public long PixelCount => Pixels.LongLength;

    /// <summary>True when some pixel has alpha below 255.</summary>
    public bool HasAlpha()
    {
        foreach (Rgba32 p in Pixels)
            if (p.A != 255) return true;
        return false;
    }
}
