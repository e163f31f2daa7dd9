using System.Buffers.Binary;
using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Tests.Corpus;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Integrity;

/// <summary>
/// Lossy WebP data walked to its end (<see cref="Vp8DataCheck"/>): every file the encoder writes is read whole, and
/// the same data cut short with the RIFF and chunk sizes set to match (so only the data shows it), or under a frame
/// tag whose first part is shorter than its modes, is damaged. ImageSharp 2.1 decodes both into a picture.
/// </summary>
public sealed class WebpLossyDataTests
{
    public static TheoryData<string, int, int, int> Images() => new()
    {
        // kind, width, height, seed: noise (many coefficients, sub-block modes), few colours (flat blocks, skipped
        // macroblocks), alpha (an ALPH chunk before the frame), sizes of one pixel, one macroblock and odd ones
        { "noise", 53, 31, 1 }, { "few4", 40, 40, 3 }, { "few16", 70, 50, 5 }, { "alpha", 45, 29, 6 },
        { "noise", 1, 1, 8 }, { "few2", 16, 16, 9 }, { "noise", 300, 200, 10 }, { "few200", 129, 97, 11 },
    };

    [Theory]
    [MemberData(nameof(Images))]
    public void EveryFileTheEncoderWritesIsReadWhole(string kind, int width, int height, int seed)
    {
        foreach ((int method, int quality) in new[] { (0, 75), (4, 0), (4, 100), (6, 50) })
        {
            byte[] file = Lossy(kind, width, height, seed, method, quality);
            IntegrityReport report = FileIntegrity.Check(file);
            Assert.True(report.Verdict == IntegrityVerdict.Intact, $"method {method}, quality {quality}: {report.Verdict}: {report.Reason}");
        }
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void TokenDataCutShortWithItsSizesSetToMatchIsDamaged(string kind, int width, int height, int seed)
    {
        byte[] file = Lossy(kind, width, height, seed, method: 4, quality: 75);
        (int at, byte[] vp8) = FrameChunk(file);
        int tokens = 10 + FirstPartSize(vp8) + 1; // the first byte of the (one) token part
        int cuts = 0;
        foreach (double part in new[] { 0.0, 0.3, 0.6, 0.9 })
        {
            // An encoder's last bytes may be padding the decoder never reads: the last 8 bytes are kept out of this.
            int keep = tokens + (int)((vp8.Length - 8 - tokens) * part);
            if (keep >= vp8.Length - 8) continue;
            IntegrityReport report = FileIntegrity.Check(Cut(file, at, keep));
            Assert.True(report.Verdict == IntegrityVerdict.Damaged, $"cut to {keep} of {vp8.Length} bytes: {report.Verdict}: {report.Reason}");
            Assert.Contains("cut short", report.Reason, StringComparison.Ordinal);
            cuts++;
        }
        Assert.True(cuts >= 1);
    }

    [Theory]
    [InlineData("noise", 300, 200, 10)]
    [InlineData("alpha", 45, 29, 6)]
    public void TheDecoderWalksTheFrameBesideItsDecodeAndRefusesItCutShort(string kind, int width, int height, int seed)
    {
        // ImageDecoder leaves the walk out of its structure check and runs it beside ImageSharp's decode.
        byte[] file = Lossy(kind, width, height, seed, method: 4, quality: 75);
        Assert.NotNull(FileIntegrity.Check(file, new IntegrityOptions { WalkLossyWebpFrame = false }).LossyWebpFrame);
        RgbaImage whole = ImageDecoder.Decode(new MemoryStream(file), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(width * height, whole.Pixels.Length);
        (int at, byte[] vp8) = FrameChunk(file);
        byte[] cut = Cut(file, at, vp8.Length / 2);
        var refused = Assert.Throws<InvalidImageException>(
            () => ImageDecoder.Decode(new MemoryStream(cut), cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("cut short", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(53, 31, 1)]
    [InlineData(300, 200, 10)]
    public void AFirstPartShorterThanItsModesIsDamaged(int width, int height, int seed)
    {
        // The frame tag's first-part size halved: the modes run out, and the token part starts inside them.
        byte[] file = Lossy("noise", width, height, seed, method: 4, quality: 75);
        (int at, byte[] vp8) = FrameChunk(file);
        int tag = (FirstPartSize(vp8) / 2) << 5 | (vp8[0] & 0x1F);
        file[at] = (byte)tag;
        file[at + 1] = (byte)(tag >> 8);
        file[at + 2] = (byte)(tag >> 16);
        IntegrityReport report = FileIntegrity.Check(file);
        Assert.True(report.Verdict == IntegrityVerdict.Damaged, $"{report.Verdict}: {report.Reason}");
    }

    [Theory]
    [InlineData(0x01, "not a key frame")]
    [InlineData(0x08, "unknown profile")] // profile 4
    [InlineData(0x0E, "unknown profile")] // profile 7
    public void AFrameTagLibwebpRefusesIsDamaged(int bits, string reason)
    {
        byte[] file = Lossy("noise", 53, 31, 1, method: 4, quality: 75);
        (int at, _) = FrameChunk(file);
        file[at] |= (byte)bits;
        IntegrityReport report = FileIntegrity.Check(file);
        Assert.True(report.Verdict == IntegrityVerdict.Damaged, $"{report.Verdict}: {report.Reason}");
        Assert.Contains(reason, report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AFrameNotToBeShownIsDamaged()
    {
        byte[] file = Lossy("noise", 53, 31, 1, method: 4, quality: 75);
        (int at, _) = FrameChunk(file);
        file[at] &= 0xEF;
        IntegrityReport report = FileIntegrity.Check(file);
        Assert.True(report.Verdict == IntegrityVerdict.Damaged, $"{report.Verdict}: {report.Reason}");
        Assert.Contains("not to be shown", report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ThePadByteOfAnOddSizedChunkMayBeRead()
    {
        // libwebp reads the last part on into the pad byte, so a chunk cut by one byte to an odd size, its pad byte
        // zero, is read as libwebp reads it: whole when the data's last byte was padding.
        for (int seed = 1; seed <= 8; seed++)
        {
            byte[] file = Lossy("noise", 40 + seed, 30, seed, method: 4, quality: 75);
            (int at, byte[] vp8) = FrameChunk(file);
            if ((vp8.Length & 1) != 0) continue;
            bool walkedWhole = Vp8DataCheck.Problem(vp8.AsSpan(0, vp8.Length - 1), long.MaxValue) is null;
            bool withPad = Vp8DataCheck.Problem([.. vp8.AsSpan(0, vp8.Length - 1), 0], long.MaxValue) is null;
            IntegrityReport report = FileIntegrity.Check(Cut(file, at, vp8.Length - 1));
            Assert.Equal(withPad, report.Verdict == IntegrityVerdict.Intact);
            Assert.True(withPad || !walkedWhole);
        }
    }

    private static byte[] Lossy(string kind, int width, int height, int seed, int method, int quality)
    {
        using Image<Rgba32> image = CorpusImages.OfKind(kind, width, height, seed);
        using var stream = new MemoryStream();
        image.Save(stream, new WebpEncoder { FileFormat = WebpFileFormatType.Lossy, Method = (WebpEncodingMethod)method, Quality = quality });
        return stream.ToArray();
    }

    /// <summary>Where the VP8 chunk's data starts in the file, and the data.</summary>
    private static (int At, byte[] Data) FrameChunk(byte[] file)
    {
        for (int p = 12; p + 8 <= file.Length;)
        {
            int size = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(p + 4));
            if (file.AsSpan(p, 4).SequenceEqual("VP8 "u8)) return (p + 8, file.AsSpan(p + 8, size).ToArray());
            p += 8 + size + (size & 1);
        }
        throw new InvalidDataException("no VP8 chunk");
    }

    private static int FirstPartSize(byte[] vp8) => (vp8[0] | vp8[1] << 8 | vp8[2] << 16) >> 5;

    /// <summary>The file with its VP8 chunk cut to <paramref name="keep"/> bytes, the chunk and RIFF sizes set to match, the chunks after it kept.</summary>
    private static byte[] Cut(byte[] file, int at, int keep)
    {
        var chunks = WebpWriter.Chunks(file);
        int frame = chunks.FindIndex(c => c.Type == "VP8 ");
        chunks[frame] = ("VP8 ", chunks[frame].Data[..keep]);
        Assert.Equal(at, 12 + chunks.Take(frame).Sum(c => 8 + c.Data.Length + (c.Data.Length & 1)) + 8);
        return WebpWriter.Assemble(chunks);
    }
}
