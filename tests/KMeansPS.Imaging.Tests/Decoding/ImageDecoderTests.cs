using System.Buffers.Binary;
using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Metrics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Decoding;

public class ImageDecoderTests
{
    public static TheoryData<string> LosslessFormats => ["png8", "png16", "png16alpha", "bmp", "tiff", "webp-lossless"];

    private static IImageEncoder Encoder(string format) => format switch
    {
        "png8" => new PngEncoder { ColorType = PngColorType.RgbWithAlpha, BitDepth = PngBitDepth.Bit8 },
        "png16" => new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit16 },
        "png16alpha" => new PngEncoder { ColorType = PngColorType.RgbWithAlpha, BitDepth = PngBitDepth.Bit16 },
        "png-grey" => new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit8 },
        "png-grey16" => new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit16 },
        "png-grey-alpha" => new PngEncoder { ColorType = PngColorType.GrayscaleWithAlpha, BitDepth = PngBitDepth.Bit8 },
        "png-palette" => new PngEncoder { ColorType = PngColorType.Palette },
        "bmp" => new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel32 },
        "tiff" => new TiffEncoder(),
        "webp-lossless" => new WebpEncoder { FileFormat = WebpFileFormatType.Lossless },
        "webp-lossy" => new WebpEncoder { FileFormat = WebpFileFormatType.Lossy, Quality = 90 },
        "gif" => new GifEncoder(),
        "jpeg" => new JpegEncoder { Quality = 95 },
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    private static string Save(TempFolder folder, RgbaImage source, string format)
    {
        string path = folder.File("fixture." + format);
        using Image<Rgba32> image = Fixtures.ToImage(source);
        image.Save(path, Encoder(format));
        return path;
    }

    [Theory]
    [MemberData(nameof(LosslessFormats))]
    public void Lossless_formats_decode_exactly(string format)
    {
        using var folder = new TempFolder();
        RgbaImage source = format == "png16" || format == "tiff" ? Fixtures.Gradient(23, 17) : Fixtures.WithTransparency(23, 17);
        if (format == "bmp" || format == "tiff")
        {
            // These encoders drop or premultiply nothing only for opaque pixels; keep the fixture opaque.
            source = Fixtures.Gradient(23, 17);
        }
        RgbaImage decoded = ImageDecoder.Decode(Save(folder, source, format), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(23, decoded.Width);
        Assert.Equal(17, decoded.Height);
        // WebP may drop the hidden colour of fully transparent pixels; that colour is not part of the image.
        Rgba32[] expected = source.Pixels.Select(p => p.A == 0 ? default : p).ToArray();
        Rgba32[] actual = decoded.Pixels.Select(p => p.A == 0 ? default : p).ToArray();
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("jpeg")]
    [InlineData("webp-lossy")]
    [InlineData("png-grey")]
    [InlineData("png-grey16")]
    [InlineData("png-palette")]
    [InlineData("gif")]
    public void Lossy_and_reduced_formats_decode_close_to_the_source(string format)
    {
        using var folder = new TempFolder();
        RgbaImage source = Fixtures.Gradient(40, 24);
        RgbaImage decoded = ImageDecoder.Decode(Save(folder, source, format), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal((40, 24), (decoded.Width, decoded.Height));
        double mse = ImageMetrics.MeanSquaredError(source.Pixels, decoded.Pixels, premultipliedAlpha: false);
        // Grey keeps only luma, so it is far from the colour source but still an image of it.
        Assert.InRange(mse, 0, format.StartsWith("png-grey", StringComparison.Ordinal) ? 5000 : 400);
        Assert.All(decoded.Pixels, p => Assert.Equal(255, p.A));
    }

    [Theory]
    [InlineData("png-grey")]
    [InlineData("png-grey16")]
    [InlineData("png-grey-alpha")]
    public void Grey_png_decodes_to_equal_channels(string format)
    {
        using var folder = new TempFolder();
        RgbaImage source = Fixtures.WithTransparency(16, 16);
        RgbaImage decoded = ImageDecoder.Decode(Save(folder, source, format), cancellationToken: TestContext.Current.CancellationToken);
        Assert.All(decoded.Pixels, p => Assert.True(p.R == p.G && p.G == p.B));
        // Only the grey-with-alpha encoding keeps the transparency.
        Assert.Equal(format == "png-grey-alpha", decoded.HasAlpha());
    }

    [Fact]
    public void A_stream_that_cannot_seek_is_refused()
    {
        using var folder = new TempFolder();
        string path = Save(folder, Fixtures.Gradient(8, 8), "png8");
        using var pipe = new NonSeekable(File.ReadAllBytes(path));
        Assert.Throws<ArgumentException>(() => ImageDecoder.Decode(pipe, cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public void A_file_that_says_it_has_no_bytes_yet_has_content_is_not_called_empty()
    {
        // As a /proc or /sys file reads: length 0, bytes on reading.
        using var kernelFile = new SizeZero("Name:\tpwsh\n"u8.ToArray());
        var error = Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(kernelFile, name: "/proc/self/status",
            cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("size reads as 0 bytes, yet it has content", error.Message, StringComparison.Ordinal);
        using var empty = new MemoryStream();
        error = Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(empty, name: "empty.png", cancellationToken: TestContext.Current.CancellationToken));
        Assert.EndsWith("the file is empty.", error.Message, StringComparison.Ordinal);
    }

    private sealed class SizeZero(byte[] data) : MemoryStream(data)
    {
        public override long Length => 0;
    }

    private sealed class NonSeekable(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }

    public static TheoryData<string> MalformedFiles => ["empty", "truncated-png", "truncated-jpeg", "random", "text", "header-only-png"];

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public void Malformed_files_raise_InvalidImageException(string kind)
    {
        using var folder = new TempFolder();
        string path = folder.File(kind + ".bin");
        File.WriteAllBytes(path, MakeMalformed(folder, kind));
        var ex = Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(path, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(path, ex.FilePath);
        Assert.Contains(path, ex.Message);
    }

    private static byte[] MakeMalformed(TempFolder folder, string kind)
    {
        switch (kind)
        {
            case "empty":
                return [];
            case "random":
            {
                var bytes = new byte[4096];
                new Random(4).NextBytes(bytes);
                return bytes;
            }
            case "text":
                return "This is not an image.\nJust text.\n"u8.ToArray();
            case "truncated-png":
            {
                byte[] png = File.ReadAllBytes(Save(folder, Fixtures.Gradient(64, 64), "png8"));
                return png.AsSpan(0, png.Length / 2).ToArray();
            }
            case "header-only-png":
            {
                byte[] png = File.ReadAllBytes(Save(folder, Fixtures.Gradient(64, 64), "png8"));
                return png.AsSpan(0, 33).ToArray(); // signature + IHDR, no pixel data
            }
            case "truncated-jpeg":
            {
                byte[] jpeg = File.ReadAllBytes(Save(folder, Fixtures.Gradient(64, 64), "jpeg"));
                return jpeg.AsSpan(0, 200).ToArray();
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    [Fact]
    public void Images_over_MaxPixels_are_refused_before_decoding()
    {
        using var folder = new TempFolder();
        string path = Save(folder, Fixtures.Gradient(30, 20), "png8");
        var ex = Assert.Throws<ImageLimitExceededException>(() => ImageDecoder.Decode(path, maxPixels: 599, TestContext.Current.CancellationToken));
        Assert.Equal(30, ex.Width);
        Assert.Equal(20, ex.Height);
        Assert.Equal(599, ex.MaxPixels);
        Assert.Equal(600, ImageDecoder.Decode(path, maxPixels: 600, TestContext.Current.CancellationToken).PixelCount);
    }

    [Fact]
    public void A_missing_file_is_FileNotFoundException()
    {
        using var folder = new TempFolder();
        Assert.Throws<FileNotFoundException>(() => ImageDecoder.Decode(folder.File("missing.png"), cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public void A_large_file_of_no_known_format_is_refused_from_its_first_bytes_without_being_read_whole()
    {
        using var zeros = new CountingZeroStream(1L << 30); // a 1 GiB "image" of zeros
        var error = Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(zeros, name: "zeros.png", cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("the format is not recognised", error.Message, StringComparison.Ordinal);
        Assert.Equal("zeros.png", error.FilePath);
        Assert.True(zeros.BytesRead <= 64, $"{zeros.BytesRead} bytes read");
    }

    /// <summary>A seekable stream of zeros that counts the bytes read from it.</summary>
    private sealed class CountingZeroStream(long length) : Stream
    {
        public long BytesRead { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get; set; }
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override int Read(Span<byte> buffer)
        {
            int n = (int)Math.Min(buffer.Length, length - Position);
            buffer[..n].Clear();
            Position += n;
            BytesRead += n;
            return n;
        }
        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch { SeekOrigin.Begin => offset, SeekOrigin.Current => Position + offset, _ => length + offset };
        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>
    /// A 32-bit BMP with a plain 40-byte header: its fourth byte is alpha unless every pixel's is 0 (then opaque), as
    /// browsers, ImageMagick and ImageSharp read it (Windows and Pillow read such files as opaque), the README says.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_32_bit_BMP_reads_its_fourth_byte_as_alpha_unless_all_are_zero(bool allZero)
    {
        const int width = 5, height = 3;
        var pixels = new byte[width * height * 4];
        for (int i = 0; i < width * height; i++)
        {
            pixels[4 * i] = (byte)(10 * i);          // blue
            pixels[4 * i + 1] = (byte)(200 - 5 * i); // green
            pixels[4 * i + 2] = (byte)(3 * i);       // red
            pixels[4 * i + 3] = allZero ? (byte)0 : (byte)(17 * i);
        }
        byte[] bmp = Corpus.BmpWriter.Assemble(width, -height, 32, 0, [], pixels);
        RgbaImage image = ImageDecoder.Decode(new MemoryStream(bmp), name: "a.bmp", cancellationToken: TestContext.Current.CancellationToken);
        for (int i = 0; i < width * height; i++)
        {
            Rgba32 p = image.Pixels[i];
            Assert.Equal(allZero ? 255 : 17 * i, p.A);
            if (p.A > 0) Assert.Equal(((byte)(3 * i), (byte)(200 - 5 * i), (byte)(10 * i)), (p.R, p.G, p.B));
        }
    }

    /// <summary>
    /// A 32-bit BMP with a version 3, 4 or 5 header (56, 108, 124 bytes): an alpha mask of 0 says the fourth byte is
    /// unused (opaque, as ImageMagick and Pillow read it; most programs write opaque bitmaps so), a fourth byte of 0
    /// everywhere is opaque as with the 40-byte header, and a stated alpha mask with varied values is alpha.
    /// </summary>
    [Theory]
    [InlineData(56, 0, 0u, false)]   // BI_RGB, no alpha mask, fourth byte 0 everywhere ("XRGB")
    [InlineData(108, 0, 0u, false)]
    [InlineData(124, 0, 0u, false)]
    [InlineData(108, 0, 0u, true)]   // BI_RGB, alpha mask 0, the fourth byte varied: still unused
    [InlineData(124, 3, 0u, true)]   // BI_BITFIELDS with masks for R, G, B only
    [InlineData(124, 3, 0xFF000000u, true)]  // an alpha mask, varied alpha: alpha
    [InlineData(124, 3, 0xFF000000u, false)] // an alpha mask, but 0 everywhere: opaque
    public void A_32_bit_BMP_with_a_longer_header_reads_its_fourth_byte_as_its_alpha_mask_says(int header, int compression, uint alphaMask, bool varied)
    {
        const int width = 5, height = 3;
        int offset = 14 + header;
        var file = new byte[offset + width * height * 4];
        "BM"u8.CopyTo(file);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(2), file.Length);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(10), offset);
        Span<byte> info = file.AsSpan(14, header);
        BinaryPrimitives.WriteInt32LittleEndian(info, header);
        BinaryPrimitives.WriteInt32LittleEndian(info[4..], width);
        BinaryPrimitives.WriteInt32LittleEndian(info[8..], -height);
        BinaryPrimitives.WriteInt16LittleEndian(info[12..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(info[14..], 32);
        BinaryPrimitives.WriteInt32LittleEndian(info[16..], compression);
        BinaryPrimitives.WriteInt32LittleEndian(info[20..], width * height * 4);
        BinaryPrimitives.WriteUInt32LittleEndian(info[40..], 0x00FF0000u);
        BinaryPrimitives.WriteUInt32LittleEndian(info[44..], 0x0000FF00u);
        BinaryPrimitives.WriteUInt32LittleEndian(info[48..], 0x000000FFu);
        BinaryPrimitives.WriteUInt32LittleEndian(info[52..], alphaMask);
        if (header >= 108) BinaryPrimitives.WriteUInt32LittleEndian(info[56..], 0x73524742u); // 'sRGB'
        for (int i = 0; i < width * height; i++)
        {
            int p = offset + 4 * i;
            file[p] = (byte)(10 * i);
            file[p + 1] = (byte)(200 - 5 * i);
            file[p + 2] = (byte)(3 * i);
            file[p + 3] = varied ? (byte)(17 * i + 1) : (byte)0;
        }
        RgbaImage image = ImageDecoder.Decode(new MemoryStream(file), name: "a.bmp", cancellationToken: TestContext.Current.CancellationToken);
        bool alpha = alphaMask != 0 && varied;
        for (int i = 0; i < width * height; i++)
        {
            Rgba32 p = image.Pixels[i];
            Assert.Equal(alpha ? 17 * i + 1 : 255, p.A);
            Assert.Equal(((byte)(3 * i), (byte)(200 - 5 * i), (byte)(10 * i)), (p.R, p.G, p.B));
        }
    }

    /// <summary>
    /// A decoder's crash (ImageSharp throws NullReferenceException on some damaged files of every format) reaches the user
    /// as our words naming the file, never the runtime exception's name or text.
    /// </summary>
    [Fact]
    public void ADecoderCrashIsToldInOurWords()
    {
        int[] none = [];
        object text = "x";
        string? nothing = null;
        foreach (Action crashing in (Action[])[() => _ = nothing!.Length, () => _ = none[1], () => _ = (int)text, () => _ = 1 / none.Length])
        {
            Exception crash = Assert.ThrowsAny<Exception>(crashing);
            string message = ImageDecoder.DecoderMessage(crash);
            Assert.DoesNotContain(crash.GetType().Name, message, StringComparison.Ordinal);
            Assert.DoesNotContain(crash.Message, message, StringComparison.Ordinal);
            Assert.Contains("damaged", message, StringComparison.Ordinal);
        }
    }
}
