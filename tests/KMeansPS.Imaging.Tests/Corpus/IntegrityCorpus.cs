using KMeansPS.Imaging.Integrity;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Pbm;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tga;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Tiff.Constants;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Corpus;

/// <summary>
/// Valid files of every format the scanner covers, generated at test time from seeded images: with ImageSharp
/// 2.1.13's encoders, and by hand for the layouts its encoders do not make (RLE BMP, big-endian TIFF, BigTIFF,
/// APNG, animated WebP, odd GIFs, PNM variants). Small, so that every truncation of each can be decoded.
/// </summary>
internal static class IntegrityCorpus
{
    private static readonly Lazy<IReadOnlyList<CorpusFile>> s_valid = new(BuildValid);

    /// <summary>Files the scanner must pass as intact.</summary>
    public static IReadOnlyList<CorpusFile> Valid => s_valid.Value;

    private static IReadOnlyList<CorpusFile> BuildValid() =>
        [.. Png(), .. Gif(), .. Bmp(), .. Tga(), .. Tiff(), .. Webp(), .. Pnm(), .. Jpeg()];

    private static readonly Lazy<IReadOnlyList<CorpusFile>> s_large = new(BuildLarge);

    /// <summary>Larger files (tens to hundreds of kilobytes), cut at seeded points rather than at every byte.</summary>
    public static IReadOnlyList<CorpusFile> Large => s_large.Value;

    private static IReadOnlyList<CorpusFile> BuildLarge()
    {
        const int W = 257, H = 193;
        using Image<Rgba32> noisy = CorpusImages.Noisy(W, H, 70, alpha: true);
        using Image<Rgba32> few = CorpusImages.FewColors(W, H, 71, 200);
        using Image<Rgba32> animation = CorpusImages.FewColors(W, H, 72, 100);
        using (Image<Rgba32> second = CorpusImages.FewColors(W, H, 73, 100)) animation.Frames.AddFrame(second.Frames.RootFrame);
        Rgba32[] palette = CorpusImages.Palette(256, 74);
        return
        [
            Encoded("large-png-rgba8", ImageFileFormat.Png, noisy, new PngEncoder { ColorType = PngColorType.RgbWithAlpha }),
            Encoded("large-png-interlaced-rgb16", ImageFileFormat.Png, noisy, new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit16, InterlaceMethod = PngInterlaceMode.Adam7 }),
            Encoded("large-png-palette", ImageFileFormat.Png, few, new PngEncoder { ColorType = PngColorType.Palette }),
            Encoded("large-gif-2-frames", ImageFileFormat.Gif, animation, new GifEncoder(), frames: 2),
            Encoded("large-bmp-24", ImageFileFormat.Bmp, noisy, new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel24 }),
            new("large-bmp-rle8", BmpWriter.Rle(W, H, CorpusImages.Indices(W, H, 75, 256), palette, 8), ImageFileFormat.Bmp, W, H),
            Encoded("large-tga-rle-32", ImageFileFormat.Tga, few, new TgaEncoder { BitsPerPixel = TgaBitsPerPixel.Pixel32, Compression = TgaCompression.RunLength }),
            Encoded("large-tiff-none", ImageFileFormat.Tiff, noisy, new TiffEncoder { Compression = TiffCompression.None }),
            Encoded("large-tiff-lzw", ImageFileFormat.Tiff, noisy, new TiffEncoder { Compression = TiffCompression.Lzw }),
            Encoded("large-webp-lossless", ImageFileFormat.Webp, noisy, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless }),
            Encoded("large-webp-lossy", ImageFileFormat.Webp, noisy, new WebpEncoder { FileFormat = WebpFileFormatType.Lossy }),
            Encoded("large-ppm-binary", ImageFileFormat.Pnm, noisy, new PbmEncoder { Encoding = PbmEncoding.Binary, ColorType = PbmColorType.Rgb }),
            Encoded("large-pgm-plain", ImageFileFormat.Pnm, noisy, new PbmEncoder { Encoding = PbmEncoding.Plain, ColorType = PbmColorType.Grayscale }),
        ];
    }

    public static byte[] Encode(Image image, IImageEncoder encoder)
    {
        using var stream = new MemoryStream();
        image.Save(stream, encoder);
        return stream.ToArray();
    }

    private static CorpusFile Encoded(string name, ImageFileFormat format, Image image, IImageEncoder encoder, int frames = 1) =>
        new(name, Encode(image, encoder), format, image.Width, image.Height, frames);

    private static IEnumerable<CorpusFile> Png()
    {
        const ImageFileFormat F = ImageFileFormat.Png;
        using Image<Rgba32> noisy = CorpusImages.Noisy(33, 21, 1, alpha: true);
        using Image<Rgba32> few = CorpusImages.FewColors(29, 17, 2, 12);
        using Image<Rgba32> two = CorpusImages.FewColors(31, 9, 3, 2);
        using Image<Rgba32> tiny = CorpusImages.Noisy(1, 1, 4);
        using Image<Rgba32> small = CorpusImages.Noisy(7, 5, 5, alpha: true);
        yield return Encoded("png-rgba8-33x21", F, noisy, new PngEncoder { ColorType = PngColorType.RgbWithAlpha });
        yield return Encoded("png-rgb8-33x21", F, noisy, new PngEncoder { ColorType = PngColorType.Rgb });
        yield return Encoded("png-grey8-33x21", F, noisy, new PngEncoder { ColorType = PngColorType.Grayscale });
        yield return Encoded("png-greyalpha8-33x21", F, noisy, new PngEncoder { ColorType = PngColorType.GrayscaleWithAlpha });
        yield return Encoded("png-rgb16-33x21", F, noisy, new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit16 });
        yield return Encoded("png-rgba16-33x21", F, noisy, new PngEncoder { ColorType = PngColorType.RgbWithAlpha, BitDepth = PngBitDepth.Bit16 });
        yield return Encoded("png-grey16-33x21", F, noisy, new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit16 });
        yield return Encoded("png-palette8-29x17", F, few, new PngEncoder { ColorType = PngColorType.Palette, BitDepth = PngBitDepth.Bit8 });
        yield return Encoded("png-palette4-29x17", F, few, new PngEncoder { ColorType = PngColorType.Palette, BitDepth = PngBitDepth.Bit4 });
        yield return Encoded("png-palette1-31x9", F, two, new PngEncoder { ColorType = PngColorType.Palette, BitDepth = PngBitDepth.Bit1 });
        yield return Encoded("png-grey1-31x9", F, two, new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit1 });
        yield return Encoded("png-palette-trns-7x5", F, small, new PngEncoder { ColorType = PngColorType.Palette });
        yield return Encoded("png-interlaced-rgba8-33x21", F, noisy, new PngEncoder { ColorType = PngColorType.RgbWithAlpha, InterlaceMethod = PngInterlaceMode.Adam7 });
        yield return Encoded("png-interlaced-palette4-29x17", F, few, new PngEncoder { ColorType = PngColorType.Palette, BitDepth = PngBitDepth.Bit4, InterlaceMethod = PngInterlaceMode.Adam7 });
        yield return Encoded("png-interlaced-rgb16-7x5", F, small, new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit16, InterlaceMethod = PngInterlaceMode.Adam7 });
        yield return Encoded("png-1x1", F, tiny, new PngEncoder());

        byte[] plain = Encode(noisy, new PngEncoder { ColorType = PngColorType.RgbWithAlpha });
        yield return new("png-idat-in-100-byte-chunks", PngWriter.SplitIdat(plain, 100), F, 33, 21);
        // Valid PNGs may split the image data anywhere, even inside the two-byte zlib header.
        foreach (int size in (int[])[1, 2, 3, 7])
            yield return new($"png-idat-in-{size}-byte-chunks", PngWriter.SplitIdat(plain, size), F, 33, 21);
        yield return new("png-bytes-after-iend", [.. plain, .. "trailing junk"u8.ToArray()], F, 33, 21);
        yield return new("png-text-chunks", PngWriter.Insert(PngWriter.Insert(plain, "IDAT", "tEXt", "Comment\0hello"u8.ToArray()),
            "IDAT", "zTXt", [.. "Comment\0\0"u8.ToArray(), .. PngWriter.Zlib(new byte[5000])]), F, 33, 21);
        yield return new("png-no-iend", plain[..^12], F, 33, 21);
        yield return new("png-empty-idat-inside-run", PngWriter.InterruptedIdat(plain, "IDAT", []), F, 33, 21);
        yield return new("png-apng-3-frames", PngWriter.Animated(Encode(small, new PngEncoder()), 2), F, 7, 5, Frames: 3);
    }

    private static IEnumerable<CorpusFile> Gif()
    {
        const ImageFileFormat F = ImageFileFormat.Gif;
        using Image<Rgba32> few = CorpusImages.FewColors(33, 21, 6, 40);
        using Image<Rgba32> tiny = CorpusImages.FewColors(1, 1, 7, 1);
        yield return Encoded("gif-33x21", F, few, new GifEncoder());
        yield return Encoded("gif-1x1", F, tiny, new GifEncoder());
        using (Image<Rgba32> animation = CorpusImages.FewColors(21, 13, 8, 30))
        {
            for (int f = 1; f < 3; f++)
            {
                using Image<Rgba32> next = CorpusImages.FewColors(21, 13, 8 + f, 30);
                animation.Frames.AddFrame(next.Frames.RootFrame);
            }
            yield return Encoded("gif-3-frames", F, animation, new GifEncoder(), frames: 3);
            yield return Encoded("gif-3-frames-local-tables", F, animation, new GifEncoder { ColorTableMode = GifColorTableMode.Local }, frames: 3);
        }

        Rgba32[] palette = CorpusImages.Palette(16, 9);
        byte[] indices = CorpusImages.Indices(23, 19, 9, 16);
        var whole = new GifWriter.Frame(0, 0, 23, 19, indices);
        byte[] written = GifWriter.Write(23, 19, palette, [whole]);
        yield return new("gif-handmade-23x19", written, F, 23, 19);
        yield return new("gif-no-trailer", written[..^1], F, 23, 19);
        yield return new("gif-bytes-after-trailer", [.. written, .. "junk"u8.ToArray()], F, 23, 19);
        yield return new("gif-interlaced", GifWriter.Write(23, 19, palette, [whole with { Interlaced = true }]), F, 23, 19);
        yield return new("gif-comment", GifWriter.Write(23, 19, palette, [whole], comment: new byte[600]), F, 23, 19);
        yield return new("gif-frame-past-screen", GifWriter.Write(23, 19, palette,
            [whole, new GifWriter.Frame(10, 12, 23, 19, CorpusImages.Indices(23, 19, 10, 16))]), F, 23, 19, Frames: 2);
        yield return new("gif-local-table-only", GifWriter.Write(23, 19, null, [whole with { LocalPalette = palette }]), F, 23, 19);
    }

    private static IEnumerable<CorpusFile> Bmp()
    {
        const ImageFileFormat F = ImageFileFormat.Bmp;
        using Image<Rgba32> noisy = CorpusImages.Noisy(33, 21, 11);
        using Image<Rgba32> few = CorpusImages.FewColors(31, 19, 12, 14);
        foreach (BmpBitsPerPixel bits in new[] { BmpBitsPerPixel.Pixel16, BmpBitsPerPixel.Pixel24, BmpBitsPerPixel.Pixel32 })
            yield return Encoded($"bmp-{(int)bits}-33x21", F, noisy, new BmpEncoder { BitsPerPixel = bits });
        foreach (BmpBitsPerPixel bits in new[] { BmpBitsPerPixel.Pixel1, BmpBitsPerPixel.Pixel4, BmpBitsPerPixel.Pixel8 })
            yield return Encoded($"bmp-{(int)bits}-31x19", F, few, new BmpEncoder { BitsPerPixel = bits });
        yield return Encoded("bmp-32-alpha-v4-header", F, noisy, new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel32, SupportTransparency = true });

        byte[] plain = Encode(noisy, new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel24 });
        yield return new("bmp-bytes-after-pixels", [.. plain, .. new byte[100]], F, 33, 21);
        yield return new("bmp-last-row-padding-missing", plain[..^1], F, 33, 21);
        yield return new("bmp-top-down-24", BmpWriter.TopDown24(33, 21, Rgb(noisy)), F, 33, 21);
        Rgba32[] palette16 = CorpusImages.Palette(16, 13);
        byte[] indices = CorpusImages.Indices(37, 23, 13, 16);
        yield return new("bmp-rle8", BmpWriter.Rle(37, 23, indices, palette16, 8), F, 37, 23);
        yield return new("bmp-rle4", BmpWriter.Rle(37, 23, indices, palette16, 4), F, 37, 23);
        yield return new("bmp-rle8-delta", BmpWriter.Rle(37, 23, indices, palette16, 8, withDelta: true), F, 37, 23);
    }

    private static IEnumerable<CorpusFile> Tga()
    {
        const ImageFileFormat F = ImageFileFormat.Tga;
        using Image<Rgba32> noisy = CorpusImages.Noisy(33, 21, 14, alpha: true);
        using Image<Rgba32> few = CorpusImages.FewColors(35, 19, 15, 6);
        foreach (TgaBitsPerPixel bits in new[] { TgaBitsPerPixel.Pixel8, TgaBitsPerPixel.Pixel16, TgaBitsPerPixel.Pixel24, TgaBitsPerPixel.Pixel32 })
        {
            yield return Encoded($"tga-{(int)bits}-33x21", F, noisy, new TgaEncoder { BitsPerPixel = bits, Compression = TgaCompression.None });
            yield return Encoded($"tga-rle-{(int)bits}-35x19", F, few, new TgaEncoder { BitsPerPixel = bits, Compression = TgaCompression.RunLength });
        }
    }

    private static IEnumerable<CorpusFile> Tiff()
    {
        const ImageFileFormat F = ImageFileFormat.Tiff;
        using Image<Rgba32> noisy = CorpusImages.Noisy(33, 21, 16);
        foreach (TiffCompression compression in new[] { TiffCompression.None, TiffCompression.Deflate, TiffCompression.Lzw, TiffCompression.PackBits })
            yield return Encoded($"tiff-{compression}-33x21", F, noisy, new TiffEncoder { Compression = compression });
        yield return Encoded("tiff-grey8-33x21", F, noisy, new TiffEncoder { BitsPerPixel = TiffBitsPerPixel.Bit8, Compression = TiffCompression.None });
        using (Image<Rgba32> pages = CorpusImages.Noisy(19, 11, 17))
        {
            for (int p = 1; p < 3; p++)
            {
                using Image<Rgba32> next = CorpusImages.Noisy(19, 11, 17 + p);
                pages.Frames.AddFrame(next.Frames.RootFrame);
            }
            yield return Encoded("tiff-3-pages", F, pages, new TiffEncoder { Compression = TiffCompression.None }, frames: 3);
            yield return Encoded("tiff-3-pages-deflate", F, pages, new TiffEncoder { Compression = TiffCompression.Deflate }, frames: 3);
        }

        byte[] rgb = Rgb(noisy);
        var page = new TiffWriter.Page(33, 21, rgb, 5);
        yield return new("tiff-big-endian-strips", TiffWriter.Write([page], bigEndian: true), F, 33, 21);
        yield return new("tiff-little-endian-strips", TiffWriter.Write([page]), F, 33, 21);
        yield return new("tiff-one-strip", TiffWriter.Write([page with { RowsPerStrip = 21 }]), F, 33, 21);
        yield return new("tiff-gaps-between-parts", TiffWriter.Write([page, page], gap: 37), F, 33, 21, Frames: 2);
        yield return new("tiff-big-endian-2-pages", TiffWriter.Write([page, page with { RowsPerStrip = 7 }], bigEndian: true), F, 33, 21, Frames: 2);
        yield return new("tiff-bigtiff", TiffWriter.Write([page], bigTiff: true), F, 33, 21);
        yield return new("tiff-bytes-after", [.. TiffWriter.Write([page]), .. new byte[64]], F, 33, 21);
    }

    private static IEnumerable<CorpusFile> Webp()
    {
        const ImageFileFormat F = ImageFileFormat.Webp;
        using Image<Rgba32> noisy = CorpusImages.Noisy(33, 21, 18);
        using Image<Rgba32> alpha = CorpusImages.Noisy(33, 21, 19, alpha: true);
        yield return Encoded("webp-lossy-33x21", F, noisy, new WebpEncoder { FileFormat = WebpFileFormatType.Lossy });
        yield return Encoded("webp-lossless-33x21", F, noisy, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless });
        yield return Encoded("webp-lossy-alpha-33x21", F, alpha, new WebpEncoder { FileFormat = WebpFileFormatType.Lossy });
        yield return Encoded("webp-lossless-alpha-33x21", F, alpha, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless });
        byte[] lossy = Encode(noisy, new WebpEncoder { FileFormat = WebpFileFormatType.Lossy });
        yield return new("webp-bytes-after-riff", [.. lossy, .. new byte[30]], F, 33, 21);
    }

    private static IEnumerable<CorpusFile> Pnm()
    {
        const ImageFileFormat F = ImageFileFormat.Pnm;
        using Image<Rgba32> noisy = CorpusImages.Noisy(23, 13, 20);
        // ImageSharp 2.1 writes binary PBM rows unpadded (and too short) unless the width is a multiple of 8.
        using Image<Rgba32> bits = CorpusImages.Noisy(24, 13, 20);
        foreach (PbmEncoding encoding in new[] { PbmEncoding.Plain, PbmEncoding.Binary })
        {
            Image<Rgba32> bitmap = encoding == PbmEncoding.Binary ? bits : noisy;
            yield return Encoded($"pbm-{encoding}-{bitmap.Width}x13", F, bitmap, new PbmEncoder { Encoding = encoding, ColorType = PbmColorType.BlackAndWhite });
            yield return Encoded($"pgm-{encoding}-23x13", F, noisy, new PbmEncoder { Encoding = encoding, ColorType = PbmColorType.Grayscale });
            yield return Encoded($"pgm16-{encoding}-23x13", F, noisy, new PbmEncoder { Encoding = encoding, ColorType = PbmColorType.Grayscale, ComponentType = PbmComponentType.Short });
            yield return Encoded($"ppm-{encoding}-23x13", F, noisy, new PbmEncoder { Encoding = encoding, ColorType = PbmColorType.Rgb });
            yield return Encoded($"ppm16-{encoding}-23x13", F, noisy, new PbmEncoder { Encoding = encoding, ColorType = PbmColorType.Rgb, ComponentType = PbmComponentType.Short });
        }
        // By hand: comments, one value per line, 16-bit samples, a second image after the first.
        int[] grey = PnmWriter.Samples('2', 17, 11, 255, 21);
        yield return new("pgm-plain-comment-one-per-line", PnmWriter.Write('2', 17, 11, 255, grey, comment: "made by hand", perLine: 1), F, 17, 11);
        int[] wide = PnmWriter.Samples('3', 17, 11, 1000, 22);
        yield return new("ppm-plain-maxval-1000", PnmWriter.Write('3', 17, 11, 1000, wide), F, 17, 11);
        int[] binary = PnmWriter.Samples('6', 17, 11, 65535, 23);
        for (int i = 0; i < 3; i++) binary[i] = 0x4142; // a first byte that is not whitespace
        yield return new("ppm-binary-16bit", PnmWriter.Write('6', 17, 11, 65535, binary), F, 17, 11);
        byte[] pgm = PnmWriter.Write('5', 17, 11, 255, Fix(PnmWriter.Samples('5', 17, 11, 255, 24)));
        // Netpbm allows several images in a file: each after the first is a frame (refused as one would be lost).
        yield return new("pgm-binary-two-images", [.. pgm, .. pgm], F, 17, 11, Frames: 2);
        yield return new("pgm-binary-p5-junk-after", [.. pgm, (byte)'\n', (byte)'P', (byte)'5', (byte)'\n', 0, 1], F, 17, 11); // no header: not an image
        yield return new("pgm-three-images-plain-between", [.. pgm, (byte)'\n', .. PnmWriter.Write('2', 17, 11, 255, grey), .. pgm], F, 17, 11, Frames: 3);
        yield return new("pbm-binary-handmade", PnmWriter.Write('4', 19, 7, 1, PnmWriter.Samples('4', 19, 7, 1, 25)), F, 19, 7);
    }

    /// <summary>Binary samples whose first byte is not one ImageSharp 2.1 skips as whitespace.</summary>
    private static int[] Fix(int[] samples)
    {
        samples[0] = 77;
        return samples;
    }

    private static IEnumerable<CorpusFile> Jpeg()
    {
        const ImageFileFormat F = ImageFileFormat.Jpeg;
        using Image<Rgba32> noisy = CorpusImages.Noisy(33, 21, 26);
        yield return Encoded("jpeg-420-33x21", F, noisy, new JpegEncoder { ColorType = JpegColorType.YCbCrRatio420 });
        yield return Encoded("jpeg-444-33x21", F, noisy, new JpegEncoder { ColorType = JpegColorType.YCbCrRatio444 });
        yield return Encoded("jpeg-grey-33x21", F, noisy, new JpegEncoder { ColorType = JpegColorType.Luminance });
    }

    /// <summary>8-bit RGB samples of an image, row by row.</summary>
    public static byte[] Rgb(Image<Rgba32> image)
    {
        var rgb = new byte[image.Width * image.Height * 3];
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                Span<Rgba32> row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                {
                    int i = (y * image.Width + x) * 3;
                    (rgb[i], rgb[i + 1], rgb[i + 2]) = (row[x].R, row[x].G, row[x].B);
                }
            }
        });
        return rgb;
    }
}
