using System.Buffers.Binary;
using System.Diagnostics;
using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Tests.Corpus;
using KMeansPS.Imaging.Tests.Metadata;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Integrity;

/// <summary>
/// WebP files libwebp refuses are refused here too, judged by libwebp's own dwebp on seeded mutants: partitions whose
/// first byte is 0xFF (a state whose value exceeds its range, which libwebp's 64-bit reader keeps and a decoder that
/// kept only its 8-bit window lost), bytes changed anywhere in the frame, a RIFF size one past the file, a still
/// image's canvas of another size than its bitstream, lossless data of thousands of prefix-code groups cut short.
/// </summary>
public sealed class WebpLibwebpAgreementTests
{
    public static TheoryData<string, int, int, int, string> Images() => new()
    {
        // kind, width, height, seed, encoder: ImageSharp's, or libwebp's cwebp with these options
        { "noise", 53, 31, 1, "" }, { "few4", 40, 40, 3, "" }, { "alpha", 45, 29, 6, "" }, { "noise", 200, 120, 10, "" },
        { "few200", 129, 97, 11, "" }, { "noise", 16, 16, 12, "-q 75" }, { "few2", 33, 17, 13, "-q 50 -segments 1" },
        { "noise", 97, 65, 14, "-q 90 -m 6" }, { "few16", 64, 48, 15, "-q 20 -sns 0" }, { "alpha", 150, 90, 16, "-q 75 -alpha_q 50" },
        { "noise", 3, 2, 17, "-q 75" }, { "few4", 1, 1, 18, "-q 75" }, { "noise", 640, 8, 19, "-q 30 -f 0" },
    };

    [Theory]
    [MemberData(nameof(Images))]
    public void NoMutantLibwebpRefusesIsReadWhole(string kind, int width, int height, int seed, string cwebp)
    {
        byte[] file = cwebp.Length == 0 ? Lossy(kind, width, height, seed) : Cwebp(kind, width, height, seed, cwebp);
        Assert.True(Dwebp(file), "dwebp reads the file as written");
        Assert.Equal(IntegrityVerdict.Intact, FileIntegrity.Check(file).Verdict);
        (int at, int length) = FrameChunk(file);
        int firstPart = (file[at] | file[at + 1] << 8 | file[at + 2] << 16) >> 5;
        var mutants = new List<(string What, byte[] File)>();
        foreach (int part in (int[])[at + 10, at + 10 + firstPart])
            foreach (int offset in (int[])[0, 1, 2])
                foreach (byte value in (byte[])[0xFF, 0xFE, 0xF0, 0x00])
                    mutants.Add(($"byte {offset} of the {(part == at + 10 ? "first" : "token")} part set to 0x{value:X2}", With(file, part + offset, value)));
        var random = new Random(seed);
        for (int i = 0; i < 60; i++)
        {
            int p = at + 10 + random.Next(length - 10);
            mutants.Add(($"byte {p - at} of the frame flipped", With(file, p, (byte)(file[p] ^ (1 << random.Next(8))))));
        }
        // libwebp is asked only about the mutants the check passes (each ask starts a process): every one must decode.
        int refused = 0;
        foreach ((string what, byte[] mutant) in mutants)
        {
            if (FileIntegrity.Check(mutant).Verdict != IntegrityVerdict.Intact) refused++;
            else Assert.True(Dwebp(mutant), $"{what}: libwebp refuses it, the check passed it");
        }
        Assert.True(refused > 0, "the check refuses some mutants");
    }

    [Fact]
    public void AnEmptyPartitionIsAtItsEndFromTheStart()
    {
        Assert.True(new Vp8BoolDecoder([1, 2, 3], 1, 0).PastEnd);
        Assert.False(new Vp8BoolDecoder([1, 2, 3], 1, 1).PastEnd);
    }

    [Fact]
    public void ARiffSizeOnePastTheFileIsDamaged()
    {
        byte[] file = Lossy("noise", 21, 9, 2);
        byte[] longer = [.. file];
        BinaryPrimitives.WriteUInt32LittleEndian(longer.AsSpan(4), BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(4)) + 1);
        Assert.False(Dwebp(longer));
        IntegrityReport report = FileIntegrity.Check(longer);
        Assert.True(report.Verdict == IntegrityVerdict.Damaged, $"{report.Verdict}: {report.Reason}");
    }

    /// <summary>
    /// Bytes after the RIFF are not read, so they cannot make up for a RIFF size that ends inside the image data: such a
    /// file stays damaged, as libwebp refuses it, whatever follows.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void BytesAfterTheRiffDoNotMakeUpForItsSize(int seed)
    {
        var random = new Random(seed);
        using Image<Rgba32> picture = WebpSamples.Picture(10 + random.Next(50), 10 + random.Next(50), seed);
        byte[] still = seed % 2 == 0 ? WebpSamples.Lossless(picture) : WebpSamples.Lossy(picture, compressedAlpha: seed % 3 == 0);
        List<(string Type, byte[] Data)> chunks = WebpSamples.Extended(still, metadata: seed > 2, seed);
        byte[] whole = WebpWriter.Assemble(chunks);
        // The RIFF's end moved back into the image chunk, and as many bytes as it lost (or more) after it.
        int shortBy = 1 + random.Next(chunks.Single(c => c.Type is "VP8 " or "VP8L").Data.Length / 2)
            + chunks.SkipWhile(c => c.Type is not ("VP8 " or "VP8L")).Skip(1).Sum(c => 8 + c.Data.Length + (c.Data.Length & 1));
        byte[] file = [.. whole, .. new byte[1 + random.Next(200)]];
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), (uint)(whole.Length - 8 - shortBy));
        Assert.False(Dwebp(file));
        IntegrityReport report = FileIntegrity.Check(file);
        Assert.True(report.Verdict == IntegrityVerdict.Damaged, $"{report.Verdict}: {report.Reason}");
    }

    [Theory]
    [InlineData(0, 0, true)]
    [InlineData(1, 0, false)]
    [InlineData(0, 1, false)]
    public void AStillImageMustFillItsCanvas(int wider, int taller, bool intact)
    {
        byte[] simple = Lossy("noise", 21, 9, 4);
        List<(string Type, byte[] Data)> chunks = WebpWriter.Chunks(simple);
        var vp8x = new byte[10];
        WriteUInt24(vp8x, 4, 21 + wider - 1);
        WriteUInt24(vp8x, 7, 9 + taller - 1);
        byte[] file = WebpWriter.Assemble([("VP8X", vp8x), .. chunks]);
        Assert.Equal(intact, Dwebp(file));
        IntegrityReport report = FileIntegrity.Check(file);
        Assert.True((report.Verdict == IntegrityVerdict.Intact) == intact, $"{report.Verdict}: {report.Reason}");
    }

    /// <summary>
    /// An odd-sized image chunk (VP8 or VP8L) whose pad byte lies past the RIFF's end, the RIFF ending with its data or
    /// the pad byte after the RIFF: libwebp refuses it in an extended (VP8X) file and reads it in a simple one; after
    /// any other chunk (an odd EXIF after the image data) it lets the pad byte go missing. Seeded stills, lossy (raw or
    /// compressed alpha) and lossless, with and without metadata chunks before the image.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void AnExtendedFilesImageChunkKeepsItsPadByteInTheRiff(int seed)
    {
        var random = new Random(seed);
        using Image<Rgba32> picture = WebpSamples.Picture(3 + random.Next(40), 3 + random.Next(30), seed);
        byte[] still = seed % 2 == 0 ? WebpSamples.Lossless(picture) : WebpSamples.Lossy(picture, compressedAlpha: seed % 3 == 0);
        List<(string Type, byte[] Data)> chunks = WebpSamples.Extended(still, metadata: seed > 2, seed);
        int image = chunks.FindIndex(c => c.Type is "VP8 " or "VP8L");
        // An odd size: a zero byte more when it is even, which libwebp and the check read past as they read the pad byte.
        if (chunks[image].Data.Length % 2 == 0) chunks[image] = (chunks[image].Type, [.. chunks[image].Data, 0]);
        List<(string Type, byte[] Data)> extended = chunks[..(image + 1)];
        byte[] padded = WebpWriter.Assemble(extended), simple = WebpWriter.Assemble([chunks[image]]);
        byte[] exif = MetadataSamples.Exif(littleEndian: true, orientation: 1);
        if (exif.Length % 2 == 0) exif = [.. exif, 0];
        byte[] exifAfter = WebpWriter.Assemble([.. extended, ("EXIF", exif)]);
        foreach ((string what, byte[] file, bool libwebpReads) in (IEnumerable<(string, byte[], bool)>)
        [
            ("extended, padded", padded, true),
            ("extended, the RIFF ending with the image data", WithoutPadByte(padded, keepAfterRiff: false), false),
            ("extended, the pad byte after the RIFF", WithoutPadByte(padded, keepAfterRiff: true), false),
            ("simple, padded", simple, true),
            ("simple, the RIFF ending with the image data", WithoutPadByte(simple, keepAfterRiff: false), true),
            ("extended, an odd EXIF after the image without its pad byte", WithoutPadByte(exifAfter, keepAfterRiff: false), true),
        ])
        {
            Assert.True(Dwebp(file) == libwebpReads, $"{what}: dwebp {(libwebpReads ? "refuses" : "reads")} it");
            IntegrityReport report = FileIntegrity.Check(file);
            Assert.True(report.IsIntact == libwebpReads, $"{what}: {report.Verdict}: {report.Reason}");
        }
    }

    /// <summary>The file (its last chunk odd-sized and padded) with its RIFF size one less, the pad byte dropped or left after it.</summary>
    private static byte[] WithoutPadByte(byte[] file, bool keepAfterRiff)
    {
        byte[] copy = keepAfterRiff ? [.. file] : file[..^1];
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(4), BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(4)) - 1);
        return copy;
    }

    /// <summary>
    /// libwebp's alpha is the last ALPH chunk before the image data, and it never reads one after it: damage (reserved
    /// header bits, data cut short) in an ALPH chunk it does not read passes, in the one it reads does not.
    /// </summary>
    [Theory]
    [InlineData("after the image", 1, true)]
    [InlineData("after the image", 2, true)]
    [InlineData("first of two before it", 3, true)]
    [InlineData("first of two before it", 4, true)]
    [InlineData("last of two before it", 5, false)]
    [InlineData("last of two before it", 6, false)]
    public void OnlyTheAlphaChunkLibwebpReadsIsChecked(string damaged, int seed, bool intact)
    {
        var random = new Random(seed);
        using Image<Rgba32> picture = WebpSamples.Picture(20 + random.Next(40), 10 + random.Next(40), seed);
        List<(string Type, byte[] Data)> chunks = WebpWriter.Chunks(WebpSamples.Lossy(picture, compressedAlpha: random.Next(2) == 1));
        (string Type, byte[] Data) whole = chunks.Single(c => c.Type == "ALPH");
        byte[] bad = [.. whole.Data];
        if (random.Next(2) == 0) bad[0] |= (byte)(0x40 << random.Next(2));
        else bad = bad[..random.Next(1, bad.Length / 2)];
        int image = chunks.FindIndex(c => c.Type == "VP8 ");
        chunks.Insert(damaged switch
        {
            "after the image" => image + 1,
            "first of two before it" => image - 1,
            _ => image,
        }, ("ALPH", bad));
        if (damaged == "after the image") chunks.Remove(whole);
        byte[] file = WebpWriter.Assemble(chunks);
        Assert.Equal(intact, Dwebp(file));
        IntegrityReport report = FileIntegrity.Check(file);
        Assert.True((report.Verdict == IntegrityVerdict.Intact) == intact, $"{report.Verdict}: {report.Reason}");
    }

    /// <summary>
    /// Lossless data of 4,101 prefix-code groups, of which its pixels use one: the walk was skipped above 4,096 groups,
    /// so the file cut short passed (ImageSharp reads zeros past the end). Every group is now read and checked, and
    /// only the groups in use are kept.
    /// </summary>
    [Theory]
    [InlineData(0, true)]
    [InlineData(30, false)]
    [InlineData(200, false)]
    public void LosslessDataOfThousandsOfGroupsIsWalked(int cut, bool intact)
    {
        byte[] file = ManyGroups(64, 64, group: 4100, cut);
        Assert.Equal(intact, Dwebp(file));
        IntegrityReport report = FileIntegrity.Check(file);
        Assert.True((report.Verdict == IntegrityVerdict.Intact) == intact, $"{report.Verdict}: {report.Reason}");
    }

    private static byte[] Lossy(string kind, int width, int height, int seed)
    {
        using Image<Rgba32> image = CorpusImages.OfKind(kind, width, height, seed);
        using var stream = new MemoryStream();
        image.Save(stream, new WebpEncoder { FileFormat = WebpFileFormatType.Lossy, Quality = 75 });
        return stream.ToArray();
    }

    /// <summary>The image encoded by libwebp's cwebp (Debian's webp package) with <paramref name="options"/>.</summary>
    private static byte[] Cwebp(string kind, int width, int height, int seed, string options)
    {
        using Image<Rgba32> image = CorpusImages.OfKind(kind, width, height, seed);
        using var folder = new TempFolder();
        image.SaveAsPng(folder.File("in.png"));
        Assert.Equal(0, Run("cwebp", ["-quiet", .. options.Split(' '), folder.File("in.png"), "-o", folder.File("out.webp")]));
        return File.ReadAllBytes(folder.File("out.webp"));
    }

    private static (int At, int Length) FrameChunk(byte[] file)
    {
        for (int p = 12; p + 8 <= file.Length;)
        {
            int size = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(p + 4));
            if (file.AsSpan(p, 4).SequenceEqual("VP8 "u8)) return (p + 8, size);
            p += 8 + size + (size & 1);
        }
        throw new InvalidDataException("no VP8 chunk");
    }

    private static byte[] With(byte[] file, int at, byte value)
    {
        byte[] copy = [.. file];
        copy[at] = value;
        return copy;
    }

    private static void WriteUInt24(byte[] b, int at, int v) => (b[at], b[at + 1], b[at + 2]) = ((byte)v, (byte)(v >> 8), (byte)(v >> 16));

    /// <summary>
    /// A lossless WebP whose meta prefix codes (blocks of 4 x 4) all name <paramref name="group"/>, after
    /// <paramref name="group"/> groups of one-symbol codes no pixel uses; that group codes green in one bit a pixel.
    /// The last <paramref name="cut"/> bytes dropped, the sizes set to match.
    /// </summary>
    private static byte[] ManyGroups(int width, int height, int group, int cut)
    {
        var bits = new List<bool>();
        void Put(int value, int count)
        {
            for (int i = 0; i < count; i++) bits.Add(((value >> i) & 1) != 0);
        }
        void OneSymbol(int symbol)
        {
            Put(1, 1); // simple code
            Put(0, 1); // of one symbol
            if (symbol < 2) { Put(0, 1); Put(symbol, 1); }
            else { Put(1, 1); Put(symbol, 8); }
        }
        Put(0x2F, 8);
        Put(width - 1, 14);
        Put(height - 1, 14);
        Put(0, 1); // no alpha hint
        Put(0, 3); // version
        Put(0, 1); // no transform
        Put(0, 1); // no colour cache
        Put(1, 1); // meta prefix codes
        Put(0, 3); // of blocks of 4 x 4
        Put(0, 1); // the entropy image: no colour cache, one group of one-symbol codes naming the group in red and green
        OneSymbol(group & 255);
        OneSymbol(group >> 8);
        OneSymbol(0);
        OneSymbol(0);
        OneSymbol(0);
        for (int g = 0; g <= group; g++)
        {
            if (g == group) { Put(1, 1); Put(1, 1); Put(1, 1); Put(0x20, 8); Put(0xE0, 8); } // green: two symbols
            else OneSymbol(0x80);
            OneSymbol(0x40);
            OneSymbol(0x40);
            OneSymbol(0xFF);
            OneSymbol(0);
        }
        var random = new Random(5);
        for (int i = 0; i < width * height; i++) Put(random.Next(2), 1);
        var data = new byte[(bits.Count + 7) / 8];
        for (int i = 0; i < bits.Count; i++)
            if (bits[i]) data[i >> 3] |= (byte)(1 << (i & 7));
        return WebpWriter.Assemble([("VP8L", data[..^cut])]);
    }

    /// <summary>True when libwebp's dwebp decodes the file (Debian's webp package, which the test task installs).</summary>
    private static bool Dwebp(byte[] file)
    {
        using var folder = new TempFolder();
        string path = folder.File("in.webp");
        File.WriteAllBytes(path, file);
        return Run("dwebp", ["-quiet", path, "-o", folder.File("out.png")]) == 0;
    }

    private static int Run(string tool, string[] arguments)
    {
        var start = new ProcessStartInfo(tool, arguments) { RedirectStandardError = true, RedirectStandardOutput = true };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode;
    }
}
