using KMeansPS.Imaging.Decoding;
using System.Buffers.Binary;
using System.Diagnostics;
using KMeansPS.Imaging.Jpeg;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Jpeg;

/// <summary>
/// Damage is an error, never a silently padded image: every truncation, seeded random corruption and structural
/// fault gives <see cref="JpegFormatException"/> (or <see cref="JpegNotSupportedException"/> where the corruption
/// makes it a kind of JPEG the decoder does not read) or a full-size image, never another exception type or a hang.
/// </summary>
public class JpegDamageTests
{
    public static TheoryData<string> SmallFiles() => ["baseline-420-restart", "progressive-420", "progressive-422-restart", "grey", "imagesharp-444", "multiscan"];

    private static byte[] Small(string kind)
    {
        RgbaImage image = JpegSamples.Photo(21, 13, seed: 5);
        return kind switch
        {
            "baseline-420-restart" => LibjpegTools.Cjpeg(image, "-sample 2x2 -restart 1B"),
            "progressive-420" => LibjpegTools.Cjpeg(image, "-sample 2x2 -progressive"),
            "progressive-422-restart" => LibjpegTools.Cjpeg(image, "-sample 2x1 -progressive -restart 2B"),
            "grey" => LibjpegTools.Cjpeg(image, "-grayscale", grey: true),
            "imagesharp-444" => JpegSamples.ImageSharpJpeg(image, JpegColorType.YCbCrRatio444),
            _ => LibjpegTools.CjpegWithScans(image, "-sample 2x1", "0;\n1;\n2;\n"),
        };
    }

    [Theory]
    [MemberData(nameof(SmallFiles))]
    public void Every_truncation_is_an_error(string kind)
    {
        byte[] jpeg = Small(kind);
        Assert.Equal((byte)0xD9, jpeg[^1]);
        for (int length = 0; length < jpeg.Length; length++)
        {
            byte[] cut = jpeg[..length];
            Exception? error = Record.Exception(() => DecodeAll(cut));
            Assert.True(error is JpegFormatException, $"{kind} cut to {length} of {jpeg.Length} bytes: {error?.GetType().Name ?? "decoded"} {error?.Message}");
        }
    }

    [Fact]
    public void Truncation_messages_say_how_far_the_image_got()
    {
        RgbaImage image = JpegSamples.Photo(64, 427, seed: 9);
        byte[] jpeg = LibjpegTools.Cjpeg(image, "-sample 2x2");
        var error = Assert.Throws<JpegFormatException>(() => DecodeAll(jpeg[..(jpeg.Length / 2)]));
        Assert.Matches(@"^the data ends after \d+ of 427 rows$", error.Message);
        error = Assert.Throws<JpegFormatException>(() => DecodeAll(jpeg[..^2]));
        Assert.StartsWith("no end-of-image marker", error.Message);
        byte[] progressive = LibjpegTools.Cjpeg(image, "-sample 2x2 -progressive");
        error = Assert.Throws<JpegFormatException>(() => DecodeAll(progressive[..(progressive.Length * 3 / 4)]));
        Assert.Matches(@"(^the data ends after \d+ of 427 rows in scan \d+$)|(^no end-of-image marker)", error.Message);
    }

    [Theory]
    [MemberData(nameof(SmallFiles))]
    public void Anything_after_the_end_of_image_is_ignored(string kind)
    {
        byte[] jpeg = Small(kind);
        Rgba32[] expected = DecodeAll(jpeg);
        byte[] tail = [0x00, 0xFF, 0xD8, 0xFF, 0xE0, 0x12, 0x34, 0xFF, 0xFF, 0x17];
        byte[] extended = [.. jpeg, .. tail];
        for (int length = jpeg.Length; length <= extended.Length; length++)
            Assert.Equal(expected, DecodeAll(extended[..length]));
    }

    [Theory]
    [MemberData(nameof(SmallFiles))]
    public void Seeded_corruption_gives_an_error_or_a_full_size_image(string kind)
    {
        byte[] jpeg = Small(kind);
        var random = new Random(20261202);
        var clock = Stopwatch.StartNew();
        int decoded = 0, refused = 0;
        for (int trial = 0; trial < 3000; trial++)
        {
            byte[] damaged = (byte[])jpeg.Clone();
            int changes = 1 + random.Next(4);
            for (int c = 0; c < changes; c++)
            {
                int at = random.Next(damaged.Length);
                damaged[at] = random.Next(3) switch
                {
                    0 => (byte)random.Next(256),
                    1 => (byte)(damaged[at] ^ (1 << random.Next(8))),
                    _ => 0xFF,
                };
            }
            try
            {
                JpegHeader header = ExactJpegDecoder.ReadHeader(damaged);
                var pixels = new Rgba32[header.PixelCount]; // alpha 0: every pixel the decoder writes is opaque
                JpegHeader result = ExactJpegDecoder.Decode(damaged, pixels, null, TestContext.Current.CancellationToken);
                Assert.Equal((header.Width, header.Height), (result.Width, result.Height));
                Assert.True(pixels.All(p => p.A == 255), $"trial {trial}: a decoded image with pixels left unwritten");
                decoded++;
            }
            catch (Exception ex) when (ex is JpegFormatException or JpegNotSupportedException)
            {
                refused++;
            }
        }
        TestContext.Current.SendDiagnosticMessage($"{kind}: of 3000 corrupted files {decoded} decoded, {refused} refused, in {clock.ElapsedMilliseconds} ms");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"3000 corrupted files took {clock.Elapsed}");
        Assert.True(refused > 0 && decoded > 0, $"{decoded} decoded, {refused} refused");
    }

    [Fact]
    public void Structural_faults_are_named()
    {
        RgbaImage image = JpegSamples.Photo(40, 24, seed: 2);
        byte[] jpeg = LibjpegTools.Cjpeg(image, "-sample 2x2");

        Assert.Equal("it is not a JPEG file (it does not start with the start-of-image marker FF D8)", Refusal([]));
        Assert.Equal("it is not a JPEG file (it does not start with the start-of-image marker FF D8)", Refusal([0x89, 0x50, 0x4E, 0x47]));

        // A sequential frame without a table takes T.81's standard one (Motion-JPEG; JpegReferenceTests), a
        // progressive one does not: there the missing table is named.
        byte[] progressive = LibjpegTools.Cjpeg(image, "-sample 2x2 -progressive");
        JpegSamples.Segment dht = JpegSamples.First(progressive, 0xC4);
        Assert.Matches("^scan 1 uses DC Huffman table [01], which the file does not define$",
            Refusal(JpegSamples.Remove(progressive, dht.Offset, dht.Length)));

        JpegSamples.Segment dqt = JpegSamples.First(jpeg, 0xDB);
        Assert.Matches("^component \\d uses quantization table 0, which the file does not define before its first scan$",
            Refusal(JpegSamples.Remove(jpeg, dqt.Offset, dqt.Length)));

        JpegSamples.Segment sof = JpegSamples.First(jpeg, 0xC0);
        byte[] secondFrame = JpegSamples.Insert(jpeg, jpeg.Length - 2, jpeg[sof.Offset..(sof.Offset + sof.Length)]);
        Assert.StartsWith("a second frame header (SOF)", Refusal(secondFrame));

        JpegSamples.Segment sos = JpegSamples.First(jpeg, 0xDA);
        byte[] ones = (byte[])jpeg.Clone();
        for (int i = sos.Offset + sos.Length; i + 1 < ones.Length - 2; i += 2) (ones[i], ones[i + 1]) = (0xFF, 0x00);
        Assert.Equal("the compressed data is corrupt after 0 of 24 rows (an invalid Huffman code)", Refusal(ones));

        byte[] scanFirst = JpegSamples.Insert(jpeg, 2, jpeg[sos.Offset..(sos.Offset + sos.Length)]);
        Assert.Equal("image data (a scan) comes before the frame header", Refusal(scanFirst));

        Assert.Equal("the file holds no image (its end-of-image marker comes before any image data)",
            Refusal([.. jpeg[..sos.Offset], 0xFF, 0xD9]));
    }

    [Fact]
    public void Restart_markers_must_come_in_sequence()
    {
        RgbaImage image = JpegSamples.Photo(64, 32, seed: 4);
        byte[] jpeg = LibjpegTools.Cjpeg(image, "-sample 2x2 -restart 1B");
        int first = RestartMarkers(jpeg).First();
        byte[] wrong = (byte[])jpeg.Clone();
        wrong[first + 1] = 0xD3;
        Assert.Equal("restart marker RST3 comes where RST0 was expected, after 0 of 32 rows", Refusal(wrong));

        int third = RestartMarkers(jpeg).ElementAt(2);
        byte[] missing = JpegSamples.Remove(jpeg, third, 2);
        Assert.Matches("^restart marker RST3 comes where RST2 was expected|^the compressed data is corrupt", Refusal(missing));
    }

    [Fact]
    public void Tolerates_fill_bytes_and_stray_bytes_between_segments_as_libjpeg_does()
    {
        RgbaImage image = JpegSamples.Photo(30, 20, seed: 8);
        byte[] jpeg = LibjpegTools.Cjpeg(image, "-sample 2x1 -restart 1B");
        Rgba32[] expected = JpegSamples.Decode(jpeg);
        JpegSamples.Segment dqt = JpegSamples.First(jpeg, 0xDB);
        byte[] filled = JpegSamples.Insert(jpeg, dqt.Offset, [0xFF, 0xFF, 0xFF]);
        Assert.Equal(expected, JpegSamples.Decode(filled));
        byte[] stray = JpegSamples.Insert(jpeg, dqt.Offset, [0x00, 0x12, 0x34]);
        Assert.Equal(expected, JpegSamples.Decode(stray));
        int rst = RestartMarkers(jpeg).First();
        byte[] filledRestart = JpegSamples.Insert(jpeg, rst, [0xFF, 0xFF]);
        Assert.Equal(expected, JpegSamples.Decode(filledRestart));
    }

    [Fact]
    public void Kinds_it_does_not_read_are_NotSupported_from_the_frame_header()
    {
        RgbaImage image = JpegSamples.Photo(16, 16, seed: 3);
        byte[] jpeg = LibjpegTools.Cjpeg(image, "-sample 2x2");
        JpegSamples.Segment sof = JpegSamples.First(jpeg, 0xC0);

        Assert.Contains("arithmetic", NotSupported(LibjpegTools.Cjpeg(image, "-arithmetic")));
        // Sampling factors 3x1, 2x1, 1x1 (cjpeg will not make them; djpeg refuses them too).
        byte[] fractional = (byte[])jpeg.Clone();
        (fractional[sof.Offset + 11], fractional[sof.Offset + 14]) = (0x31, 0x21);
        Assert.Equal("sampling factors 3x1 2x1 1x1 are not supported (each must divide the largest)", NotSupported(fractional));

        byte[] twelveBit = (byte[])jpeg.Clone();
        twelveBit[sof.Offset + 4] = 12;
        Assert.Equal("12-bit JPEG is not supported (only 8-bit samples)", NotSupported(twelveBit));

        byte[] lossless = (byte[])jpeg.Clone();
        lossless[sof.Offset + 1] = 0xC3;
        Assert.Contains("lossless", NotSupported(lossless));

        byte[] dnl = (byte[])jpeg.Clone();
        dnl[sof.Offset + 5] = dnl[sof.Offset + 6] = 0;
        Assert.Contains("DNL", NotSupported(dnl));

        // Four components (CMYK): the frame header rewritten with a fourth component.
        byte[] frame = [8, 0, 16, 0, 16, 4, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 4, 0x11, 0];
        byte[] cmyk = [.. jpeg[..sof.Offset], .. JpegSamples.MakeSegment(0xC0, frame), .. jpeg[(sof.Offset + sof.Length)..]];
        Assert.Contains("CMYK", NotSupported(cmyk));
    }

    [Fact]
    public void A_huge_claimed_size_in_a_small_file_fails_fast_without_allocating()
    {
        RgbaImage image = JpegSamples.Photo(24, 16, seed: 6);
        byte[] jpeg = LibjpegTools.Cjpeg(image, "-sample 2x2 -quality 20 -baseline");
        Assert.InRange(jpeg.Length, 300, 1500);
        JpegSamples.Segment sof = JpegSamples.First(jpeg, 0xC0);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof.Offset + 5), 65535);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof.Offset + 7), 65535);

        ExactJpegDecoder.ReadHeader(LibjpegTools.Cjpeg(image, "-sample 2x2")); // warm up the code paths
        Assert.Throws<JpegFormatException>(() => ExactJpegDecoder.ReadHeader(jpeg));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<JpegFormatException>(() => ExactJpegDecoder.ReadHeader(jpeg));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.StartsWith("it claims 65535 x 65535 pixels", error.Message);
        Assert.True(allocated < 64 * 1024, $"{allocated} bytes allocated");

        before = GC.GetAllocatedBytesForCurrentThread();
        var invalid = Assert.Throws<InvalidImageException>(() => ExactJpegDecoder.Decode(jpeg, long.MaxValue, "huge.jpg", TestContext.Current.CancellationToken));
        allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.StartsWith("Cannot read 'huge.jpg' as an image: it claims 65535 x 65535 pixels", invalid.Message);
        Assert.Equal("huge.jpg", invalid.FilePath);
        Assert.True(allocated < 64 * 1024, $"{allocated} bytes allocated");
    }

    [Fact]
    public void The_pixel_limit_is_checked_before_the_pixels_are_allocated()
    {
        byte[] jpeg = LibjpegTools.Cjpeg(JpegSamples.Photo(300, 200, seed: 1), "-sample 2x2");
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<ImageLimitExceededException>(() => ExactJpegDecoder.Decode(jpeg, 300 * 200 - 1, "big.jpg", TestContext.Current.CancellationToken));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024);
        Assert.Equal((300, 200), (error.Width, error.Height));
        Assert.Equal(300 * 200, ExactJpegDecoder.Decode(jpeg, 300 * 200, "big.jpg", TestContext.Current.CancellationToken).Image.PixelCount);
    }

    private static IEnumerable<int> RestartMarkers(byte[] jpeg)
    {
        JpegSamples.Segment sos = JpegSamples.First(jpeg, 0xDA);
        for (int i = sos.Offset + sos.Length; i + 1 < jpeg.Length; i++)
            if (jpeg[i] == 0xFF && jpeg[i + 1] is >= 0xD0 and <= 0xD7) yield return i;
    }

    /// <summary>
    /// A progressive file whose first DC scan adds +32,767 in every block: past 65,538 blocks the DC value passes
    /// int's range, where libjpeg stops ("DCT coefficient out of range") and so does this decoder, instead of letting
    /// the value wrap into a picture.
    /// </summary>
    [Fact]
    public void A_progressive_DC_value_past_the_range_of_an_int_is_an_error()
    {
        const int width = 2048, height = 2064; // 66,048 blocks
        var file = new List<byte> { 0xFF, 0xD8 };
        void Segment(int marker, params byte[] payload) => file.AddRange(JpegSamples.MakeSegment(marker, payload));
        Segment(0xDB, [0x00, .. Enumerable.Repeat((byte)1, 64)]);
        Segment(0xC2, 8, height >> 8, height & 0xFF, width >> 8, width & 0xFF, 1, 1, 0x11, 0);
        // One DC code, the single bit 0, for size 15: then fifteen ones, +32,767.
        Segment(0xC4, [0x00, 1, .. new byte[15], 15]);
        Segment(0xDA, 1, 1, 0x00, 0, 0, 0x00);
        for (int block = 0; block < width / 8 * (height / 8); block++) file.AddRange([0x7F, 0xFF, 0x00]);
        file.AddRange([0xFF, 0xD9]);
        byte[] jpeg = [.. file];

        var error = Assert.Throws<JpegFormatException>(() => DecodeAll(jpeg));
        Assert.Contains("DC differences that add up past the range of a 32-bit number", error.Message, StringComparison.Ordinal);
        var djpeg = Assert.ThrowsAny<Exception>(() => LibjpegTools.Djpeg(jpeg, out _, out _, cCode: true));
        Assert.Contains("DCT coefficient out of range", djpeg.Message, StringComparison.Ordinal);
    }

    private static Rgba32[] DecodeAll(byte[] jpeg)
    {
        JpegHeader header = ExactJpegDecoder.ReadHeader(jpeg);
        var pixels = new Rgba32[header.PixelCount];
        ExactJpegDecoder.Decode(jpeg, pixels, null, TestContext.Current.CancellationToken);
        return pixels;
    }

    private static string Refusal(byte[] jpeg) => Assert.Throws<JpegFormatException>(() => DecodeAll(jpeg)).Message;

    private static string NotSupported(byte[] jpeg) => Assert.Throws<JpegNotSupportedException>(() => ExactJpegDecoder.ReadHeader(jpeg)).Message;
}
