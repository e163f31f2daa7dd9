using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Tests.Corpus;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Decoding;

/// <summary>
/// VP8X bits libwebp ignores are ignored here too (ImageSharp 2.1 refused them, or threw): reserved bits set in the
/// flags byte or the three bytes after it, and an alpha flag over lossy data without an ALPH chunk, which libwebp shows
/// opaque. Such a file reads as the same file with those bits cleared.
/// </summary>
public sealed class WebpIgnoredVp8xBitsTests
{
    [Theory]
    [InlineData(0, 0x40)] // the flags byte's top reserved bits
    [InlineData(0, 0x80)]
    [InlineData(1, 0x01)] // the reserved bytes after it
    [InlineData(3, 0xFF)]
    public void ReservedBitsAreIgnored(int offset, byte bits)
    {
        byte[] clean = Extended(alpha: true, out int flags);
        byte[] marked = [.. clean];
        marked[flags + offset] |= bits;
        Assert.Equal(IntegrityVerdict.Intact, FileIntegrity.Check(marked).Verdict);
        RgbaImage expected = Decode(clean), actual = Decode(marked);
        Assert.True(expected.Pixels.AsSpan(0, expected.Width * expected.Height).SequenceEqual(actual.Pixels.AsSpan(0, actual.Width * actual.Height)));
    }

    [Fact]
    public void AnAlphaFlagWithoutAlphaDataReadsOpaque()
    {
        byte[] withAlpha = Extended(alpha: true, out int flags);
        byte[] flagged = WebpWriter.Assemble(WebpWriter.Chunks(withAlpha).Where(c => c.Type != "ALPH"));
        Assert.NotEqual(0, flagged[flags] & 0x10);
        byte[] unflagged = [.. flagged];
        unflagged[flags] &= 0xEF;
        Assert.Equal(IntegrityVerdict.Intact, FileIntegrity.Check(flagged).Verdict);
        RgbaImage expected = Decode(unflagged), actual = Decode(flagged);
        Assert.True(expected.Pixels.AsSpan(0, expected.Width * expected.Height).SequenceEqual(actual.Pixels.AsSpan(0, actual.Width * actual.Height)));
        Assert.All(actual.Pixels.Take(actual.Width * actual.Height), p => Assert.Equal(255, p.A));
    }

    /// <summary>A lossy WebP in the extended format (VP8X, ALPH, VP8); <paramref name="flags"/> is where its flags byte is.</summary>
    private static byte[] Extended(bool alpha, out int flags)
    {
        using Image<Rgba32> image = CorpusImages.Noisy(23, 17, 8, alpha);
        using var stream = new MemoryStream();
        image.Save(stream, new WebpEncoder { FileFormat = WebpFileFormatType.Lossy });
        byte[] file = stream.ToArray();
        Assert.True(file.AsSpan(12, 4).SequenceEqual("VP8X"u8));
        flags = 20;
        return file;
    }

    private static RgbaImage Decode(byte[] file) =>
        ImageDecoder.Decode(new MemoryStream(file), cancellationToken: TestContext.Current.CancellationToken);
}
