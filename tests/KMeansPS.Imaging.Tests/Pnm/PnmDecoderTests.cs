using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Quantization;
using KMeansPS.Imaging.Tests.Corpus;
using KMeansPS.Imaging.Tests.Integrity;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Pnm;

/// <summary>
/// PGM and PPM of every kind (plain and binary) and of seeded maximum values other than 255: each sample v reads as
/// v / maximum of full scale, at 16 bits where 8 do not hold it, as netpbm reads the format (two-byte samples
/// big-endian). ImageSharp 2.1 alone misreads most of these files, which the tests also show.
/// </summary>
public class PnmDecoderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly int[] Maxima = [1, 2, 3, 7, 15, 17, 100, 254, 256, 1000, 1023, 4095, 4096, 65534, 65535];

    [Theory]
    [InlineData('2')]
    [InlineData('3')]
    [InlineData('5')]
    [InlineData('6')]
    public void Every_sample_reads_as_its_share_of_the_maximum(char kind)
    {
        var random = new Random(1211 + kind);
        int channels = kind is '3' or '6' ? 3 : 1, misread = 0, files = 0;
        foreach (int maxValue in Maxima.Concat(Enumerable.Range(0, 10).Select(_ => random.Next(2, 65536))).Where(m => m != 255))
        {
            int width = random.Next(1, 24), height = random.Next(1, 10);
            int[] samples = PnmWriter.Samples(kind, width, height, maxValue, random.Next());
            // A first sample whose (high) byte is whitespace: our decoder starts the raster after the header's one
            // whitespace byte, as netpbm does, where ImageSharp would skip it as header.
            if (kind is '5' or '6' && random.Next(3) == 0) samples[0] = maxValue > 255 ? Math.Min(maxValue, 10 << 8 | random.Next(256)) : Math.Min(maxValue, 32);
            byte[] file = PnmWriter.Write(kind, width, height, maxValue, samples, comment: random.Next(2) == 0 ? "seeded" : null);
            RgbaImage image = ImageDecoder.Decode(file, 1 << 20, "max.pnm", Ct);
            var expected = new Rgba64[width * height];
            for (int p = 0; p < expected.Length; p++)
            {
                ushort Scaled(int c) => (ushort)Math.Round(samples[p * channels + c] * 65535.0 / maxValue, MidpointRounding.AwayFromZero);
                expected[p] = channels == 1 ? new Rgba64(Scaled(0), Scaled(0), Scaled(0), 65535) : new Rgba64(Scaled(0), Scaled(1), Scaled(2), 65535);
            }
            bool eightBitsHold = samples.All(v => v * 255 % maxValue == 0);
            Assert.Equal(eightBitsHold, image.Wide is null);
            for (int p = 0; p < expected.Length; p++)
            {
                var eight = new Rgba32((byte)Math.Round(expected[p].R / 257.0), (byte)Math.Round(expected[p].G / 257.0), (byte)Math.Round(expected[p].B / 257.0), 255);
                Assert.True(eight == image.Pixels[p], $"maximum {maxValue}, pixel {p}: {image.Pixels[p]}, expected {eight}");
                if (image.Wide is not null) Assert.True(expected[p] == image.Wide[p], $"maximum {maxValue}, pixel {p}: {image.Wide[p]}, expected {expected[p]}");
            }
            files++;
            var alone = ImageSharpOracle.Decode(file);
            if (alone.Frames is null || !alone.Frames[0].SequenceEqual(image.Pixels)) misread++;
        }
        Assert.True(misread > files / 2, $"ImageSharp alone misread {misread} of {files} files");
    }

    [Theory]
    [InlineData('5', 1000, new[] { 500, 1001 }, "sample 2 of the PGM is 1,001, above its maximum value 1,000")]
    [InlineData('6', 4095, new[] { 1, 2, 3, 4, 65535, 6 }, "sample 5 of the PPM is 65,535, above its maximum value 4,095")]
    [InlineData('5', 100, new[] { 101, 5 }, "sample 1 of the PGM is 101, above its maximum value 100")]
    public void A_binary_sample_above_the_maximum_is_damage(char kind, int maxValue, int[] samples, string reason)
    {
        int width = kind == '6' ? samples.Length / 3 : samples.Length;
        byte[] file = PnmWriter.Write(kind, width, 1, maxValue, samples);
        var error = Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(file, 1 << 20, "above.pgm", Ct));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_binary_raster_starts_after_the_one_whitespace_byte_that_ends_the_header()
    {
        // 32 (a space) as the first sample of maximum 100, and 2,560 (high byte 10, a line feed) of maximum 4,095.
        RgbaImage space = ImageDecoder.Decode(PnmWriter.Write('5', 3, 1, 100, [32, 50, 100]), 1 << 20, "space.pgm", Ct);
        Assert.Equal([82, 128, 255], space.Pixels.Select(p => p.R));
        RgbaImage feed = ImageDecoder.Decode(PnmWriter.Write('5', 2, 1, 4095, [2560, 1]), 1 << 20, "feed.pgm", Ct);
        Assert.Equal([(byte)Math.Round(2560 * 255 / 4095.0), 0], feed.Pixels.Select(p => p.R));
    }

    /// <summary>The bytes a binary raster may start with that a header reader might take for its own: C's whitespace and '#'.</summary>
    private static readonly byte[] HeaderLikeBytes = [9, 10, 11, 12, 13, 32, (byte)'#'];

    public static TheoryData<char, int> BinaryKinds() => new()
    {
        { '4', 1 }, { '5', 35 }, { '5', 100 }, { '5', 255 }, { '5', 4095 }, { '5', 65535 },
        { '6', 35 }, { '6', 255 }, { '6', 9000 }, { '6', 65535 },
    };

    [Theory]
    [MemberData(nameof(BinaryKinds))]
    public void A_binary_raster_that_starts_with_whitespace_or_a_comment_byte_is_read_from_the_byte_after_the_header(char kind, int maxValue)
    {
        // netpbm's reading: the header ends with one whitespace byte and the raster is every byte after it, so a first
        // byte (or a run of them, or the whole raster) of 9 to 13, 32 or '#' is pixels, whatever follows the raster.
        var random = new Random(4409 + kind * 131 + maxValue);
        int channels = kind == '6' ? 3 : 1, files = 0;
        bool bitmap = kind == '4', twoBytes = maxValue > 255;
        foreach (byte first in HeaderLikeBytes)
        {
            foreach (int leading in new[] { 1, 3, int.MaxValue })
            {
                int width = random.Next(1, 20), height = random.Next(1, 5);
                int length = bitmap ? (width + 7) / 8 * height : width * height * channels * (twoBytes ? 2 : 1);
                byte[] raster = new byte[length];
                for (int i = 0; i < length; i += twoBytes ? 2 : 1)
                {
                    int v = bitmap ? random.Next(256) : random.Next(maxValue + 1);
                    if (twoBytes) raster[i] = (byte)(v >> 8);
                    raster[i + (twoBytes ? 1 : 0)] = (byte)v;
                }
                for (int i = 0; i < Math.Min(leading, length); i++) raster[i] = i == 0 ? first : HeaderLikeBytes[random.Next(HeaderLikeBytes.Length)];
                int[] samples = bitmap ? [] : Enumerable.Range(0, width * height * channels)
                    .Select(i => twoBytes ? raster[2 * i] << 8 | raster[2 * i + 1] : raster[i]).ToArray();
                if (samples.Any(v => v > maxValue)) continue; // bytes this maximum cannot hold
                string end = new[] { " ", "\n", "\t", "\r" }[random.Next(4)]; // the one whitespace byte that ends the header
                string header = bitmap ? $"P4\n{width} {height}{end}" : $"P{kind}\n{width} {height}\n{maxValue}{end}";
                byte[] trailing = random.Next(3) switch { 0 => [], 1 => [(byte)'\n'], _ => [(byte)'x', 0] };
                byte[] file = [.. System.Text.Encoding.ASCII.GetBytes(header), .. raster, .. trailing];

                RgbaImage image = ImageDecoder.Decode(file, 1 << 20, "leading.pnm", Ct);
                Assert.Equal((width, height), (image.Width, image.Height));
                for (int p = 0; p < width * height; p++)
                {
                    ushort Level(int c) => bitmap
                        ? (ushort)(((raster[p / width * ((width + 7) / 8) + p % width / 8] >> (7 - p % width % 8)) & 1) == 1 ? 0 : 65535)
                        : (ushort)Math.Round(samples[p * channels + c] * 65535.0 / maxValue, MidpointRounding.AwayFromZero);
                    var expected = new Rgba64(Level(0), Level(channels == 3 ? 1 : 0), Level(channels == 3 ? 2 : 0), 65535);
                    Rgba32 eight = image.Pixels[p];
                    Rgba64 got = image.Wide?[p] ?? new Rgba64((ushort)(eight.R * 257), (ushort)(eight.G * 257), (ushort)(eight.B * 257), 65535);
                    Assert.True(expected == got, $"P{kind} maximum {maxValue}, raster {Convert.ToHexString(raster.AsSpan(0, Math.Min(8, length)))}, pixel {p}: {got}, expected {expected}");
                }
                files++;
            }
        }
        Assert.True(files >= 6, $"only {files} files");
    }

    [Fact]
    public void A_bitmap_whose_raster_is_one_space_is_not_taken_for_a_header_cut_short()
    {
        // "P4 8 1" and the byte 0x20: eight pixels, the third black (it was refused: "the file ends inside the PBM header").
        RgbaImage image = ImageDecoder.Decode("P4\n8 1\n "u8.ToArray(), 1 << 20, "space.pbm", Ct);
        Assert.Equal([255, 255, 0, 255, 255, 255, 255, 255], image.Pixels.Take(8).Select(p => p.R));
    }

    [Fact]
    public void A_maximum_255_raster_starting_with_a_line_feed_is_read_as_ImageSharp_reads_its_plain_twin()
    {
        // ImageSharp alone skips the line feed as header and shifts every pixel (or refuses); ours reads it as the P2 of
        // the same samples, which ImageSharp reads right.
        int[] grey = PnmWriter.Samples('5', 17, 11, 255, 44);
        grey[0] = 10;
        byte[] binary = PnmWriter.Write('5', 17, 11, 255, grey), plain = PnmWriter.Write('2', 17, 11, 255, grey);
        Rgba32[] twin = ImageSharpOracle.Decode(plain).Frames![0];
        Assert.False(ImageSharpOracle.Decode(binary).Frames?[0].SequenceEqual(twin) ?? false);
        RgbaImage image = ImageDecoder.Decode(binary, 1 << 20, "feed.pgm", Ct);
        Assert.Equal(twin, image.Pixels.Take(17 * 11));
    }

    [Fact]
    public void Maximum_255_and_bitmaps_stay_with_ImageSharp()
    {
        Assert.False(Imaging.Pnm.PnmDecoder.Reads(PnmWriter.Write('5', 2, 1, 255, [0, 255])));
        Assert.False(Imaging.Pnm.PnmDecoder.Reads(PnmWriter.Write('4', 2, 1, 1, [0, 1])));
        Assert.False(Imaging.Pnm.PnmDecoder.Reads(PnmWriter.Write('1', 2, 1, 1, [0, 1])));
        Assert.True(Imaging.Pnm.PnmDecoder.Reads(PnmWriter.Write('2', 2, 1, 256, [0, 1])));
    }

    [Fact]
    public void A_ten_bit_PGM_is_quantized_against_its_own_values()
    {
        // A ramp stays a ramp (read byte-swapped it would not), and the result's figures are those of the file against v / 1023.
        using var folder = new TempFolder();
        int[] samples = Enumerable.Range(0, 64 * 8).Select(i => i % 64 * 1023 / 63).ToArray();
        string input = folder.File("ten.pgm"), output = folder.File("ten.png");
        File.WriteAllBytes(input, PnmWriter.Write('5', 64, 8, 1023, samples));
        QuantizeResult result = ImageQuantizer.Quantize(input, output, new QuantizeOptions { K = 8, Seed = 1 }, cancellationToken: Ct);
        Rgba32[] written = Fixtures.ReadPixels(output);
        for (int x = 1; x < 64; x++) Assert.True(written[x].R >= written[x - 1].R, $"column {x}: {written[x]} after {written[x - 1]}");
        Assert.True(written[63].R - written[0].R > 200, $"{written[0]} to {written[63]}");
        double sum = 0;
        for (int i = 0; i < samples.Length; i++)
        {
            double d = samples[i] * 255.0 / 1023 - written[i].R;
            sum += 3 * d * d;
        }
        // The samples are kept at 16 bits (v x 65535 / 1023 rounded), within 1e-5 of an 8-bit step of v / 1023.
        Assert.Equal(10 * Math.Log10(255.0 * 255.0 * 3 * samples.Length / sum), result.Psnr, 4);
        Assert.False(result.Lossless);
        Assert.Equal(64, result.SourceColors);
    }

    /// <summary>
    /// Samples scaled as netpbm scales them (pamdepth: (v x new maximum + old maximum / 2) / old maximum, halves up):
    /// at exact halves a maximum of 200 gives 26 77 128 179 at 8 bits, where halves rounded to even gave 26 76 128 178.
    /// </summary>
    [Fact]
    public void Samples_at_exact_halves_round_up_as_netpbm_rounds_them()
    {
        RgbaImage ties = ImageDecoder.Decode(PnmWriter.Write('5', 4, 1, 200, [20, 60, 100, 140]), 1 << 20, "ties.pgm", Ct);
        Assert.Equal([26, 77, 128, 179], ties.Pixels.Select(p => (int)p.R));
        RgbaImage wide = ImageDecoder.Decode(PnmWriter.Write('5', 2, 1, 100, [30, 7]), 1 << 20, "wide.pgm", Ct);
        Assert.NotNull(wide.Wide);
        Assert.Equal([19661, 4587], wide.Wide!.Select(p => (int)p.R)); // 19,660.5 and 4,587.45
    }

    /// <summary>
    /// A comment right after a header number ("5 3#x") ends the number, as netpbm reads it; ImageSharp 2.1 took the
    /// comment's text for the next number, and the file was refused ("the PGM's maximum value is 0").
    /// </summary>
    [Theory]
    [InlineData('1', 0)]
    [InlineData('1', 1)]
    [InlineData('2', 2)]
    [InlineData('3', 1)]
    [InlineData('4', 1)]
    [InlineData('5', 0)]
    [InlineData('5', 2)]
    [InlineData('6', 1)]
    [InlineData('6', 2)]
    public void A_comment_right_after_a_header_number_ends_it(char kind, int number)
    {
        int maxValue = kind is '1' or '4' ? 1 : 255;
        int[] samples = PnmWriter.Samples(kind, 5, 3, maxValue, 9);
        byte[] plain = PnmWriter.Write(kind, 5, 3, maxValue, samples);
        string header = kind is '1' or '4' ? $"P{kind}\n5 3\n" : $"P{kind}\n5 3\n{maxValue}\n";
        Assert.Equal(header, System.Text.Encoding.ASCII.GetString(plain, 0, header.Length));
        // The separator after width (0), height (1) or maximum (2) becomes a comment.
        int at = number switch { 0 => 4, 1 => 6, _ => 7 + maxValue.ToString(System.Globalization.CultureInfo.InvariantCulture).Length };
        byte[] commented = [.. plain.AsSpan(0, at), .. "#note 1 2\n"u8, .. plain.AsSpan(at + 1)];
        Assert.Equal(ImageDecoder.Decode(plain, 1 << 20, "plain.pnm", Ct).Pixels, ImageDecoder.Decode(commented, 1 << 20, "commented.pnm", Ct).Pixels);
    }
}
