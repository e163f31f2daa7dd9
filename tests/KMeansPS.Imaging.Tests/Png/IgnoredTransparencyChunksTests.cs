using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Png;
using KMeansPS.Imaging.Tests.Corpus;

namespace KMeansPS.Imaging.Tests.Png;

/// <summary>
/// A palette PNG's tRNS is read as libpng reads it: one before PLTE, longer than PLTE or empty is ignored (every entry
/// opaque), and of two the first counts. ImageSharp 2.1 alone applies them (shown too).
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
    public void Alpha_is_what_libpng_reads(string name, byte[] png, byte[] alpha)
    {
        RgbaImage image = ImageDecoder.Decode(png, 1 << 20, name, TestContext.Current.CancellationToken);
        Assert.Equal(alpha, image.Pixels.Select(p => p.A).ToArray());
        byte[] copy = IgnoredTransparencyChunks.Removed(png);
        if (name == "valid") Assert.Same(png, copy);
        else Assert.NotSame(png, copy);
    }

    [Fact]
    public void ImageSharp_alone_applies_a_tRNS_longer_than_the_palette()
    {
        byte[] png = Png(("PLTE", Palette), ("tRNS", [0, 100, 150, 200, 250]));
        Assert.Equal(0, Integrity.ImageSharpOracle.Decode(png).Frames![0][0].A);
    }
}
