using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Tests.Corpus;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Decoding;

/// <summary>
/// VP8X bits libwebp ignores are ignored here too (ImageSharp 2.1 refused them, threw, or went by them): reserved bits
/// set in the flags byte or the three bytes after it, and the alpha flag of lossy data, where libwebp goes by the ALPH
/// chunk before the VP8 chunk: without one the image shows opaque, with one its alpha is applied, flag or no flag.
/// Such a file reads as the same file with those bits as libwebp takes them.
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

    public static TheoryData<int, int, int, bool, bool> Layouts() => new()
    {
        // width, height, seed, alpha compressed losslessly (else raw bytes), ICC and EXIF chunks around the image
        { 37, 23, 11, false, false }, { 37, 23, 12, true, false }, { 64, 9, 13, false, true }, { 5, 41, 14, true, true },
        { 1, 1, 15, false, true }, { 120, 70, 16, true, false },
    };

    /// <summary>dwebp and ImageMagick apply the ALPH chunk of a file whose alpha flag is clear; ImageSharp showed it opaque.</summary>
    [Theory]
    [MemberData(nameof(Layouts))]
    public void AnAlphaChunkWithoutTheFlagIsRead(int width, int height, int seed, bool compressedAlpha, bool metadata)
    {
        using Image<Rgba32> picture = WebpSamples.Picture(width, height, seed);
        List<(string Type, byte[] Data)> chunks = WebpSamples.Extended(WebpSamples.Lossy(picture, compressedAlpha), metadata, seed);
        byte[] flagged = WebpWriter.Assemble(chunks);
        Assert.NotEqual(0, flagged[20] & 0x10);
        byte[] unflagged = [.. flagged];
        unflagged[20] &= 0xEF;
        Assert.Equal(IntegrityVerdict.Intact, FileIntegrity.Check(unflagged).Verdict);
        RgbaImage expected = WebpSamples.Decode(flagged), actual = WebpSamples.Decode(unflagged);
        Assert.Equal(WebpSamples.Pixels(expected), WebpSamples.Pixels(actual));
        Assert.Equal(WebpSamples.Alpha(picture), WebpSamples.Pixels(actual).Select(p => p.A));
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
