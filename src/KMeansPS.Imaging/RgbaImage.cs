using System.Numerics;
using System.Runtime.InteropServices;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging;

/// <summary>
/// A decoded image: straight (not premultiplied) 8-bit RGBA pixels, row-major, no padding; for a source with more
/// precision than that (16-bit PNG or TIFF), also its pixels at 16 bits a channel (<see cref="Wide"/>).
/// </summary>
internal sealed class RgbaImage
{
    public RgbaImage(int width, int height, Rgba32[] pixels) : this(width, height, pixels, null)
    {
    }

    /// <param name="width">Columns.</param>
    /// <param name="height">Rows.</param>
    /// <param name="pixels">The pixels at 8 bits a channel (each channel of <paramref name="wide"/> rounded, when given).</param>
    /// <param name="wide">The pixels at 16 bits a channel, or null when 8 bits hold the source exactly.</param>
    public RgbaImage(int width, int height, Rgba32[] pixels, Rgba64[]? wide)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.Length != (long)width * height)
            throw new ArgumentException($"Expected {(long)width * height} pixels, got {pixels.Length}.", nameof(pixels));
        if (wide is not null && wide.Length != pixels.Length)
            throw new ArgumentException($"Expected {pixels.Length} wide pixels, got {wide.Length}.", nameof(wide));
        Width = width;
        Height = height;
        Pixels = pixels;
        Wide = wide;
    }

    /// <summary>
    /// The image of 16-bit pixels (<paramref name="wide"/>, of exactly width x height elements, then owned by the
    /// image): each channel rounded to 8 bits as ImageSharp rounds it, and <see cref="Wide"/> kept only when some
    /// visible pixel needs more (else <paramref name="wide"/> goes back to <see cref="LargeBufferCache"/>).
    /// </summary>
    public static RgbaImage FromWide(int width, int height, Rgba64[] wide)
    {
        ArgumentNullException.ThrowIfNull(wide);
        Rgba32[] pixels = LargeBufferCache.Rent<Rgba32>(wide.Length);
        bool exact = true;
        for (int i = 0; i < wide.Length; i++)
        {
            Rgba64 c = wide[i];
            pixels[i] = ColorSpaces.WideColor.Rounded(c);
            exact &= ColorSpaces.WideColor.FitsEightBits(c);
        }
        if (!exact) return new RgbaImage(width, height, pixels, wide);
        LargeBufferCache.Return(wide);
        return new RgbaImage(width, height, pixels);
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>
    /// What the decoder read past but the caller should be told (a JPEG's data that no block used, which libjpeg calls
    /// corrupt): a phrase to follow the file's name, or null.
    /// </summary>
    public string? DecodeWarning { get; set; }
    public Rgba32[] Pixels { get; }
    public long PixelCount => Pixels.LongLength;

    /// <summary>
    /// The source's pixels at 16 bits a channel when it holds values 8 bits cannot (some channel of a visible pixel
    /// is not a multiple of 257), else null. Then the palette is mapped, and the error measured, at this precision:
    /// <see cref="Pixels"/> alone would make pixels that round alike one colour and measure against the rounding.
    /// </summary>
    public Rgba64[]? Wide { get; }

    /// <summary>True when some pixel has alpha below full (255, or 65535 in <see cref="Wide"/>).</summary>
    public bool HasAlpha()
    {
        if (Wide is not null) return ColorSpaces.WideColor.HasAlpha(Wide);
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
