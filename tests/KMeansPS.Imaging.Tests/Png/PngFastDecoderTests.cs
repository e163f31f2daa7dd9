using System.Text;
using KMeansPS.Imaging.Png;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Png;

public class PngFastDecoderTests
{
    public static TheoryData<string, string, int, int> EncodedCases()
    {
        var data = new TheoryData<string, string, int, int>();
        foreach (string color in new[] { "rgb", "rgba", "grey", "grey-alpha" })
            foreach (PngFilterMethod filter in Enum.GetValues<PngFilterMethod>())
                foreach ((int w, int h) in new[] { (1, 1), (1, 6), (3, 5), (17, 9), (33, 4), (65, 7), (64, 3) })
                    data.Add(color, filter.ToString(), w, h);
        return data;
    }

    /// <summary>ImageSharp encodes with one filter (or adaptively); both our paths must give ImageSharp's pixels.</summary>
    [Theory]
    [MemberData(nameof(EncodedCases))]
    public void Decodes_images_encoded_by_ImageSharp_exactly(string color, string filter, int width, int height)
    {
        RgbaImage source = PngFiles.Noise(width, height, seed: width * 31 + height);
        var encoder = new PngEncoder
        {
            BitDepth = PngBitDepth.Bit8,
            FilterMethod = Enum.Parse<PngFilterMethod>(filter),
            ColorType = color switch
            {
                "rgb" => PngColorType.Rgb,
                "rgba" => PngColorType.RgbWithAlpha,
                "grey" => PngColorType.Grayscale,
                _ => PngColorType.GrayscaleWithAlpha,
            },
        };
        using var stream = new MemoryStream();
        using (Image<Rgba32> image = Fixtures.ToImage(source)) image.Save(stream, encoder);
        byte[] file = stream.ToArray();

        PngPlan? plan = PngPlan.TryRead(file);
        Assert.NotNull(plan);
        Assert.Equal((width, height), (plan.Width, plan.Height));
        Rgba32[] expected = Fixtures.ReadPixels(file);
        Assert.Equal(expected, DecodeOrNull(plan, file, vectorised: true));
        Assert.Equal(expected, DecodeOrNull(plan, file, vectorised: false));
    }

    public static TheoryData<int, int> ColorTypes => [(0, 1), (2, 3), (4, 2), (6, 4)];

    /// <summary>
    /// Hand-made files: random bytes under a random filter per row, split over IDAT chunks of random sizes
    /// (empty ones too). Every filter meets every neighbour, at widths around the vector sizes.
    /// </summary>
    [Theory]
    [MemberData(nameof(ColorTypes))]
    public void Random_filters_on_random_data_match_ImageSharp_and_the_scalar_reference(int colorType, int bpp)
    {
        var random = new Random(20261201 + colorType);
        int[] widths = [.. Enumerable.Range(1, 20), 31, 32, 33, 63, 64, 65, 100, 257];
        foreach (int width in widths)
            foreach (int height in new[] { 1, 2, 3, 5, 7, 20, 45 })
            {
                // Every filter equally often, or mostly Paeth, so runs of 1 to many Paeth rows meet the others.
                byte[] filters = height % 2 == 0 ? [0, 1, 2, 3, 4] : [4, 4, 4, 4, 4, 1, 2, 3];
                byte[] raw = PngFiles.RandomScanlines(random, width, height, bpp, filters);
                byte[] file = PngFiles.Build(width, height, colorType, raw, random);
                PngPlan? plan = PngPlan.TryRead(file);
                Assert.NotNull(plan);
                Rgba32[] expected = Fixtures.ReadPixels(file);
                Rgba32[]? vector = DecodeOrNull(plan, file, vectorised: true);
                Rgba32[]? scalar = DecodeOrNull(plan, file, vectorised: false);
                Assert.True(expected.AsSpan().SequenceEqual(vector), $"vector path, {width} x {height}");
                Assert.True(expected.AsSpan().SequenceEqual(scalar), $"scalar path, {width} x {height}");
            }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Each_filter_alone_matches_the_scalar_reference(int filter)
    {
        // Whole images under one filter, so a vector kernel runs across many rows in a row.
        var random = new Random(filter);
        foreach ((int colorType, int bpp) in new[] { (0, 1), (2, 3), (4, 2), (6, 4) })
            foreach (int width in new[] { 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 300 })
            {
                int height = width % 2 == 0 ? 9 : 71; // beyond one block of scanlines
                byte[] raw = PngFiles.RandomScanlines(random, width, height, bpp, filters: [(byte)filter]);
                byte[] file = PngFiles.Build(width, height, colorType, raw, random);
                PngPlan plan = PngPlan.TryRead(file)!;
                Assert.Equal(DecodeOrNull(plan, file, vectorised: false), DecodeOrNull(plan, file, vectorised: true));
                Assert.Equal(Fixtures.ReadPixels(file), DecodeOrNull(plan, file, vectorised: true));
            }
    }

    [Fact]
    public void Rows_done_rises_to_the_height_and_reported_rows_are_final()
    {
        var random = new Random(5);
        const int Width = 37, Height = 150;
        byte[] file = PngFiles.Build(Width, Height, 2, PngFiles.RandomScanlines(random, Width, Height, 3, [0, 1, 2, 3, 4]), random);
        Rgba32[] expected = Fixtures.ReadPixels(file);
        PngPlan plan = PngPlan.TryRead(file)!;
        foreach (PngFastDecoder.Kernel kernel in Enum.GetValues<PngFastDecoder.Kernel>())
        {
            var destination = new Rgba32[Width * Height];
            var reports = new List<int>();
            bool ok = PngFastDecoder.DecodeWith(plan, file, destination, rows =>
            {
                reports.Add(rows);
                // Everything reported must already be the final pixels.
                Assert.True(destination.AsSpan(0, rows * Width).SequenceEqual(expected.AsSpan(0, rows * Width)));
            }, kernel, TestContext.Current.CancellationToken);
            Assert.True(ok);
            Assert.True(reports.Count >= 3, $"{reports.Count} reports");
            Assert.Equal(Height, reports[^1]);
            Assert.All(reports.Zip(reports.Skip(1)), pair => Assert.True(pair.First < pair.Second));
            Assert.True(reports[0] > 0);
        }
    }

    [Fact]
    public void Accepts_harmless_ancillary_chunks()
    {
        var random = new Random(12);
        byte[] raw = PngFiles.RandomScanlines(random, 9, 5, 4, [0, 1, 2, 3, 4]);
        byte[] text(string s) => Encoding.Latin1.GetBytes(s);
        byte[] file = PngFiles.Concat(
        [
            PngFiles.Chunk("IHDR", PngFiles.Ihdr(9, 5, 8, 6, 0)),
            PngFiles.Chunk("gAMA", [0, 0, 0xB1, 0x8F]),
            PngFiles.Chunk("sRGB", [0]),
            PngFiles.Chunk("pHYs", [0, 0, 0x0B, 0x13, 0, 0, 0x0B, 0x13, 1]),
            PngFiles.Chunk("tEXt", text("Software\0test")),
            PngFiles.Chunk("iTXt", text("XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta/>")),
            PngFiles.Chunk("eXIf", text("MM\0*\0\0\0\u0008\0\0")),
            PngFiles.Chunk("IDAT", PngFiles.Zlib(raw)),
            PngFiles.Chunk("tIME", [7, 234, 12, 1, 0, 0, 0]),
            PngFiles.Chunk("IEND", []),
        ]);
        PngPlan? plan = PngPlan.TryRead(file);
        Assert.NotNull(plan);
        Assert.Equal(Fixtures.ReadPixels(file), DecodeOrNull(plan, file, vectorised: true));
    }

    [Fact]
    public void Never_throws_on_truncated_files()
    {
        var random = new Random(13);
        byte[] file = PngFiles.Build(23, 9, 6, PngFiles.RandomScanlines(random, 23, 9, 4, [0, 1, 2, 3, 4]), random);
        int planned = 0;
        for (int length = 0; length <= file.Length; length++)
        {
            byte[] cut = file[..length];
            PngPlan? plan = PngPlan.TryRead(cut);
            if (plan is null) continue;
            planned++;
            // Only the whole file (or one cut inside trailing bytes, which it has none of) can be planned.
            Assert.Equal(file.Length, length);
            Assert.True(PngFastDecoder.Decode(plan, cut, new Rgba32[plan.Width * plan.Height], null, TestContext.Current.CancellationToken));
        }
        Assert.Equal(1, planned);
    }

    [Fact]
    public void Truncated_or_short_zlib_data_gives_false()
    {
        var random = new Random(14);
        byte[] raw = PngFiles.RandomScanlines(random, 17, 12, 3, [0, 1, 2, 3, 4]);
        byte[] zlib = PngFiles.Zlib(raw);
        // A chunk layout that is fine, around zlib data cut anywhere: the rows cannot all be there.
        for (int length = 0; length < zlib.Length - 4; length += Math.Max(1, zlib.Length / 60))
        {
            byte[] file = PngFiles.Concat([PngFiles.Chunk("IHDR", PngFiles.Ihdr(17, 12, 8, 2, 0)), PngFiles.Chunk("IDAT", zlib[..length]), PngFiles.Chunk("IEND", [])]);
            AssertFalseOrLikeImageSharp(file, mustFail: true);
        }
        // A complete zlib stream holding one row too few.
        byte[] shortFile = PngFiles.Concat([PngFiles.Chunk("IHDR", PngFiles.Ihdr(17, 13, 8, 2, 0)), PngFiles.Chunk("IDAT", zlib), PngFiles.Chunk("IEND", [])]);
        AssertFalseOrLikeImageSharp(shortFile, mustFail: true);
    }

    [Fact]
    public void Extra_data_after_the_last_row_is_ignored_as_ImageSharp_does()
    {
        var random = new Random(15);
        byte[] raw = PngFiles.RandomScanlines(random, 17, 12, 3, [0, 1, 2, 3, 4]);
        byte[] file = PngFiles.Concat([PngFiles.Chunk("IHDR", PngFiles.Ihdr(17, 11, 8, 2, 0)), PngFiles.Chunk("IDAT", PngFiles.Zlib(raw)), PngFiles.Chunk("IEND", [])]);
        PngPlan plan = PngPlan.TryRead(file)!;
        Assert.Equal(Fixtures.ReadPixels(file), DecodeOrNull(plan, file, vectorised: true));
    }

    [Fact]
    public void A_bad_filter_byte_gives_false()
    {
        var random = new Random(16);
        byte[] raw = PngFiles.RandomScanlines(random, 8, 6, 4, [0, 1, 2, 3, 4]);
        raw[3 * (8 * 4 + 1)] = 5; // the fourth row's filter type
        byte[] file = PngFiles.Build(8, 6, 6, raw, random);
        PngPlan plan = PngPlan.TryRead(file)!;
        Assert.ThrowsAny<ImageFormatException>(() => Fixtures.ReadPixels(file));
        Assert.Null(DecodeOrNull(plan, file, vectorised: true));
        Assert.Null(DecodeOrNull(plan, file, vectorised: false));
    }

    [Fact]
    public void A_flipped_bit_in_IDAT_fails_the_CRC_check()
    {
        var random = new Random(17);
        byte[] raw = PngFiles.RandomScanlines(random, 30, 20, 3, [0, 1, 2, 3, 4]);
        byte[] file = PngFiles.Concat([PngFiles.Chunk("IHDR", PngFiles.Ihdr(30, 20, 8, 2, 0)), PngFiles.Chunk("IDAT", PngFiles.Zlib(raw)), PngFiles.Chunk("IEND", [])]);
        PngPlan plan = PngPlan.TryRead(file)!;
        // Data or CRC of the only IDAT: the CRC no longer matches.
        for (int i = plan.IdatStart + 8; i < plan.IdatEnd; i++)
        {
            byte[] damaged = (byte[])file.Clone();
            damaged[i] ^= (byte)(1 << (i % 8));
            PngPlan damagedPlan = PngPlan.TryRead(damaged)!;
            Assert.Null(DecodeOrNull(damagedPlan, damaged, vectorised: true));
            Assert.Null(DecodeOrNull(damagedPlan, damaged, vectorised: false));
        }
        Assert.ThrowsAny<ImageFormatException>(() => Fixtures.ReadPixels(Flip(file, plan.IdatStart + 9)));

        // Anywhere in a run of IDATs (lengths and types too): refused, false, or (when only the zlib trailer is
        // lost, say) ImageSharp's own pixels.
        byte[] split = PngFiles.Build(30, 20, 2, raw, random);
        PngPlan splitPlan = PngPlan.TryRead(split)!;
        for (int i = splitPlan.IdatStart; i < splitPlan.IdatEnd; i++)
        {
            byte[] damaged = (byte[])split.Clone();
            damaged[i] ^= (byte)(1 << (i % 8));
            AssertFalseOrLikeImageSharp(damaged, mustFail: false);
        }
    }

    [Fact]
    public void Damaged_zlib_data_with_a_good_CRC_gives_false_or_ImageSharps_pixels()
    {
        var random = new Random(18);
        byte[] raw = PngFiles.RandomScanlines(random, 30, 20, 3, [0, 1, 2, 3, 4]);
        byte[] zlib = PngFiles.Zlib(raw);
        int failures = 0;
        for (int i = 0; i < zlib.Length; i += 3)
        {
            byte[] damaged = Flip(zlib, i);
            byte[] file = PngFiles.Concat([PngFiles.Chunk("IHDR", PngFiles.Ihdr(30, 20, 8, 2, 0)), PngFiles.Chunk("IDAT", damaged), PngFiles.Chunk("IEND", [])]);
            if (!AssertFalseOrLikeImageSharp(file, mustFail: false)) failures++;
        }
        Assert.True(failures > 0, "some damage must be caught");
    }

    [Fact]
    public void Never_throws_on_random_bytes()
    {
        var random = new Random(19);
        Assert.Null(PngPlan.TryRead([]));
        Assert.Null(PngPlan.TryRead(default(ReadOnlySpan<byte>)));
        byte[] signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        for (int i = 0; i < 2000; i++)
        {
            byte[] bytes = new byte[random.Next(0, 200)];
            random.NextBytes(bytes);
            if (i % 2 == 0 && bytes.Length >= 8) signature.CopyTo(bytes, 0);
            Assert.Null(PngPlan.TryRead(bytes));
        }
        // Random chunk data behind a valid IHDR and IDAT header: the IDAT CRC cannot match.
        for (int i = 0; i < 200; i++)
        {
            byte[] junk = new byte[random.Next(2, 300)];
            random.NextBytes(junk);
            byte[] idat = PngFiles.Chunk("IDAT", junk);
            idat[^1] ^= 0x55;
            byte[] file = PngFiles.Concat([PngFiles.Chunk("IHDR", PngFiles.Ihdr(5, 5, 8, 6, 0)), idat, PngFiles.Chunk("IEND", [])]);
            PngPlan plan = PngPlan.TryRead(file)!;
            Assert.False(PngFastDecoder.Decode(plan, file, new Rgba32[25], null, TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public void Random_zlib_payloads_with_good_CRCs_never_throw()
    {
        var random = new Random(20);
        for (int i = 0; i < 300; i++)
        {
            byte[] junk = new byte[random.Next(2, 300)];
            random.NextBytes(junk);
            junk[0] = 0x78; // a valid zlib header, so the inflater gets to the data
            junk[1] = 0x9C;
            byte[] file = PngFiles.Concat([PngFiles.Chunk("IHDR", PngFiles.Ihdr(5, 5, 8, 6, 0)), PngFiles.Chunk("IDAT", junk), PngFiles.Chunk("IEND", [])]);
            AssertFalseOrLikeImageSharp(file, mustFail: false);
        }
    }

    [Fact]
    public void Cancellation_throws()
    {
        var random = new Random(21);
        byte[] file = PngFiles.Build(40, 200, 2, PngFiles.RandomScanlines(random, 40, 200, 3, [0, 1, 2, 3, 4]), random);
        PngPlan plan = PngPlan.TryRead(file)!;
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => PngFastDecoder.Decode(plan, file, new Rgba32[40 * 200], null, cancelled.Token));

        foreach (PngFastDecoder.Kernel kernel in Enum.GetValues<PngFastDecoder.Kernel>())
        {
            using var midway = new CancellationTokenSource();
            int last = 0;
            Assert.ThrowsAny<OperationCanceledException>(() => PngFastDecoder.DecodeWith(plan, file, new Rgba32[40 * 200], rows =>
            {
                last = rows;
                midway.Cancel();
            }, kernel, midway.Token));
            Assert.InRange(last, 1, 199); // stopped at the first check after the cancel, not at the end
        }
    }

    [Fact]
    public void Exceptions_from_the_callback_are_passed_on()
    {
        var random = new Random(24);
        byte[] file = PngFiles.Build(40, 100, 6, PngFiles.RandomScanlines(random, 40, 100, 4, [0, 1, 2, 3, 4]), random);
        PngPlan plan = PngPlan.TryRead(file)!;
        foreach (PngFastDecoder.Kernel kernel in Enum.GetValues<PngFastDecoder.Kernel>())
        {
            var ex = Assert.Throws<InvalidOperationException>(() => PngFastDecoder.DecodeWith(plan, file, new Rgba32[40 * 100],
                rows => throw new InvalidOperationException("consumer failed at " + rows), kernel, TestContext.Current.CancellationToken));
            Assert.Equal("consumer failed at 32", ex.Message);
        }
    }

    [Fact]
    public void A_destination_too_small_is_a_caller_error()
    {
        var random = new Random(22);
        byte[] file = PngFiles.Build(4, 4, 2, PngFiles.RandomScanlines(random, 4, 4, 3, [0]), random);
        PngPlan plan = PngPlan.TryRead(file)!;
        Assert.Throws<ArgumentException>(() => PngFastDecoder.Decode(plan, file, new Rgba32[15], null, TestContext.Current.CancellationToken));
    }

    private static byte[] Flip(byte[] bytes, int index)
    {
        byte[] copy = (byte[])bytes.Clone();
        copy[index] ^= 0x10;
        return copy;
    }

    /// <summary>
    /// The contract on damaged input: no exception; false, or true with exactly ImageSharp's pixels (ImageSharp then
    /// must succeed). Returns whether the fast decoder succeeded.
    /// </summary>
    private static bool AssertFalseOrLikeImageSharp(byte[] file, bool mustFail)
    {
        PngPlan? plan = PngPlan.TryRead(file);
        if (plan is null) return false;
        Rgba32[]? vector = DecodeOrNull(plan, file, vectorised: true);
        Rgba32[]? scalar = DecodeOrNull(plan, file, vectorised: false);
        Assert.Equal(vector is null, scalar is null);
        if (mustFail) Assert.Null(vector);
        if (vector is null) return false;
        Assert.Equal(vector, scalar);
        Assert.Equal(Fixtures.ReadPixels(file), vector);
        return true;
    }

    /// <summary>
    /// Decodes with the scalar reference, or (<paramref name="vectorised"/>) with both vector kernels, which must
    /// agree with each other; null when the decoder returns false.
    /// </summary>
    private static Rgba32[]? DecodeOrNull(PngPlan plan, byte[] file, bool vectorised)
    {
        if (!vectorised) return DecodeOrNull(plan, file, PngFastDecoder.Kernel.Scalar);
        Rgba32[]? narrow = DecodeOrNull(plan, file, PngFastDecoder.Kernel.Vector128);
        Rgba32[]? wide = DecodeOrNull(plan, file, PngFastDecoder.Kernel.Vector256);
        Assert.Equal(narrow, wide);
        return wide;
    }

    private static Rgba32[]? DecodeOrNull(PngPlan plan, byte[] file, PngFastDecoder.Kernel kernel)
    {
        // Poison, so a pixel the decoder forgets to write shows.
        var pixels = Enumerable.Repeat(new Rgba32(1, 2, 3, 4), plan.Width * plan.Height).ToArray();
        return PngFastDecoder.DecodeWith(plan, file, pixels, null, kernel, TestContext.Current.CancellationToken) ? pixels : null;
    }
}
