using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Decoding;

/// <summary>
/// Reads any format ImageSharp 2.1 decodes (JPEG, PNG of every bit depth and colour type, BMP, GIF, TIFF, WebP,
/// TGA, PBM) into straight 8-bit RGBA. The header is read first so an oversized image is refused before its
/// pixels are allocated.
/// </summary>
internal static class ImageDecoder
{
    /// <summary>256 megapixels: a 16384 x 16384 image, 1 GiB of RGBA.</summary>
    public const long DefaultMaxPixels = 256L * 1024 * 1024;

    /// <summary>
    /// ImageSharp's default allocator keeps freed buffers in a pool for reuse; we copy the pixels out once, so a
    /// non-pooling allocator returns the decoder's memory as soon as the image is disposed.
    /// </summary>
    private static readonly Configuration DecoderConfiguration = CreateConfiguration();

    private static Configuration CreateConfiguration()
    {
        Configuration configuration = Configuration.Default.Clone();
        configuration.MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions { MaximumPoolSizeMegabytes = 0 });
        return configuration;
    }

    /// <summary>Decodes <paramref name="path"/>. I/O failures surface as <see cref="IOException"/> (ReadError).</summary>
    /// <exception cref="InvalidImageException">Empty, truncated, corrupt or unrecognised file.</exception>
    /// <exception cref="ImageLimitExceededException">More than <paramref name="maxPixels"/> pixels.</exception>
    public static RgbaImage Decode(string path, long maxPixels = DefaultMaxPixels, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Decode(stream, maxPixels, path, cancellationToken);
    }

    /// <summary>Decodes a seekable stream; <paramref name="name"/> is only used in messages.</summary>
    public static RgbaImage Decode(Stream stream, long maxPixels = DefaultMaxPixels, string? name = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPixels);
        if (!stream.CanSeek)
            throw new ArgumentException("The stream must be seekable (the header is read before the pixels).", nameof(stream));
        cancellationToken.ThrowIfCancellationRequested();
        string label = name ?? "the stream";
        long start = stream.Position;
        if (stream.Length - start == 0)
            throw new InvalidImageException($"Cannot read '{label}' as an image: the file is empty.") { FilePath = name };

        IImageInfo? info;
        IImageFormat? format;
        try
        {
            info = Image.Identify(DecoderConfiguration, stream, out format);
        }
        catch (Exception ex) when (IsDecoderFailure(ex))
        {
            throw Invalid(label, name, ex);
        }
        if (info is null || format is null)
            throw new InvalidImageException($"Cannot read '{label}' as an image: the format is not recognised (JPEG, PNG, BMP, GIF, TIFF, WebP, TGA and PBM are read).") { FilePath = name };
        CheckLimit(info.Width, info.Height, maxPixels, label, name);

        cancellationToken.ThrowIfCancellationRequested();
        stream.Position = start;
        Image<Rgba32> image;
        try
        {
            image = Image.Load<Rgba32>(DecoderConfiguration, stream);
        }
        catch (Exception ex) when (IsDecoderFailure(ex))
        {
            throw Invalid(label, name, ex);
        }
        using (image)
        {
            // The frame may differ from the header (a GIF's logical screen, say): check again before copying.
            CheckLimit(image.Width, image.Height, maxPixels, label, name);
            Rgba32[] pixels = LargeBufferCache.Rent<Rgba32>(image.Width * image.Height);
            image.CopyPixelDataTo(pixels);
            cancellationToken.ThrowIfCancellationRequested();
            return new RgbaImage(image.Width, image.Height, pixels);
        }
    }

    internal static void CheckLimit(long width, long height, long maxPixels, string label, string? name)
    {
        if (width <= 0 || height <= 0)
            throw new InvalidImageException($"Cannot read '{label}' as an image: its header gives a size of {width} x {height}.") { FilePath = name };
        long pixels = width * height;
        // Arrays of Rgba32 are indexed by int: refuse what cannot be held even if the caller allows more.
        if (pixels > maxPixels || pixels > Array.MaxLength)
            throw new ImageLimitExceededException(
                $"'{label}' is {width} x {height} = {pixels:N0} pixels, more than the limit of {Math.Min(maxPixels, Array.MaxLength):N0}.",
                width, height, maxPixels) { FilePath = name };
    }

    private static bool IsDecoderFailure(Exception ex) =>
        ex is ImageFormatException or NotSupportedException or InvalidDataException or EndOfStreamException
            or IndexOutOfRangeException or ArgumentException or InvalidOperationException or OverflowException;

    private static InvalidImageException Invalid(string label, string? name, Exception inner) =>
        new($"Cannot read '{label}' as an image: {inner.Message}", inner) { FilePath = name };
}
