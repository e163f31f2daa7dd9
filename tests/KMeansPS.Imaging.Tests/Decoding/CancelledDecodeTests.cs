using KMeansPS.Imaging.Decoding;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Pbm;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tga;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Tiff.Constants;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Decoding;

/// <summary>
/// A stop during ImageSharp's decode: the token is cancelled from the read stream's observer when the decoder has read
/// a seeded share of the file, and the decode must end in <see cref="OperationCanceledException"/> (never in an
/// <see cref="InvalidImageException"/>, which would call a stopped file damaged) without reading the rest of the file.
/// </summary>
public sealed class CancelledDecodeTests
{
    /// <summary>Every kind ImageSharp decodes here whose decoder reads the file as it goes.</summary>
    public static TheoryData<string, int> Incremental()
    {
        var data = new TheoryData<string, int>();
        foreach (string kind in new[] { "bmp24", "bmp32", "tga", "tga-rle", "gif", "tiff-none", "tiff-lzw", "tiff-deflate",
                     "tiff16", "png8", "png16", "png-palette", "ppm", "pgm", "ppm-plain" })
            for (int seed = 1; seed <= 3; seed++) data.Add(kind, seed);
        return data;
    }

    /// <summary>WebP: its decoder reads the image data in one piece before decoding it, so only the outcome is checked.</summary>
    public static TheoryData<string, int> ReadAtOnce() => new() { { "webp-lossless", 1 }, { "webp-lossy", 1 } };

    private static IImageEncoder Encoder(string kind) => kind switch
    {
        "bmp24" => new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel24 },
        "bmp32" => new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel32 },
        "tga" => new TgaEncoder { BitsPerPixel = TgaBitsPerPixel.Pixel24, Compression = TgaCompression.None },
        "tga-rle" => new TgaEncoder { BitsPerPixel = TgaBitsPerPixel.Pixel24, Compression = TgaCompression.RunLength },
        "gif" => new GifEncoder(),
        "tiff-none" => new TiffEncoder { Compression = TiffCompression.None, BitsPerPixel = TiffBitsPerPixel.Bit24 },
        "tiff-lzw" => new TiffEncoder { Compression = TiffCompression.Lzw, BitsPerPixel = TiffBitsPerPixel.Bit24 },
        "tiff-deflate" => new TiffEncoder { Compression = TiffCompression.Deflate, BitsPerPixel = TiffBitsPerPixel.Bit24 },
        "tiff16" => new TiffEncoder { Compression = TiffCompression.None, BitsPerPixel = TiffBitsPerPixel.Bit16 },
        "png8" => new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit8 },
        "png16" => new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit16 },
        "png-palette" => new PngEncoder { ColorType = PngColorType.Palette },
        "ppm" => new PbmEncoder { ColorType = PbmColorType.Rgb, Encoding = PbmEncoding.Binary },
        "pgm" => new PbmEncoder { ColorType = PbmColorType.Grayscale, Encoding = PbmEncoding.Binary },
        "ppm-plain" => new PbmEncoder { ColorType = PbmColorType.Rgb, Encoding = PbmEncoding.Plain },
        "webp-lossless" => new WebpEncoder { FileFormat = WebpFileFormatType.Lossless },
        "webp-lossy" => new WebpEncoder { FileFormat = WebpFileFormatType.Lossy },
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>A seeded image of noise over a gradient (runs for the RLE and LZW kinds, little for any to squeeze).</summary>
    private static byte[] File(string kind, int seed)
    {
        var random = new Random(seed);
        using var image = new Image<Rgba32>(480 + 16 * seed, 320);
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                Span<Rgba32> row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                    row[x] = x % 7 < 3
                        ? new Rgba32((byte)(x / 2), (byte)y, 90, 255)
                        : new Rgba32((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), 255);
            }
        });
        using var file = new MemoryStream();
        image.Save(file, Encoder(kind));
        return file.ToArray();
    }

    /// <summary>
    /// Decodes <paramref name="file"/>, cancelling once the decoder has read <paramref name="share"/> of what it was
    /// given (never, for an infinite share: the decode must then succeed); returns how many bytes it had read when it was
    /// cancelled, how many reads returned after that, and how many bytes it read in all.
    /// </summary>
    private static (long CancelledAt, int ReadsAfter, long Read) DecodeCancelledAt(byte[] file, string name, double share)
    {
        using var stop = new CancellationTokenSource();
        long cancelledAt = -1, read = 0;
        int readsAfter = 0;
        CancellableReadStream.ReadObserver = (sum, length) =>
        {
            read = sum;
            if (cancelledAt >= 0) readsAfter++;
            else if (sum >= length * share)
            {
                cancelledAt = sum;
                stop.Cancel();
            }
        };
        try
        {
            if (share > 1) ImageDecoder.Decode(file, ImageDecoder.DefaultMaxPixels, name, stop.Token);
            else Assert.ThrowsAny<OperationCanceledException>(() => ImageDecoder.Decode(file, ImageDecoder.DefaultMaxPixels, name, stop.Token));
        }
        finally
        {
            CancellableReadStream.ReadObserver = null;
        }
        return (cancelledAt, readsAfter, read);
    }

    [Theory]
    [MemberData(nameof(Incremental))]
    public void ACancelledDecodeStopsAtItsNextRead(string kind, int seed)
    {
        byte[] file = File(kind, seed);
        long whole = DecodeCancelledAt(file, $"{kind}-{seed}", double.PositiveInfinity).Read;
        double share = 0.2 + 0.6 * new Random(seed * 31 + kind.Length).NextDouble();
        var (cancelledAt, readsAfter, read) = DecodeCancelledAt(file, $"{kind}-{seed}", share);
        Assert.True(cancelledAt >= 0, $"The decoder of {kind} never read through the cancellable stream.");
        // The read that would have gone on throws instead, so the decode ends before it has read what a whole one reads.
        Assert.Equal(0, readsAfter);
        Assert.True(read < whole, $"{kind}: read {read} bytes, as many as a whole decode ({whole}).");
    }

    [Theory]
    [MemberData(nameof(ReadAtOnce))]
    public void ACancelledWebpDecodeIsACancellationNotADamagedFile(string kind, int seed)
    {
        var (cancelledAt, _, _) = DecodeCancelledAt(File(kind, seed), $"{kind}-{seed}", 0.5);
        Assert.True(cancelledAt >= 0);
    }

    [Theory]
    [MemberData(nameof(Incremental))]
    public void AnUncancelledDecodeGivesImageSharpsPixels(string kind, int seed)
    {
        byte[] file = File(kind, seed);
        RgbaImage decoded = ImageDecoder.Decode(file, ImageDecoder.DefaultMaxPixels, kind, TestContext.Current.CancellationToken);
        using Image<Rgba32> expected = Image.Load<Rgba32>(file);
        var pixels = new Rgba32[expected.Width * expected.Height];
        expected.CopyPixelDataTo(pixels);
        Assert.Equal(pixels, decoded.Pixels[..pixels.Length]);
    }
}
