using System.Runtime.InteropServices;
using System.Security.Cryptography;
using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Jpeg;
using KMeansPS.Imaging.Quantization;
using KMeansPS.Imaging.Tests.Integrity;
using KMeansPS.Imaging.Tests.Jpeg;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Decoding;

/// <summary>
/// JPEG on the decode path (ImageDecoder, ImageIntake) is our exact-integer decoder: its pixels hash the same as
/// the scalar reference kernels' and as <c>djpeg -dct int</c>'s, on whatever instruction set this leg runs (the
/// build runs this project once per x64 width, and the ARM64 script under qemu), for every sampling, progressive
/// and restart-interval files. EXIF orientation is applied.
/// </summary>
public sealed class JpegDecodePathTests
{
    public static TheoryData<string> Variants() => ["420", "422", "444", "440", "grey", "progressive-420", "restart-420", "imagesharp-420", "odd-size-420"];

    private static byte[] MakeJpeg(string variant)
    {
        RgbaImage photo = variant == "odd-size-420" ? JpegSamples.Photo(61, 37, seed: 7) : JpegSamples.Photo(96, 72, seed: 5);
        return variant switch
        {
            "420" or "odd-size-420" => LibjpegTools.Cjpeg(photo, "-quality 85 -sample 2x2"),
            "422" => LibjpegTools.Cjpeg(photo, "-quality 85 -sample 2x1"),
            "444" => LibjpegTools.Cjpeg(photo, "-quality 85 -sample 1x1"),
            "440" => LibjpegTools.Cjpeg(photo, "-quality 85 -sample 1x2"),
            "grey" => LibjpegTools.Cjpeg(photo, "-quality 85", grey: true),
            "progressive-420" => LibjpegTools.Cjpeg(photo, "-quality 85 -sample 2x2 -progressive"),
            "restart-420" => LibjpegTools.Cjpeg(photo, "-quality 85 -sample 2x2 -restart 1"),
            "imagesharp-420" => JpegSamples.ImageSharpJpeg(photo, JpegColorType.YCbCrRatio420),
            _ => throw new ArgumentOutOfRangeException(nameof(variant)),
        };
    }

    internal static string Hash(Rgba32[] pixels) => Convert.ToHexString(SHA256.HashData(MemoryMarshal.AsBytes(pixels.AsSpan())));

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_decode_path_gives_the_scalar_reference_and_djpeg_pixels(string variant)
    {
        byte[] jpeg = MakeJpeg(variant);
        using var folder = new TempFolder();
        string path = folder.File(variant + ".jpg");
        File.WriteAllBytes(path, jpeg);
        CancellationToken token = TestContext.Current.CancellationToken;

        string scalar = Hash(JpegSamples.Decode(jpeg, JpegKernel.Scalar));
        Rgba32[] reference = LibjpegTools.Djpeg(jpeg, out int width, out int height);
        Assert.Equal(scalar, Hash(reference));

        RgbaImage decoded = ImageDecoder.Decode(path, cancellationToken: token);
        Assert.Equal((width, height), (decoded.Width, decoded.Height));
        Assert.Equal(scalar, Hash(decoded.Pixels[..(width * height)]));

        ImageIntake.Intake intake = ImageIntake.Read(path, ImageDecoder.DefaultMaxPixels, countColors: true, keepPixelIndexUpTo: long.MaxValue, threads: 2, token);
        Assert.Equal(scalar, Hash(intake.Image.Pixels[..(width * height)]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void EXIF_orientation_is_applied(int orientation)
    {
        RgbaImage photo = JpegSamples.Photo(40, 24, seed: 9);
        using Image<Rgba32> image = Fixtures.ToImage(photo);
        image.Metadata.ExifProfile = new ExifProfile();
        image.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)orientation);
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream);
        byte[] jpeg = stream.ToArray();

        RgbaImage stored = new(40, 24, JpegSamples.Decode(jpeg));
        RgbaImage expected = ExifOrientationTransform.Apply(stored, orientation);
        RgbaImage decoded = ImageDecoder.Decode(new MemoryStream(jpeg), name: "oriented.jpg", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal((expected.Width, expected.Height), (decoded.Width, decoded.Height));
        Assert.Equal(orientation >= 5 ? (24, 40) : (40, 24), (decoded.Width, decoded.Height));
        Assert.Equal(Hash(expected.Pixels), Hash(decoded.Pixels[..(decoded.Width * decoded.Height)]));
    }

    /// <summary>
    /// The kinds neither decoder is meant to read are refused with our decoder's words, though ImageSharp reads some of
    /// them (12-bit frames, which it decoded and the module wrote): djpeg refuses them, and the README says so.
    /// </summary>
    [Theory]
    [InlineData(0xC0, 12, "12-bit JPEG is not supported")]
    [InlineData(0xC2, 12, "12-bit JPEG is not supported")]
    [InlineData(0xC0, 16, "16-bit JPEG is not supported")]
    [InlineData(0xC3, 8, "lossless JPEG (SOF3) is not supported")]
    [InlineData(0xC9, 8, "arithmetic-coded JPEG is not supported")]
    public void Kinds_only_ImageSharp_would_read_are_refused(int sof, int precision, string message)
    {
        byte[] jpeg = LibjpegTools.Cjpeg(JpegSamples.Photo(40, 24, seed: sof + precision), sof == 0xC2 ? "-progressive" : "-sample 2x2");
        JpegSamples.Segment frame = JpegSamples.HeaderSegments(jpeg).First(s => s.Marker is 0xC0 or 0xC2);
        jpeg[frame.Offset + 1] = (byte)sof;
        jpeg[frame.Offset + 4] = (byte)precision;
        var error = Assert.Throws<InvalidImageException>(
            () => ImageDecoder.Decode(new MemoryStream(jpeg), name: "deep.jpg", cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("'deep.jpg'", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A CMYK JPEG is of a kind our decoder leaves to ImageSharp: whole, it decodes; cut short, it is
    /// an error saying the end-of-image marker is missing (ImageSharp alone would pad it).
    /// </summary>
    [Fact]
    public void A_JPEG_our_decoder_does_not_read_goes_to_ImageSharp_and_must_be_whole()
    {
        byte[] jpeg = Cmyk(LibjpegTools.Cjpeg(JpegSamples.Photo(48, 32, seed: 3), "-quality 85", grey: true));
        Assert.Throws<JpegNotSupportedException>(() => JpegSamples.Decode(jpeg));
        CancellationToken token = TestContext.Current.CancellationToken;
        RgbaImage whole = ImageDecoder.Decode(new MemoryStream(jpeg), name: "arith.jpg", cancellationToken: token);
        Assert.Equal((48, 32), (whole.Width, whole.Height));
        var error = Assert.Throws<InvalidImageException>(
            () => ImageDecoder.Decode(new MemoryStream(jpeg[..(jpeg.Length * 9 / 10)]), name: "arith-cut.jpg", cancellationToken: token));
        Assert.Contains("'arith-cut.jpg'", error.Message, StringComparison.Ordinal);
        Assert.Contains("end-of-image marker", error.Message, StringComparison.Ordinal);
        Assert.Equal("arith-cut.jpg", error.FilePath);
    }

    /// <summary>
    /// A CMYK JPEG cut inside its image data with the end-of-image marker put back after the cut ("cut and closed"):
    /// ImageSharp alone pads it without a word; our scan decoding, run over the 4 components, finds the data
    /// breaking off and the file is an error naming it.
    /// </summary>
    [Theory]
    [InlineData(30)]
    [InlineData(60)]
    [InlineData(90)]
    public void A_CMYK_JPEG_cut_and_closed_is_an_error(int percent)
    {
        byte[] jpeg = Cmyk(LibjpegTools.Cjpeg(JpegSamples.Photo(48, 32, seed: 4), "-quality 85", grey: true));
        byte[] cut = [.. jpeg[..(jpeg.Length * percent / 100)], 0xFF, 0xD9];
        CancellationToken token = TestContext.Current.CancellationToken;
        Assert.Null(ImageSharpOracle.Decode(cut).Error);
        var error = Assert.Throws<InvalidImageException>(
            () => ImageDecoder.Decode(new MemoryStream(cut), name: "cmyk-cut.jpg", cancellationToken: token));
        Assert.Contains("'cmyk-cut.jpg'", error.Message, StringComparison.Ordinal);
        Assert.Contains("rows", error.Message, StringComparison.Ordinal);
        Assert.Equal("cmyk-cut.jpg", error.FilePath);
        ExactJpegDecoder.CheckScans(jpeg, "cmyk.jpg", token); // the whole file passes
    }

    /// <summary>
    /// Data no block uses in a JPEG left to ImageSharp is said as in one our decoder reads, but the warning does not
    /// say the pixels are libjpeg's, as only our decoder gives those (a damaged YCCK file's were 33.8 dB from djpeg's).
    /// </summary>
    [Fact]
    public void Leftover_data_in_a_JPEG_left_to_ImageSharp_says_whose_pixels_they_are()
    {
        byte[] jpeg = Cmyk(LibjpegTools.Cjpeg(JpegSamples.Photo(48, 32, seed: 6), "-quality 85", grey: true));
        byte[] extra = JpegSamples.Insert(jpeg, jpeg.Length - 2, [0x12, 0x34, 0x56, 0x78, 0x9A]);
        CancellationToken token = TestContext.Current.CancellationToken;
        Assert.Null(ImageDecoder.Decode(new MemoryStream(jpeg), name: "cmyk.jpg", cancellationToken: token).DecodeWarning);
        string? warning = ImageDecoder.Decode(new MemoryStream(extra), name: "cmyk-extra.jpg", cancellationToken: token).DecodeWarning;
        Assert.NotNull(warning);
        Assert.StartsWith("The JPEG's compressed data holds 5 bytes that no block uses", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("those libjpeg decodes", warning, StringComparison.Ordinal);
        Assert.EndsWith("The pixels are ImageSharp's decoding of it, not libjpeg's: the module's own decoder does not read this kind of JPEG.", warning, StringComparison.Ordinal);
    }

    /// <summary>
    /// An EXIF Orientation entry of two values where EXIF gives it one (a red-team file held "6 0"): exiftool reads it as
    /// an unknown orientation ("Unknown (6 0)") and Firefox ignores it, as libtiff ignores such a TIFF tag; PIL (with a
    /// warning) and ImageMagick take the first value. The decoder leaves the pixels as stored on both JPEG paths and
    /// says so (it said nothing), and the EXIF is not carried, since it could turn the output.
    /// </summary>
    [Theory]
    [InlineData(false, 6, true)]
    [InlineData(false, 3, false)]
    [InlineData(true, 8, true)]
    public void An_EXIF_Orientation_entry_of_two_values_is_not_applied_and_the_warning_says_so(bool cmyk, ushort orientation, bool littleEndian)
    {
        RgbaImage photo = JpegSamples.Photo(48, 32, seed: orientation);
        byte[] plain = cmyk ? Cmyk(LibjpegTools.Cjpeg(photo, "-quality 85", grey: true)) : LibjpegTools.Cjpeg(photo, "-quality 85 -sample 2x2");
        byte[] exif = Metadata.MetadataSamples.Exif(littleEndian, orientation);
        int entry = 8 + 2 + 12; // the second entry is Orientation, a SHORT whose four bytes hold it and a zero
        if (littleEndian) System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(exif.AsSpan(entry + 4), 2);
        else System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(exif.AsSpan(entry + 4), 2);
        byte[] twoValues = [0xFF, 0xD8, .. JpegSamples.MakeSegment(0xE1, [.. "Exif\0\0"u8, .. exif]), .. plain[2..]];
        CancellationToken token = TestContext.Current.CancellationToken;
        RgbaImage stored = ImageDecoder.Decode(new MemoryStream(plain), name: "plain.jpg", cancellationToken: token);
        RgbaImage image = ImageDecoder.Decode(new MemoryStream(twoValues), name: "two-values.jpg", cancellationToken: token);
        Assert.Equal((stored.Width, stored.Height), (image.Width, image.Height));
        Assert.Equal(Hash(stored.Pixels[..(48 * 32)]), Hash(image.Pixels[..(48 * 32)]));
        Assert.Equal("The JPEG's EXIF Orientation entry holds 2 values where it should hold one, so it was not applied and the pixels " +
            $"stand as stored (some viewers, PIL among them, turn them by its first value, {orientation}).", image.DecodeWarning);
        Assert.Null(KMeansPS.Imaging.Metadata.CarriedExif.From(exif, upright: true, out string? dropped));
        Assert.NotNull(dropped);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(8)]
    [InlineData(3)]
    public void A_CMYK_JPEG_is_turned_by_its_EXIF_orientation(ushort orientation)
    {
        // ImageSharp decodes CMYK (our decoder does not); the orientation is read from the segments all the same.
        byte[] plain = Cmyk(LibjpegTools.Cjpeg(JpegSamples.Photo(48, 32, seed: 4), "-quality 85", grey: true));
        byte[] exif = Metadata.MetadataSamples.Exif(true, orientation);
        byte[] turned = [0xFF, 0xD8, .. JpegSamples.MakeSegment(0xE1, [.. "Exif\0\0"u8, .. exif]), .. plain[2..]];
        CancellationToken token = TestContext.Current.CancellationToken;
        RgbaImage upright = ImageDecoder.Decode(new MemoryStream(plain), name: "cmyk.jpg", cancellationToken: token);
        RgbaImage image = ImageDecoder.Decode(new MemoryStream(turned), name: "cmyk-turned.jpg", cancellationToken: token);
        RgbaImage expected = ExifOrientationTransform.Apply(upright, orientation);
        Assert.Equal((expected.Width, expected.Height), (image.Width, image.Height));
        Assert.Equal(Hash(expected.Pixels[..(expected.Width * expected.Height)]), Hash(image.Pixels[..(image.Width * image.Height)]));
        Assert.NotEqual((upright.Width, upright.Height) == (image.Width, image.Height) ? Hash(upright.Pixels[..(48 * 32)]) : "",
            Hash(image.Pixels[..(48 * 32)]));
    }

    /// <summary>
    /// A CMYK JPEG made from a grey baseline one: an Adobe segment (transform 0), a frame of four 1x1 components
    /// sharing the grey file's tables, and the grey scan's data once per component, each in its own scan.
    /// </summary>
    private static byte[] Cmyk(byte[] grey)
    {
        var segments = JpegSamples.HeaderSegments(grey);
        JpegSamples.Segment frame = segments.Single(s => s.Marker == 0xC0), scan = segments.Single(s => s.Marker == 0xDA);
        byte[] data = grey[(scan.Offset + scan.Length)..grey.AsSpan().LastIndexOf([(byte)0xFF, (byte)0xD9])];
        var file = new List<byte> { 0xFF, 0xD8 };
        file.AddRange(JpegSamples.MakeSegment(0xEE, [.. "Adobe"u8, 0, 100, 0, 0, 0, 0, 0]));
        foreach (var segment in segments.Where(s => s.Marker is 0xDB or 0xC4)) file.AddRange(grey.AsSpan(segment.Offset, segment.Length).ToArray());
        byte[] sof = grey[(frame.Offset + 4)..(frame.Offset + 4 + 6)];
        sof[5] = 4;
        file.AddRange(JpegSamples.MakeSegment(0xC0, [.. sof, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 4, 0x11, 0]));
        for (byte c = 1; c <= 4; c++)
        {
            file.AddRange(JpegSamples.MakeSegment(0xDA, [1, c, 0x00, 0, 63, 0]));
            file.AddRange(data);
        }
        file.AddRange([0xFF, 0xD9]);
        return [.. file];
    }
}
