using KMeansPS.Imaging.Decoding;
using System.IO.Compression;
using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Tests.Corpus;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Integrity;

/// <summary>
/// The memory bombs of the project's issue: every frame or page counts towards the pixel limit, and metadata that
/// would inflate past the cap is listed before anything inflates it for real.
/// </summary>
public sealed class LimitTests
{
    private static readonly IntegrityOptions DefaultLimit = new() { MaxPixels = ImageDecoder.DefaultMaxPixels };

    /// <summary>1,000 frames of 1 x 1 on a 1000 x 1000 screen: ImageSharp would allocate a full screen per frame (4 GB).</summary>
    [Fact]
    public void GifOfAThousandTinyFramesCountsAThousandScreens()
    {
        var frames = Enumerable.Range(0, 1000).Select(i => new GifWriter.Frame(i % 1000, i / 1000, 1, 1, [(byte)(i & 1)]));
        byte[] gif = GifWriter.Write(1000, 1000, [new(0, 0, 0), new(255, 255, 255)], frames);
        Assert.True(gif.Length < 30_000);
        IntegrityReport report = FileIntegrity.Check(gif);
        Assert.Equal(IntegrityVerdict.Intact, report.Verdict);
        Assert.Equal(1000, report.Frames);
        Assert.Equal(1_000_000_000L, report.DecodedPixels);
        IntegrityReport limited = FileIntegrity.Check(gif, DefaultLimit);
        Assert.Equal(IntegrityVerdict.OverLimit, limited.Verdict);
        Assert.Contains("1,000 frames hold 1,000,000,000 pixels", limited.Reason);
    }

    /// <summary>20 pages of 4000 x 4000 (here sharing one Deflate strip): 320 million pixels, over the default limit.</summary>
    [Fact]
    public void MultiPageTiffCountsEveryPage()
    {
        byte[] strip = Zlib(4000L * 4000 * 3);
        byte[] tiff = TiffWriter.SharedDeflatePages(4000, 4000, 20, strip);
        IntegrityReport report = FileIntegrity.Check(tiff);
        Assert.Equal(IntegrityVerdict.Intact, report.Verdict);
        Assert.Equal(20, report.Frames);
        Assert.Equal(320_000_000L, report.DecodedPixels);
        Assert.Equal(IntegrityVerdict.OverLimit, FileIntegrity.Check(tiff, DefaultLimit).Verdict);
    }

    /// <summary>A Deflate strip too small for its page at Deflate's best ratio is damage, found without inflating.</summary>
    [Fact]
    public void TiffStripTooSmallForItsRowsIsDamaged()
    {
        byte[] tiff = TiffWriter.SharedDeflatePages(4000, 4000, 1, Zlib(1000));
        IntegrityReport report = FileIntegrity.Check(tiff);
        Assert.Equal(IntegrityVerdict.Damaged, report.Verdict);
        Assert.Contains("too few for the 48,000,000 bytes its rows need", report.Reason);
    }

    /// <summary>A zTXt chunk of 200 MB of text (ImageSharp: 1.7 GB peak) is listed, and inflated only just past the cap.</summary>
    [Fact]
    public void CompressedTextBombIsListedAsOversized()
    {
        byte[] png = SmallPng();
        byte[] bomb = PngWriter.Insert(png, "IDAT", "zTXt", [.. "Comment\0\0"u8.ToArray(), .. Zlib(200L << 20)]);
        IntegrityReport report = FileIntegrity.Check(bomb);
        Assert.Equal(IntegrityVerdict.Intact, report.Verdict);
        MetadataBlock block = Assert.Single(report.OversizedMetadata);
        Assert.Equal("zTXt", block.Kind);
        Assert.Equal(IntegrityOptions.Default.MaxMetadataBytes + 1, block.ExpandedBytes);
    }

    [Fact]
    public void LargeUncompressedTextAndProfilesAreListed()
    {
        byte[] png = SmallPng();
        var options = new IntegrityOptions { MaxMetadataBytes = 1000 };
        byte[] text = PngWriter.Insert(png, "IDAT", "tEXt", [.. "Comment\0"u8.ToArray(), .. new byte[2000]]);
        byte[] profile = PngWriter.Insert(png, "IDAT", "iCCP", [.. "icc\0\0"u8.ToArray(), .. PngWriter.Zlib(new byte[5000])]);
        byte[] itxt = PngWriter.Insert(png, "IDAT", "iTXt", [.. "Comment\0\x01\0en\0\0"u8.ToArray(), .. PngWriter.Zlib(new byte[5000])]);
        byte[] small = PngWriter.Insert(png, "IDAT", "iTXt", [.. "Comment\0\x01\0en\0\0"u8.ToArray(), .. PngWriter.Zlib(new byte[500])]);
        Assert.Equal("tEXt", Assert.Single(FileIntegrity.Check(text, options).OversizedMetadata).Kind);
        Assert.Equal("iCCP", Assert.Single(FileIntegrity.Check(profile, options).OversizedMetadata).Kind);
        Assert.Equal("iTXt", Assert.Single(FileIntegrity.Check(itxt, options).OversizedMetadata).Kind);
        Assert.Empty(FileIntegrity.Check(small, options).OversizedMetadata);
    }

    /// <summary>Many chunks each under the cap: inflating them all is bounded too (four times the cap), the rest are listed.</summary>
    [Fact]
    public void ManyCompressedChunksShareOneInflationBudget()
    {
        var options = new IntegrityOptions { MaxMetadataBytes = 100_000 };
        byte[] png = SmallPng();
        byte[] chunk = [.. "Comment\0\0"u8.ToArray(), .. Zlib(90_000)];
        for (int i = 0; i < 10; i++) png = PngWriter.Insert(png, "IDAT", "zTXt", chunk);
        IntegrityReport report = FileIntegrity.Check(png, options);
        Assert.Equal(IntegrityVerdict.Intact, report.Verdict);
        Assert.InRange(report.OversizedMetadata.Count, 5, 6);
    }

    [Fact]
    public void GifCommentsAndWebpProfilesOverTheCapAreListed()
    {
        var options = new IntegrityOptions { MaxMetadataBytes = 1000 };
        byte[] gif = GifWriter.Write(2, 2, [new(0, 0, 0), new(9, 9, 9)], [new GifWriter.Frame(0, 0, 2, 2, [0, 1, 1, 0])], comment: new byte[3000]);
        Assert.Equal("GIF comment", Assert.Single(FileIntegrity.Check(gif, options).OversizedMetadata).Kind);
        CorpusFile webp = IntegrityCorpus.Valid.First(f => f.Name == "webp-lossy-alpha-33x21");
        var chunks = WebpWriter.Chunks(webp.Bytes);
        chunks.Add(("EXIF", new byte[5000]));
        Assert.Equal("EXIF", Assert.Single(FileIntegrity.Check(WebpWriter.Assemble(chunks), options).OversizedMetadata).Kind);
    }

    /// <summary>Over the limit, the PNG's image data is not inflated: a cut file then reads as over the limit, not damaged.</summary>
    [Fact]
    public void OverTheLimitThePngDataIsNotInflated()
    {
        using var image = new Image<Rgba32>(300, 200, new Rgba32(1, 2, 3, 255));
        byte[] png = IntegrityCorpus.Encode(image, new PngEncoder());
        byte[] cut = PngWriter.Assemble(PngWriter.Chunks(png).Select(c => c.Type == "IDAT" ? (c.Type, c.Data[..(c.Data.Length / 2)]) : c));
        Assert.Equal(IntegrityVerdict.Damaged, FileIntegrity.Check(cut).Verdict);
        IntegrityReport limited = FileIntegrity.Check(cut, new IntegrityOptions { MaxPixels = 1000 });
        Assert.Equal(IntegrityVerdict.OverLimit, limited.Verdict);
        Assert.Contains("300 x 200 = 60,000 pixels, more than the limit of 1,000", limited.Reason);
    }

    /// <summary>Structure only (before the fast decoder): no inflation unless the file visibly ends inside the image data.</summary>
    [Fact]
    public void StructureOnlyPngCheckStillCatchesAFileCutInsideItsData()
    {
        var structureOnly = new IntegrityOptions { InflatePngImageData = false };
        CorpusFile file = IntegrityCorpus.Valid.First(f => f.Name == "png-rgb8-33x21");
        Assert.Equal(IntegrityVerdict.Intact, FileIntegrity.Check(file.Bytes, structureOnly).Verdict);
        Assert.Equal(IntegrityVerdict.Damaged, FileIntegrity.Check(file.Bytes.AsMemory(0, file.Bytes.Length / 2), structureOnly).Verdict);
        QuirkFile lying = QuirkCorpus.Files.First(f => f.Name == "png-header-claims-twice-the-rows");
        Assert.Equal(IntegrityVerdict.Intact, FileIntegrity.Check(lying.Bytes, structureOnly).Verdict); // the fast decoder's to find
        Assert.Equal(IntegrityVerdict.Damaged, FileIntegrity.Check(lying.Bytes).Verdict);
    }

    private static byte[] SmallPng()
    {
        using Image<Rgba32> image = CorpusImages.Noisy(9, 7, 60);
        return IntegrityCorpus.Encode(image, new PngEncoder());
    }

    /// <summary>A zlib stream of <paramref name="length"/> zero bytes, made without holding them.</summary>
    private static byte[] Zlib(long length)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1 << 20];
            for (long left = length; left > 0; left -= zeros.Length) zlib.Write(zeros, 0, (int)Math.Min(zeros.Length, left));
        }
        return output.ToArray();
    }
}
