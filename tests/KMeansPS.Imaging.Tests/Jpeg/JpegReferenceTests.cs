using KMeansPS.Imaging.Jpeg;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Jpeg;

/// <summary>
/// The decoder against libjpeg-turbo's djpeg -dct int, bit for bit: files made by cjpeg in every mode the decoder
/// reads (sequential and progressive, every common sampling, restart intervals, grey, RGB, multi-scan) and by
/// ImageSharp's encoder, at sizes that are and are not whole MCUs, with each kernel width.
/// </summary>
public class JpegReferenceTests
{
    private static readonly (int Width, int Height)[] Sizes = [(1, 1), (2, 2), (3, 5), (17, 9), (16, 16), (33, 17), (64, 48), (333, 77)];

    public static TheoryData<string> CjpegModes() =>
    [
        "-sample 1x1",
        "-sample 2x1",
        "-sample 2x2",
        "-sample 1x2",
        "-sample 4x1",
        "-sample 4x2",
        "-sample 1x4",
        "-sample 3x1",
        "-sample 2x2 -quality 100",
        "-sample 2x2 -quality 5",
        "-sample 2x1 -optimize -restart 1",
        "-sample 2x2 -restart 3B",
        "-sample 1x1 -progressive",
        "-sample 2x2 -progressive",
        "-sample 2x1 -progressive -restart 2B",
        "-sample 1x2 -progressive -quality 98",
        "-sample 2x2,1x2,2x1",
        "-rgb",
        "-rgb -progressive",
    ];

    [Theory]
    [MemberData(nameof(CjpegModes))]
    public void Matches_djpeg_on_cjpeg_files(string options)
    {
        foreach ((int width, int height) in Sizes)
        {
            RgbaImage image = JpegSamples.Photo(width, height, seed: width * 7 + height);
            byte[] jpeg = LibjpegTools.Cjpeg(image, options);
            AssertMatchesDjpeg(jpeg, $"cjpeg {options}, {width} x {height}");
        }
    }

    [Theory]
    [InlineData("-grayscale")]
    [InlineData("-grayscale -progressive")]
    [InlineData("-grayscale -restart 1B -quality 100")]
    public void Matches_djpeg_on_grey_files(string options)
    {
        foreach ((int width, int height) in Sizes)
        {
            RgbaImage image = JpegSamples.Photo(width, height, seed: width + height);
            AssertMatchesDjpeg(LibjpegTools.Cjpeg(image, options, grey: true), $"cjpeg {options}, {width} x {height}");
        }
    }

    /// <summary>Sequential files whose components come in separate scans (decoded through the coefficient buffers).</summary>
    [Theory]
    [InlineData("0;\n1;\n2;\n")]
    [InlineData("0;\n1 2;\n")]
    [InlineData("2;\n0 1;\n")]
    public void Matches_djpeg_on_multi_scan_sequential_files(string scans)
    {
        foreach ((int width, int height) in Sizes)
        {
            RgbaImage image = JpegSamples.Photo(width, height, seed: 3 * width + height);
            byte[] jpeg = LibjpegTools.CjpegWithScans(image, "-sample 2x2", scans);
            AssertMatchesDjpeg(jpeg, $"scans {scans.ReplaceLineEndings(" ")}, {width} x {height}");
        }
    }

    /// <summary>A progressive script with spectral selection and successive approximation on every component.</summary>
    [Fact]
    public void Matches_djpeg_on_a_deep_successive_approximation_script()
    {
        const string script = "0 1 2: 0 0 0 2;\n0: 1 5 0 2;\n2: 1 63 0 1;\n1: 1 63 0 1;\n0: 6 63 0 2;\n0: 1 63 2 1;\n0 1 2: 0 0 2 1;\n0 1 2: 0 0 1 0;\n2: 1 63 1 0;\n1: 1 63 1 0;\n0: 1 63 1 0;\n";
        foreach ((int width, int height) in Sizes)
        {
            RgbaImage image = JpegSamples.Photo(width, height, seed: width * height);
            AssertMatchesDjpeg(LibjpegTools.CjpegWithScans(image, "-sample 2x2 -quality 95", script), $"{width} x {height}");
        }
    }

    [Theory]
    [InlineData(JpegColorType.YCbCrRatio444)]
    [InlineData(JpegColorType.YCbCrRatio420)]
    [InlineData(JpegColorType.Luminance)]
    public void Matches_djpeg_on_ImageSharp_files(JpegColorType colorType)
    {
        foreach ((int width, int height) in Sizes)
        {
            foreach (int quality in new[] { 30, 90, 100 })
            {
                RgbaImage image = JpegSamples.Photo(width, height, seed: width - height);
                AssertMatchesDjpeg(JpegSamples.ImageSharpJpeg(image, colorType, quality), $"ImageSharp {colorType} q{quality}, {width} x {height}");
            }
        }
    }

    /// <summary>
    /// Valid files whose coefficients put samples far outside 0..255 (no encoder makes them; here the quantization
    /// tables of a quality-100 file are scaled up): the samples saturate, as in libjpeg-turbo's x86 SIMD code, which
    /// djpeg runs (its C code takes the value modulo 1024 first, and gave the decoder's pixels before).
    /// </summary>
    [Theory]
    [InlineData("-sample 1x1")]
    [InlineData("-sample 2x2")]
    [InlineData("-grayscale")]
    public void Out_of_range_samples_are_those_of_libjpeg_turbos_x86_code(string options)
    {
        var pixels = new Rgba32[48 * 40];
        for (int i = 0; i < pixels.Length; i++)
        {
            byte v = (byte)((i % 48 / 4 + i / 48 / 4) % 2 == 0 ? 0 : 255);
            pixels[i] = new Rgba32(v, (byte)(255 - v), (byte)(i * 5), 255);
        }
        byte[] jpeg = JpegSamples.WithQuantizationScaled(LibjpegTools.Cjpeg(new RgbaImage(48, 40, pixels), $"{options} -quality 100", grey: options == "-grayscale"), 6);
        Rgba32[] expected = LibjpegTools.Djpeg(jpeg, out int width, out _);
        foreach (JpegKernel kernel in Enum.GetValues<JpegKernel>())
        {
            Rgba32[] actual = JpegSamples.Decode(jpeg, kernel);
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"{options}, {kernel}: {JpegSamples.FirstDifference(expected, actual, width)}");
        }
    }

    /// <summary>
    /// Motion-JPEG frames (webcams, capture cards) carry no Huffman tables and mean T.81's standard ones, which cjpeg
    /// writes unless asked to optimize: with its DHT segments taken out (all, or the chrominance ones only), a sequential
    /// file decodes to djpeg's pixels of the whole file. A progressive frame gets no standard tables (as in
    /// libjpeg), so without its DHT it is refused by both.
    /// </summary>
    [Theory]
    [InlineData("-sample 2x2")]
    [InlineData("-sample 2x1 -restart 1")]
    [InlineData("-grayscale")]
    [InlineData("-sample 1x1 partial")]
    [InlineData("-sample 2x2 -progressive")]
    public void Sequential_frames_without_Huffman_tables_use_the_standard_ones(string options)
    {
        RgbaImage image = JpegSamples.Photo(53, 37, seed: options.Length);
        bool partial = options.EndsWith(" partial", StringComparison.Ordinal);
        byte[] original = LibjpegTools.Cjpeg(image, partial ? options[..^" partial".Length] : options, grey: options == "-grayscale");
        byte[] jpeg = original;
        foreach (JpegSamples.Segment dht in JpegSamples.HeaderSegments(original).Where(s => s.Marker == 0xC4).Reverse())
        {
            // Partial: only the chrominance tables (slot 1) are taken out; the luminance ones stay defined by the file.
            if (partial && (original[dht.Offset + 4] & 15) != 1) continue;
            jpeg = JpegSamples.Remove(jpeg, dht.Offset, dht.Length);
        }
        Assert.NotEqual(original.Length, jpeg.Length);
        if (options.Contains("-progressive", StringComparison.Ordinal))
        {
            Assert.Throws<JpegFormatException>(() => JpegSamples.Decode(jpeg));
            Assert.ThrowsAny<Exception>(() => LibjpegTools.Djpeg(jpeg, out _, out _, cCode: true));
            return;
        }
        Rgba32[] expected = LibjpegTools.Djpeg(jpeg, out int width, out _, cCode: true);
        foreach (JpegKernel kernel in Enum.GetValues<JpegKernel>())
        {
            Rgba32[] actual = JpegSamples.Decode(jpeg, kernel);
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"{options}, {kernel}: {JpegSamples.FirstDifference(expected, actual, width)}");
        }
        Assert.Equal(LibjpegTools.Djpeg(original, out _, out _, cCode: true), expected);
    }

    /// <summary>
    /// Dequantized coefficients far past what an 8-bit file's DCT gives: each quantization table rewritten as a 16-bit
    /// one of large entries (over a file coded at quality 100, whose coefficients reach the thousands), so products
    /// pass 16 bits, where libjpeg-turbo's x86 SIMD code keeps their low 16 bits and its sums wrap and saturate, and
    /// entries of 32,768 or more, which libjpeg keeps as 16-bit signed multipliers. Every kernel must give djpeg's
    /// pixels (its C code's 64-bit arithmetic, which they followed before, gives others); the sequential files go
    /// through the block-by-block path, the multi-scan and progressive ones through the stored coefficients. Flat
    /// squares take the DC-only shortcut and vertical stripes (only a first row of coefficients) the column shortcut.
    /// </summary>
    [Theory]
    [InlineData("-sample 1x1", 300, 20_000)]
    [InlineData("-sample 2x2", 2_000, 32_767)]
    [InlineData("-grayscale", 30_000, 32_767)]
    [InlineData("-sample 1x1", 30_000, 65_535)]
    [InlineData("-sample 2x1 -progressive", 300, 65_535)]
    [InlineData("-sample 1x1 -scans", 40, 40_000)]
    public void Coefficients_past_16_bits_are_those_of_libjpeg_turbos_x86_code(string options, int smallest, int largest)
    {
        RgbaImage image = JpegSamples.Photo(61, 45, seed: smallest);
        // Flat squares too, so DC-only blocks take their shortcut with large DC values, and stripes that change
        // only across, whose blocks have coefficients in their first row alone.
        for (int y = 0; y < 16; y++)
        {
            for (int x = 0; x < 16; x++)
            {
                image.Pixels[y * image.Width + x] = new Rgba32(250, 3, 128, 255);
                image.Pixels[(y + 16) * image.Width + x] = x % 4 < 2 ? new Rgba32(255, 255, 255, 255) : new Rgba32(0, 40, 0, 255);
            }
        }
        bool grey = options == "-grayscale";
        byte[] jpeg = options.EndsWith("-scans", StringComparison.Ordinal)
            ? LibjpegTools.CjpegWithScans(image, options[..^"-scans".Length] + "-quality 100", "0;\n1;\n2;\n")
            : LibjpegTools.Cjpeg(image, $"{options} -quality 100", grey);
        var random = new Random(largest);
        foreach (JpegSamples.Segment dqt in JpegSamples.HeaderSegments(jpeg).Where(s => s.Marker == 0xDB).Reverse())
        {
            var payload = new List<byte>();
            for (int p = dqt.Offset + 4; p < dqt.Offset + dqt.Length; p += 1 + (64 << (jpeg[p] >> 4)))
            {
                payload.Add((byte)(0x10 | (jpeg[p] & 15)));
                for (int k = 0; k < 64; k++)
                {
                    int entry = k == 0 ? largest : random.Next(smallest, largest + 1);
                    payload.Add((byte)(entry >> 8));
                    payload.Add((byte)entry);
                }
            }
            jpeg = JpegSamples.Insert(JpegSamples.Remove(jpeg, dqt.Offset, dqt.Length), dqt.Offset, JpegSamples.MakeSegment(0xDB, payload.ToArray()));
        }
        Rgba32[] expected = LibjpegTools.Djpeg(jpeg, out int width, out _);
        foreach (JpegKernel kernel in Enum.GetValues<JpegKernel>())
        {
            Rgba32[] actual = JpegSamples.Decode(jpeg, kernel);
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"{options} {smallest}-{largest}, {kernel}: {JpegSamples.FirstDifference(expected, actual, width)}");
        }
    }

    /// <summary>
    /// A progressive file that stops before its last refinement scans is decoded as coded. djpeg smooths such
    /// images across blocks (libjpeg's block smoothing, on by default and not switchable from its command line), so
    /// it differs there by a few levels; complete files are exact (above).
    /// </summary>
    [Fact]
    public void Incomplete_progressive_files_are_within_a_few_levels_of_djpeg()
    {
        RgbaImage image = JpegSamples.Photo(96, 64, seed: 21);
        byte[] jpeg = LibjpegTools.CjpegWithScans(image, "-sample 2x2", "0 1 2: 0 0 0 1;\n0: 1 63 0 1;\n1: 1 63 0 0;\n2: 1 63 0 0;\n");
        Rgba32[] smoothed = LibjpegTools.Djpeg(jpeg, out _, out _);
        Rgba32[] ours = JpegSamples.Decode(jpeg, JpegKernels.Best);
        int largest = 0;
        for (int i = 0; i < ours.Length; i++)
            largest = Math.Max(largest, Math.Max(Math.Abs(ours[i].R - smoothed[i].R), Math.Max(Math.Abs(ours[i].G - smoothed[i].G), Math.Abs(ours[i].B - smoothed[i].B))));
        Assert.InRange(largest, 1, 6);
    }

    private static void AssertMatchesDjpeg(byte[] jpeg, string what)
    {
        Rgba32[] expected = LibjpegTools.Djpeg(jpeg, out int width, out int height);
        JpegHeader header = ExactJpegDecoder.ReadHeader(jpeg);
        Assert.Equal((width, height), (header.Width, header.Height));
        foreach (JpegKernel kernel in Enum.GetValues<JpegKernel>())
        {
            Rgba32[] actual = JpegSamples.Decode(jpeg, kernel);
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"{what}, {kernel}: {JpegSamples.FirstDifference(expected, actual, width)}");
        }
    }
}
