using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Histograms;
using KMeansPS.Imaging.Palettes;
using KMeansPS.Imaging.Provenance;
using KMeansPS.Imaging.Quantization;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Quantization;

public class ImageIntakeTests
{
    private static string Save(TempFolder folder, RgbaImage source, string name, IImageEncoder encoder)
    {
        string path = folder.File(name);
        using Image<Rgba32> image = Fixtures.ToImage(source);
        image.Save(path, encoder);
        return path;
    }

    private static void AssertSameHistogram(ColorHistogram expected, ColorHistogram actual)
    {
        Assert.Equal(expected.Colors, actual.Colors);
        Assert.Equal(expected.Counts, actual.Counts);
        Assert.Equal(expected.PixelColorIndex, actual.PixelColorIndex);
    }

    [Theory]
    [InlineData(PngColorType.Rgb, 1)]
    [InlineData(PngColorType.Rgb, 2)]
    [InlineData(PngColorType.RgbWithAlpha, 2)]
    [InlineData(PngColorType.Grayscale, 3)]
    public void A_png_is_decoded_and_counted_together_exactly_as_apart(PngColorType colorType, int threads)
    {
        using var folder = new TempFolder();
        // Tall enough that the decoder publishes rows in several batches while the histogram counts.
        RgbaImage source = colorType == PngColorType.RgbWithAlpha ? Fixtures.WithTransparency(211, 700) : Fixtures.Gradient(211, 700);
        string path = Save(folder, source, "a.png", new PngEncoder { ColorType = colorType, BitDepth = PngBitDepth.Bit8, FilterMethod = PngFilterMethod.Adaptive });

        ImageIntake.Intake intake = ImageIntake.Read(path, ImageDecoder.DefaultMaxPixels, countColors: true, keepPixelIndexUpTo: long.MaxValue, threads,
            TestContext.Current.CancellationToken);

        RgbaImage reference = ImageDecoder.Decode(path, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(reference.Pixels, intake.Image.Pixels);
        Assert.NotNull(intake.Histogram);
        AssertSameHistogram(ColorHistogram.Build(reference.Pixels, true, 1, TestContext.Current.CancellationToken), intake.Histogram);
    }

    [Theory]
    [InlineData("a.png")]
    [InlineData("a.jpg")]
    public void For_an_output_the_hash_and_length_are_of_the_bytes_decoded(string name)
    {
        using var folder = new TempFolder();
        IImageEncoder encoder = name.EndsWith(".png", StringComparison.Ordinal) ? new PngEncoder() : new JpegEncoder { Quality = 90 };
        string path = Save(folder, Fixtures.Gradient(64, 48), name, encoder);
        byte[] bytes = File.ReadAllBytes(path);
        var ct = TestContext.Current.CancellationToken;

        ImageIntake.Intake forOutput = ImageIntake.Read(path, ImageDecoder.DefaultMaxPixels, true, 0, 2, collectMetadata: true, ct);
        Assert.Equal(OutputMarker.HashBytes(bytes), forOutput.SourceHash);
        Assert.Equal(OutputMarker.HashFile(path, ct), forOutput.SourceHash);
        Assert.Equal(bytes.Length, forOutput.SourceLength);

        ImageIntake.Intake plain = ImageIntake.Read(path, ImageDecoder.DefaultMaxPixels, true, 0, 2, ct);
        Assert.Null(plain.SourceHash);
        Assert.Equal(bytes.Length, plain.SourceLength);
    }

    [Fact]
    public void The_output_marker_records_the_hash_of_the_source_bytes_not_the_template()
    {
        using var folder = new TempFolder();
        string path = Save(folder, Fixtures.Gradient(64, 48), "a.png", new PngEncoder());
        string output = folder.File("a-k8.png");
        var template = new OutputMarker("0.0.0", SourceHash: "", 7, "k=8");
        ImageQuantizer.Quantize(path, output, new QuantizeOptions { K = 8, Seed = 7, Marker = template }, null, TestContext.Current.CancellationToken);

        MarkedFile? marked = OutputMarkerReader.Read(output);
        Assert.NotNull(marked?.Marker);
        Assert.Equal(OutputMarker.HashBytes(File.ReadAllBytes(path)), marked.Marker.SourceHash);
        Assert.Equal(template with { SourceHash = marked.Marker.SourceHash }, marked.Marker);
    }

    [Fact]
    public void The_pixel_index_is_kept_only_up_to_the_limit()
    {
        using var folder = new TempFolder();
        string path = Save(folder, Fixtures.Gradient(40, 30), "a.png", new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit8 });
        var ct = TestContext.Current.CancellationToken;
        Assert.NotNull(ImageIntake.Read(path, ImageDecoder.DefaultMaxPixels, true, 1200, 2, ct).Histogram!.PixelColorIndex);
        Assert.Null(ImageIntake.Read(path, ImageDecoder.DefaultMaxPixels, true, 1199, 2, ct).Histogram!.PixelColorIndex);
        Assert.Null(ImageIntake.Read(path, ImageDecoder.DefaultMaxPixels, false, 1200, 2, ct).Histogram);
    }

    public static TheoryData<string> OtherFormats => ["palette", "png16", "interlaced", "jpeg"];

    [Theory]
    [MemberData(nameof(OtherFormats))]
    public void Other_images_are_decoded_by_imagesharp_and_counted_later(string format)
    {
        using var folder = new TempFolder();
        IImageEncoder encoder = format switch
        {
            "palette" => new PngEncoder { ColorType = PngColorType.Palette },
            "png16" => new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit16 },
            "interlaced" => new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit8, InterlaceMethod = PngInterlaceMode.Adam7 },
            _ => new JpegEncoder { Quality = 90 },
        };
        string path = Save(folder, Fixtures.Gradient(50, 40), "a." + format, encoder);
        ImageIntake.Intake intake = ImageIntake.Read(path, ImageDecoder.DefaultMaxPixels, true, long.MaxValue, 2, TestContext.Current.CancellationToken);
        Assert.Null(intake.Histogram);
        Assert.Equal(ImageDecoder.Decode(path, cancellationToken: TestContext.Current.CancellationToken).Pixels, intake.Image.Pixels);
    }

    /// <summary>Offset of the first IDAT chunk's data.</summary>
    private static int IdatData(byte[] file)
    {
        for (int at = 8; ;)
        {
            int length = (file[at] << 24) | (file[at + 1] << 16) | (file[at + 2] << 8) | file[at + 3];
            if (file[at + 4] == 'I' && file[at + 5] == 'D' && file[at + 6] == 'A' && file[at + 7] == 'T') return at + 8;
            at += 12 + length;
        }
    }

    [Fact]
    public void A_corrupt_png_gets_the_same_error_as_from_imagesharp()
    {
        using var folder = new TempFolder();
        string path = Save(folder, Fixtures.Gradient(64, 64), "a.png", new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit8 });
        byte[] file = File.ReadAllBytes(path);
        file[IdatData(file) + 20] ^= 0x5A; // the IDAT's CRC no longer matches
        File.WriteAllBytes(path, file);
        var ct = TestContext.Current.CancellationToken;
        var expected = Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(path, cancellationToken: ct));
        var actual = Assert.Throws<InvalidImageException>(() => ImageIntake.Read(path, ImageDecoder.DefaultMaxPixels, true, long.MaxValue, 2, ct));
        Assert.Equal(expected.Message, actual.Message);
        Assert.Equal(path, actual.FilePath);
    }

    [Fact]
    public void A_truncated_png_gets_the_same_outcome_as_from_imagesharp()
    {
        using var folder = new TempFolder();
        string path = Save(folder, Fixtures.Gradient(64, 64), "a.png", new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit8 });
        byte[] file = File.ReadAllBytes(path);
        File.WriteAllBytes(path, file[..(IdatData(file) + 100)]);
        var ct = TestContext.Current.CancellationToken;
        Exception? expected = Record.Exception(() => ImageDecoder.Decode(path, cancellationToken: ct));
        Exception? actual = Record.Exception(() => ImageIntake.Read(path, ImageDecoder.DefaultMaxPixels, true, long.MaxValue, 2, ct));
        Assert.Equal(expected?.GetType(), actual?.GetType());
        Assert.Equal(expected?.Message, actual?.Message);
    }

    [Fact]
    public void An_oversized_png_is_refused_before_decoding()
    {
        using var folder = new TempFolder();
        string path = Save(folder, Fixtures.Gradient(64, 50), "a.png", new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit8 });
        var ex = Assert.Throws<ImageLimitExceededException>(() =>
            ImageIntake.Read(path, 64 * 50 - 1, true, long.MaxValue, 2, TestContext.Current.CancellationToken));
        Assert.Equal(path, ex.FilePath);
    }

    [Fact]
    public void Cancellation_stops_the_read()
    {
        using var folder = new TempFolder();
        string path = Save(folder, Fixtures.Gradient(300, 300), "a.png", new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit8 });
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => ImageIntake.Read(path, ImageDecoder.DefaultMaxPixels, true, long.MaxValue, 2, cts.Token));
    }

    [Fact]
    public void Quantizing_a_file_gives_what_quantizing_its_decoded_pixels_gives()
    {
        using var folder = new TempFolder();
        string path = Save(folder, Fixtures.Gradient(160, 120), "a.png", new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit8 });
        var options = new QuantizeOptions { K = 16, Seed = 3 };
        var ct = TestContext.Current.CancellationToken;
        QuantizeResult result = ImageQuantizer.Quantize(path, folder.File("out.png"), options, cancellationToken: ct);
        QuantizedImage expected = ImageQuantizer.Quantize(ImageDecoder.Decode(path, cancellationToken: ct), options, cancellationToken: ct);
        Rgba32[] written = Fixtures.ReadPixels(folder.File("out.png"));
        Assert.Equal(expected.ToPixels(), written);
        Assert.Equal(expected.Fit.Iterations, result.Iterations);
    }
}
