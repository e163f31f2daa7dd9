using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Tests.Corpus;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static KMeansPS.Imaging.Tests.Corpus.WebpSamples;

namespace KMeansPS.Imaging.Tests.Decoding;

/// <summary>
/// An ALPH chunk after a lossy WebP's VP8 chunk is not read, as libwebp never reads it (dwebp and ImageMagick show
/// such a file opaque, or with the ALPH chunk before the image data); ImageSharp 2.1 took it for the alpha. The decode
/// warns, since the file is malformed (webpmux refuses it).
/// </summary>
public sealed class WebpLateAlphaChunkTests
{
    public static TheoryData<int, int, int, bool, bool> Layouts() => new()
    {
        // width, height, seed, alpha compressed losslessly (else raw bytes), ICC and EXIF chunks around the image
        { 37, 23, 1, false, false }, { 37, 23, 2, true, false }, { 64, 9, 3, false, true }, { 5, 41, 4, true, true },
        { 1, 1, 5, true, true }, { 120, 70, 6, true, false },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void AnAlphaChunkAfterTheImageIsNotRead(int width, int height, int seed, bool compressedAlpha, bool metadata)
    {
        using Image<Rgba32> picture = Picture(width, height, seed);
        List<(string Type, byte[] Data)> chunks = Extended(Lossy(picture, compressedAlpha), metadata, seed);
        (string, byte[]) alpha = chunks.Single(c => c.Type == "ALPH");
        chunks.Remove(alpha);
        byte[] opaque = WebpWriter.Assemble(chunks);
        chunks.Insert(chunks.FindIndex(c => c.Type == "VP8 ") + 1, alpha);
        byte[] late = WebpWriter.Assemble(chunks);
        Assert.Equal(IntegrityVerdict.Intact, FileIntegrity.Check(late).Verdict);

        RgbaImage expected = Decode(opaque), actual = Decode(late);
        Assert.Equal(Pixels(expected), Pixels(actual));
        Assert.All(Pixels(actual), p => Assert.Equal(255, p.A));
        Assert.Null(expected.DecodeWarning);
        Assert.Contains("after its image data", actual.DecodeWarning, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void TheAlphaChunkBeforeTheImageIsReadAndOneAfterItIsNot(int width, int height, int seed, bool compressedAlpha, bool metadata)
    {
        using Image<Rgba32> picture = Picture(width, height, seed), other = Picture(width, height, seed + 1000);
        List<(string Type, byte[] Data)> chunks = Extended(Lossy(picture, compressedAlpha), metadata, seed);
        byte[] first = WebpWriter.Assemble(chunks);
        (string, byte[]) otherAlpha = WebpWriter.Chunks(Lossy(other, !compressedAlpha)).Single(c => c.Type == "ALPH");
        chunks.Insert(chunks.FindIndex(c => c.Type == "VP8 ") + 1, otherAlpha);
        byte[] both = WebpWriter.Assemble(chunks);
        Assert.Equal(IntegrityVerdict.Intact, FileIntegrity.Check(both).Verdict);

        RgbaImage expected = Decode(first), actual = Decode(both);
        Assert.Equal(Pixels(expected), Pixels(actual));
        Assert.Equal(WebpSamples.Alpha(picture), Pixels(actual).Select(p => p.A));
        Assert.Contains("after its image data", actual.DecodeWarning, StringComparison.Ordinal);
    }
}
