using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Tests.Corpus;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Decoding;

/// <summary>
/// A lossy WebP whose lossless alpha stream is shorter than 8 bytes, as libwebp writes an alpha plane of one value
/// (cwebp on a picture with alpha 128 everywhere), is read: ImageSharp 2.1 threw IndexOutOfRangeException on it.
/// </summary>
public sealed class WebpShortAlphaTests
{
    // libwebp's lossless stream (after the ALPH header byte 0x01) for a plane of 128: no transform, one symbol each.
    private static readonly byte[] Stream128 = [0x28, 0x60, 0x44, 0x04];

    [Theory]
    [InlineData(33, 47)]
    [InlineData(1, 1)]
    [InlineData(64, 3)]
    public void AnAlphaPlaneOfOneValueInFourBytesIsRead(int width, int height)
    {
        using Image<Rgba32> source = CorpusImages.Noisy(width, height, seed: width, alpha: true);
        using var encoded = new MemoryStream();
        source.Save(encoded, new WebpEncoder { FileFormat = WebpFileFormatType.Lossy });
        List<(string Type, byte[] Data)> chunks = WebpWriter.Chunks(encoded.ToArray());
        int alpha = chunks.FindIndex(c => c.Type == "ALPH");
        chunks[alpha] = ("ALPH", [0x01, .. Stream128]);
        byte[] file = WebpWriter.Assemble(chunks);
        Assert.Equal(IntegrityVerdict.Intact, FileIntegrity.Check(file).Verdict);

        RgbaImage image = ImageDecoder.Decode(new MemoryStream(file), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(width * height, image.Pixels.Length);
        Assert.All(image.Pixels, p => Assert.Equal(128, p.A));
    }

    [Fact]
    public void TheStreamCutShortIsStillDamaged()
    {
        using Image<Rgba32> source = CorpusImages.Noisy(33, 47, seed: 2, alpha: true);
        using var encoded = new MemoryStream();
        source.Save(encoded, new WebpEncoder { FileFormat = WebpFileFormatType.Lossy });
        List<(string Type, byte[] Data)> chunks = WebpWriter.Chunks(encoded.ToArray());
        int alpha = chunks.FindIndex(c => c.Type == "ALPH");
        chunks[alpha] = ("ALPH", [0x01, .. Stream128.AsSpan(0, 2)]);
        IntegrityReport report = FileIntegrity.Check(WebpWriter.Assemble(chunks));
        Assert.True(report.Verdict == IntegrityVerdict.Damaged, $"{report.Verdict}: {report.Reason}");
    }
}
