using System.Numerics;
using System.Runtime.InteropServices;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging;

/// <summary>A decoded image: straight (not premultiplied) 8-bit RGBA pixels, row-major, no padding.</summary>
internal sealed class RgbaImage
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
        // Alpha is the top byte of the packed little-endian pixel: compare a vector of pixels at a time.
        ReadOnlySpan<uint> packed = MemoryMarshal.Cast<Rgba32, uint>(Pixels);
        var alphaMask = new Vector<uint>(0xFF000000u);
        int i = 0;
        for (; i + Vector<uint>.Count <= packed.Length; i += Vector<uint>.Count)
        {
            if (!Vector.EqualsAll(new Vector<uint>(packed.Slice(i, Vector<uint>.Count)) & alphaMask, alphaMask)) return true;
        }
        for (; i < packed.Length; i++)
            if (packed[i] < 0xFF000000u) return true;
        return false;
    }
}
