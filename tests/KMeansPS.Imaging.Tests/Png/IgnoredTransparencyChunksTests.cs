using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Png;
using KMeansPS.Imaging.Tests.Corpus;

namespace KMeansPS.Imaging.Tests.Png;

/// <summary>
/// A tRNS is read as libpng reads it: a palette PNG's before PLTE, longer than PLTE or empty is ignored (every entry
/// opaque), a grey PNG's of other than 2 bytes and an RGB PNG's of other than 6 too, any with an alpha channel, and
/// of two the first counts. ImageSharp 2.1 alone applies them (shown too).
/// </summary>
public class IgnoredTransparencyChunksTests
{
    private static readonly byte[] Palette = [255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9];

    /// <summary>A 4 x 1 palette image of indices 0-3 with the given chunks around IDAT.</summary>
    private static byte[] Png(params (string Type, byte[] Data)[] beforeData) => PngWriter.Assemble(
        [("IHDR", PngWriter.Header(4, 1, 8, 3)), .. beforeData, ("IDAT", PngWriter.Zlib([0, 0, 1, 2, 3])), ("IEND", [])]);

    public static TheoryData<string, byte[], byte[]> Cases() => new()
    {
        // name, file, the alpha of pixels 0-3 libpng gives
        { "valid", Png(("PLTE", Palette), ("tRNS", [0, 100])), [0, 100, 255, 255] },
        { "longer than the palette", Png(("PLTE", Palette), ("tRNS", [0, 100, 150, 200, 250])), [255, 255, 255, 255] },
        { "before the palette", Png(("tRNS", [0, 100]), ("PLTE", Palette)), [255, 255, 255, 255] },
        { "empty", Png(("PLTE", Palette), ("tRNS", [])), [255, 255, 255, 255] },
        { "twice: the first counts", Png(("PLTE", Palette), ("tRNS", [0, 100]), ("tRNS", [50])), [0, 100, 255, 255] },
        { "invalid, then valid", Png(("tRNS", [7]), ("PLTE", Palette), ("tRNS", [30, 40, 50])), [30, 40, 50, 255] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    [MemberData(nameof(DirectCases))]
    public void Alpha_is_what_libpng_reads(string name, byte[] png, byte[] alpha)
    {
        RgbaImage image = ImageDecoder.Decode(png, 1 << 20, name, TestContext.Current.CancellationToken);
        Assert.Equal(alpha, image.Pixels.Select(p => p.A).ToArray());
        byte[] copy = IgnoredTransparencyChunks.Removed(png);
        if (name is "valid" or "grey, valid" or "RGB, valid") Assert.Same(png, copy);
        else Assert.NotSame(png, copy);
    }

    [Fact]
    public void ImageSharp_alone_applies_a_tRNS_longer_than_the_palette()
    {
        byte[] png = Png(("PLTE", Palette), ("tRNS", [0, 100, 150, 200, 250]));
        Assert.Equal(0, Integrity.ImageSharpOracle.Decode(png).Frames![0][0].A);
    }

    /// <summary>A 4 x 1 grey (colour type 0), RGB (2) or RGBA (6) image, 8 bits, with the given chunks before IDAT.</summary>
    private static byte[] Direct(byte colourType, params (string Type, byte[] Data)[] beforeData)
    {
        byte[] row = colourType switch
        {
            0 => [0, 0, 10, 20, 10],
            2 => [0, 0, 0, 0, 10, 20, 30, 1, 2, 3, 10, 20, 30],
            _ => [0, 0, 0, 0, 200, 10, 20, 30, 100, 1, 2, 3, 50, 10, 20, 30, 25],
        };
        return PngWriter.Assemble([("IHDR", PngWriter.Header(4, 1, 8, colourType)), .. beforeData, ("IDAT", PngWriter.Zlib(row)), ("IEND", [])]);
    }

    public static TheoryData<string, byte[], byte[]> DirectCases() => new()
    {
        // name, file, the alpha of pixels 0-3 libpng gives (the key colour is pixels 1 and 3)
        { "grey, valid", Direct(0, ("tRNS", [0, 10])), [255, 0, 255, 0] },
        { "grey, 3 bytes", Direct(0, ("tRNS", [0, 10, 0])), [255, 255, 255, 255] },
        { "grey, 1 byte", Direct(0, ("tRNS", [10])), [255, 255, 255, 255] },
        { "grey, twice: the first counts", Direct(0, ("tRNS", [0, 10]), ("tRNS", [0, 20])), [255, 0, 255, 0] },
        { "RGB, valid", Direct(2, ("tRNS", [0, 10, 0, 20, 0, 30])), [255, 0, 255, 0] },
        { "RGB, 4 bytes", Direct(2, ("tRNS", [0, 10, 0, 20])), [255, 255, 255, 255] },
        { "RGB, 2 bytes", Direct(2, ("tRNS", [0, 10])), [255, 255, 255, 255] },
        { "RGBA: none allowed", Direct(6, ("tRNS", [0, 10, 0, 20, 0, 30])), [200, 100, 50, 25] },
    };

}
