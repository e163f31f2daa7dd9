using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Tests.Corpus;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static KMeansPS.Imaging.Tests.Corpus.WebpSamples;

namespace KMeansPS.Imaging.Tests.Decoding;

/// <summary>
/// Bytes after an extended WebP's RIFF, its size unchanged, are not read, as libwebp (dwebp), PIL and ImageMagick do not
/// read them: ImageSharp 2.1 read the chunks to the end of the file and refused zeros there ("Invalid Webp data."), or
/// took what it found there for the image's. Such a file reads as its RIFF alone.
/// </summary>
public sealed class WebpBytesAfterRiffTests
{
    public static TheoryData<string, int, int, int, bool, string> Layouts() => new()
    {
        // image (lossy with raw or compressed alpha, or lossless), width, height, seed, ICC and EXIF chunks, what follows the RIFF
        { "lossy", 37, 23, 1, false, "zeros" }, { "lossy", 37, 23, 2, true, "zeros" }, { "lossy-compressed", 64, 9, 3, true, "zeros" },
        { "lossless", 40, 30, 4, false, "zeros" }, { "lossless", 17, 5, 5, true, "zeros" },
        { "lossy", 29, 31, 6, true, "alpha" }, { "lossy-compressed", 50, 20, 7, false, "alpha" },
        { "lossy", 33, 21, 8, false, "image" }, { "lossless", 33, 21, 9, true, "image" }, { "lossy-compressed", 1, 1, 10, true, "image" },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void BytesAfterTheRiffAreNotRead(string image, int width, int height, int seed, bool metadata, string after)
    {
        using Image<Rgba32> picture = Picture(width, height, seed);
        byte[] riff = WebpWriter.Assemble(Extended(Encoded(picture, image), metadata, seed));
        byte[] file = [.. riff, .. Trailer(after, picture, image, seed)];
        Assert.Equal(IntegrityVerdict.Intact, FileIntegrity.Check(file).Verdict);

        RgbaImage expected = Decode(riff), actual = Decode(file);
        Assert.Equal(Pixels(expected), Pixels(actual));
        Assert.Equal(WebpSamples.Alpha(picture), Pixels(actual).Select(p => p.A));
    }

    private static byte[] Encoded(Image<Rgba32> picture, string image) => image switch
    {
        "lossless" => Lossless(picture),
        _ => Lossy(picture, compressedAlpha: image == "lossy-compressed"),
    };

    /// <summary>
    /// Zeros (a file padded to a block; 1 to 200, as the seed picks), or a chunk of another picture of the same size: its
    /// ALPH chunk, or its image chunk encoded as the file's is.
    /// </summary>
    private static byte[] Trailer(string after, Image<Rgba32> picture, string image, int seed)
    {
        using Image<Rgba32> other = Picture(picture.Width, picture.Height, seed + 1000);
        (string Type, byte[] Data) chunk = after switch
        {
            "alpha" => WebpWriter.Chunks(Lossy(other, compressedAlpha: true)).Single(c => c.Type == "ALPH"),
            "image" => WebpWriter.Chunks(Encoded(other, image)).Single(c => c.Type is "VP8 " or "VP8L"),
            _ => ("", []),
        };
        return after == "zeros" ? new byte[1 + new Random(seed).Next(200)] : WebpWriter.Chunk(chunk.Type, chunk.Data);
    }
}
