using System.IO.Compression;
using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Quantization;
using KMeansPS.Imaging.Tests.Corpus;
using KMeansPS.Imaging.Tests.Integrity;
using KMeansPS.Imaging.Tests.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Decoding;

/// <summary>
/// Damaged files through the decode path the cmdlets use (<see cref="ImageDecoder"/>, and <see cref="ImageIntake"/>
/// with its own fast PNG decoder): every truncation, byte flip, lying header and bomb of the generated corpus gives
/// exactly one <see cref="InvalidImageException"/> or <see cref="ImageLimitExceededException"/> that names the file,
/// or, for a cut or flip that loses nothing, the intact file's image. No other exception escapes, nothing hangs.
/// </summary>
public sealed class DamagedFileDecodeTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    /// <summary>Still images of every format, small and large, plus cjpeg's progressive and restart-interval JPEGs.</summary>
    private static readonly Lazy<IReadOnlyList<(string Name, byte[] Bytes, ImageFileFormat Format)>> s_stills = new(() =>
    {
        var files = IntegrityCorpus.Valid.Concat(IntegrityCorpus.Large)
            .Where(f => f.Frames == 1 && f.ImageSharpDecodes)
            .Select(f => (f.Name, f.Bytes, f.Format)).ToList();
        RgbaImage photo = JpegSamples.Photo(80, 56, seed: 11);
        files.Add(("jpeg-progressive-cjpeg", LibjpegTools.Cjpeg(photo, "-quality 80 -sample 2x2 -progressive"), ImageFileFormat.Jpeg));
        files.Add(("jpeg-restart-cjpeg", LibjpegTools.Cjpeg(photo, "-quality 80 -sample 2x1 -restart 1"), ImageFileFormat.Jpeg));
        return files;
    });

    public static TheoryData<string> Stills() => new(s_stills.Value.Select(f => f.Name));

    public static TheoryData<string> MultiFrame() =>
        new(IntegrityCorpus.Valid.Concat(IntegrityCorpus.Large).Where(f => f.Frames > 1).Select(f => f.Name));

    public static TheoryData<string> Quirks() =>
        new(QuirkCorpus.Files.Where(f => f.Expected != IntegrityVerdict.Intact).Select(f => f.Name));

    private static (string Name, byte[] Bytes, ImageFileFormat Format) Still(string name) => s_stills.Value.Single(f => f.Name == name);

    /// <summary>The outcome of one decode: the pixels, or null for an error (which must be ours and name the file).</summary>
    private static Rgba32[]? DecodeOrError(byte[] bytes, string name, string what) => DecodeOrError(bytes, name, what, out _);

    /// <summary>As above; <paramref name="allocated"/> is what the decode allocated (on its own thread, under a time limit).</summary>
    private static Rgba32[]? DecodeOrError(byte[] bytes, string name, string what, out long allocated)
    {
        CancellationToken token = TestContext.Current.CancellationToken;
        var (pixels, error, bytesAllocated) = ScanTimeout.Run(() =>
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                RgbaImage image = ImageDecoder.Decode(new MemoryStream(bytes), name: name, cancellationToken: token);
                Rgba32[] copy = image.Pixels[..(image.Width * image.Height)];
                return (copy, (Exception?)null, GC.GetAllocatedBytesForCurrentThread() - before - copy.Length * 4L);
            }
            catch (Exception ex)
            {
                return ((Rgba32[]?)null, ex, GC.GetAllocatedBytesForCurrentThread() - before);
            }
        }, Limit, what);
        allocated = bytesAllocated;
        switch (error)
        {
            case null:
                return pixels;
            case InvalidImageException invalid:
                AssertNames(invalid.Message, invalid.FilePath, name, what);
                return null;
            case ImageLimitExceededException limit:
                AssertNames(limit.Message, limit.FilePath, name, what);
                return null;
            default:
                Assert.Fail($"{what}: {error.GetType().Name} escaped the decode path: {error.Message}");
                return null;
        }
    }

    private static void AssertNames(string message, string? filePath, string name, string what)
    {
        Assert.True(message.Contains($"'{name}'", StringComparison.Ordinal), $"{what}: the message does not name the file: {message}");
        Assert.True(filePath == name, $"{what}: FilePath is '{filePath}'");
    }

    /// <summary>Cut points: 10, 50 and 90 %, one byte short, and four seeded ones.</summary>
    private static IEnumerable<int> Cuts(string name, int length)
    {
        var random = new Random(MutationTests.StableSeed(name));
        int[] seeded = [.. Enumerable.Range(0, 4).Select(_ => random.Next(1, length))];
        return new[] { length / 10, length / 2, length * 9 / 10, length - 1 }.Concat(seeded).Where(n => n > 0).Distinct().Order();
    }

    [Theory]
    [MemberData(nameof(Stills))]
    public void A_truncated_file_is_an_error_naming_it_or_the_whole_image(string name)
    {
        var (_, bytes, format) = Still(name);
        Rgba32[]? whole = DecodeOrError(bytes, name, name);
        Assert.NotNull(whole);
        int errors = 0;
        foreach (int cut in Cuts(name, bytes.Length))
        {
            // A plain PNM cut inside its very last number ("19" of "192") cannot be told from a whole file.
            if (format == ImageFileFormat.Pnm && bytes[1] is (byte)'1' or (byte)'2' or (byte)'3'
                && bytes.AsSpan(cut).IndexOfAny(" \n\t\r"u8) < 0)
                continue;
            string label = $"{name}-cut-{cut}";
            Rgba32[]? decoded = DecodeOrError(bytes[..cut], label, $"{name} cut to {cut} of {bytes.Length} bytes");
            if (decoded is null) errors++;
            else Assert.True(whole.AsSpan().SequenceEqual(decoded), $"{name} cut to {cut} of {bytes.Length} bytes decoded to a different image with no error");
        }
        Assert.True(errors > 0, $"{name}: no cut was an error");
    }

    [Theory]
    [MemberData(nameof(Stills))]
    public void A_truncated_file_read_for_quantizing_is_an_error_naming_it_or_the_whole_image(string name)
    {
        var (_, bytes, format) = Still(name);
        if (format == ImageFileFormat.Pnm) return; // the cut-inside-the-last-number case is covered above
        Rgba32[] whole = DecodeOrError(bytes, name, name)!;
        using var folder = new TempFolder();
        int errors = 0;
        foreach (int cut in new[] { bytes.Length / 10, bytes.Length / 2, bytes.Length * 9 / 10 })
        {
            string path = folder.File($"{name}-{cut}.img");
            File.WriteAllBytes(path, bytes[..cut]);
            Exception? ex = null;
            ImageIntake.Intake intake = default;
            try
            {
                intake = ImageIntake.Read(path, ImageDecoder.DefaultMaxPixels, countColors: true, keepPixelIndexUpTo: long.MaxValue,
                    threads: 2, TestContext.Current.CancellationToken);
            }
            catch (Exception caught)
            {
                ex = caught;
            }
            if (ex is null)
            {
                // Cut in the trailing chunks or bytes only: the image must be the whole one.
                Assert.True(whole.AsSpan().SequenceEqual(intake.Image.Pixels.AsSpan(0, intake.Image.Width * intake.Image.Height)),
                    $"{name} cut to {cut}: a different image with no error");
                continue;
            }
            errors++;
            var invalid = Assert.IsType<InvalidImageException>(ex, exactMatch: true);
            AssertNames(invalid.Message, invalid.FilePath, path, $"{name} cut to {cut}");
        }
        Assert.True(errors > 0, $"{name}: no cut was an error");
    }

    /// <summary>A PNG whose chunks are all there and valid, but whose image data holds fewer rows than its header.</summary>
    [Theory]
    [InlineData(10)]
    [InlineData(50)]
    [InlineData(90)]
    public void A_PNG_with_intact_chunks_but_short_image_data_is_an_error_on_both_paths(int percent)
    {
        const int W = 64, H = 48;
        var random = new Random(percent);
        byte[] raw = new byte[H * (1 + 4 * W)];
        random.NextBytes(raw);
        for (int y = 0; y < H; y++) raw[y * (1 + 4 * W)] = 0; // filter None
        byte[] kept = raw[..(raw.Length * percent / 100)];
        byte[] png = PngWriter.Assemble([("IHDR", PngWriter.Header(W, H, 8, 6)), ("IDAT", PngWriter.Zlib(kept)), ("IEND", [])]);

        Assert.Null(DecodeOrError(png, "short.png", "short.png"));
        using var folder = new TempFolder();
        string path = folder.File("short.png");
        File.WriteAllBytes(path, png);
        var ex = Assert.Throws<InvalidImageException>(() => ImageIntake.Read(path, ImageDecoder.DefaultMaxPixels, countColors: true,
            keepPixelIndexUpTo: long.MaxValue, threads: 2, TestContext.Current.CancellationToken));
        Assert.Contains($"'{path}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"of {H} rows", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Stills))]
    public void Flipped_bytes_give_an_error_naming_the_file_or_an_image_never_another_exception(string name)
    {
        var (_, bytes, _) = Still(name);
        var random = new Random(MutationTests.StableSeed(name) ^ 0x5A5A);
        for (int i = 0; i < 24; i++)
        {
            byte[] mutant = bytes.ToArray();
            // Half in the header (the first 64 bytes), half anywhere.
            int at = i % 2 == 0 ? random.Next(Math.Min(64, mutant.Length)) : random.Next(mutant.Length);
            mutant[at] ^= (byte)(1 << random.Next(8));
            DecodeOrError(mutant, $"{name}-flip-{at}", $"{name} with a bit flipped at {at}");
        }
    }

    [Theory]
    [MemberData(nameof(MultiFrame))]
    public void A_file_with_several_frames_or_pages_is_an_error_by_default(string name)
    {
        CorpusFile file = IntegrityCorpus.Valid.Concat(IntegrityCorpus.Large).Single(f => f.Name == name);
        var ex = Assert.Throws<InvalidImageException>(
            () => ImageDecoder.Decode(new MemoryStream(file.Bytes), name: name, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains($"'{name}'", ex.Message, StringComparison.Ordinal);
        Assert.Matches("frames|pages|images", ex.Message);
    }

    /// <summary>Lying headers, stubs claiming 16000 x 16000, misread variants: an error, with little allocated.</summary>
    [Theory]
    [MemberData(nameof(Quirks))]
    public void Damaged_and_misread_files_are_errors_before_their_pixels_are_allocated(string name)
    {
        QuirkFile file = QuirkCorpus.Files.Single(f => f.Name == name);
        DecodeOrError(file.Bytes, name + "-warm-up", name);
        Rgba32[]? decoded = DecodeOrError(file.Bytes, name, name, out long allocated);
        Assert.Null(decoded);
        // The file's bytes are copied once; the rest is the scanner's and the message's (no pixel buffers).
        Assert.True(allocated < file.Bytes.Length + (256 << 10), $"{name}: {allocated:N0} bytes allocated");
    }

    [Fact]
    public void A_GIF_of_a_thousand_frames_on_a_large_screen_is_refused_without_decoding()
    {
        Rgba32[] palette = CorpusImages.Palette(2, 3);
        var frames = Enumerable.Range(0, 1000).Select(i => new GifWriter.Frame(i % 1000, i / 1000, 1, 1, [0]));
        byte[] gif = GifWriter.Write(1000, 1000, palette, frames);
        Assert.Null(DecodeOrError(gif, "bomb.gif", "bomb.gif", out long allocated));
        var ex = Assert.Throws<InvalidImageException>(
            () => ImageDecoder.Decode(new MemoryStream(gif), name: "bomb.gif", cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("1,000 frames", ex.Message, StringComparison.Ordinal);
        Assert.True(allocated < 4 << 20, $"{allocated:N0} bytes allocated");
    }

    [Fact]
    public void Every_frame_counts_against_the_pixel_limit()
    {
        // 3 frames of 40 x 40 = 4,800 pixels; with several frames allowed the gate counts them all.
        byte[] indices = new byte[1600];
        byte[] gif = GifWriter.Write(40, 40, CorpusImages.Palette(2, 4), Enumerable.Range(0, 3).Select(_ => new GifWriter.Frame(0, 0, 40, 40, indices)));
        IntegrityReport report = FileIntegrity.Check(gif);
        Assert.Equal(4800, report.DecodedPixels);
        Assert.Throws<ImageLimitExceededException>(() => IntegrityGate.Enforce(report, "three.gif", "three.gif", 4000, allowMultipleFrames: true));
        IntegrityGate.Enforce(report, "three.gif", "three.gif", 4800, allowMultipleFrames: true);
    }

    /// <summary>A 64 MB text chunk deflated to a few kilobytes: the image decodes without inflating it.</summary>
    [Fact]
    public void A_huge_compressed_text_chunk_is_not_inflated()
    {
        const int W = 32, H = 16;
        byte[] raw = new byte[H * (1 + 3 * W)];
        new Random(8).NextBytes(raw);
        for (int y = 0; y < H; y++) raw[y * (1 + 3 * W)] = 0;
        byte[] text = [.. "Comment\0\0"u8, .. PngWriter.Zlib(new byte[64 << 20], CompressionLevel.SmallestSize)];
        byte[] png = PngWriter.Assemble([("IHDR", PngWriter.Header(W, H, 8, 2)), ("zTXt", text), ("IDAT", PngWriter.Zlib(raw)), ("IEND", [])]);
        DecodeOrError(png, "warm-up.png", "warm-up");
        Rgba32[]? decoded = DecodeOrError(png, "text-bomb.png", "text-bomb.png", out long allocated);
        Assert.NotNull(decoded);
        Assert.Equal(W * H, decoded.Length);
        Assert.True(allocated < 16 << 20, $"{allocated:N0} bytes allocated");
    }
}
