using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Tests.Corpus;

namespace KMeansPS.Imaging.Tests.Integrity;

/// <summary>The report turned into the decode path's exceptions, naming the file and saying what is wrong.</summary>
public sealed class GateTests
{
    private static IntegrityReport Report(byte[] file, IntegrityOptions? options = null) => FileIntegrity.Check(file, options);

    [Fact]
    public void DamageIsAnInvalidImageNamingTheFileAndTheProblem()
    {
        CorpusFile file = IntegrityCorpus.Valid.First(f => f.Name == "bmp-24-33x21");
        IntegrityReport report = Report(file.Bytes[..1000]);
        var ex = Assert.Throws<InvalidImageException>(() => IntegrityGate.Enforce(report, "photo.bmp", "/x/photo.bmp", ImageDecoder.DefaultMaxPixels));
        Assert.Equal("Cannot read 'photo.bmp' as an image: the BMP pixel data ends after 9 of 21 rows (it needs 2,099 bytes, the file holds 946).", ex.Message);
        Assert.Equal("/x/photo.bmp", ex.FilePath);
    }

    [Fact]
    public void UnsupportedVariantIsAnInvalidImage()
    {
        QuirkFile file = QuirkCorpus.Files.First(f => f.Name == "pbm-plain-digits-without-spaces");
        var ex = Assert.Throws<InvalidImageException>(() => IntegrityGate.Enforce(Report(file.Bytes), "a.pbm", null, ImageDecoder.DefaultMaxPixels));
        Assert.Contains("without spaces", ex.Message);
    }

    [Fact]
    public void SeveralFramesAreRefusedUnlessAllowed()
    {
        CorpusFile file = IntegrityCorpus.Valid.First(f => f.Name == "gif-3-frames");
        IntegrityReport report = Report(file.Bytes);
        var ex = Assert.Throws<InvalidImageException>(() => IntegrityGate.Enforce(report, "anim.gif", null, ImageDecoder.DefaultMaxPixels));
        Assert.Contains("it holds 3 frames (an animation)", ex.Message);
        IntegrityGate.Enforce(report, "anim.gif", null, ImageDecoder.DefaultMaxPixels, allowMultipleFrames: true);
        CorpusFile pages = IntegrityCorpus.Valid.First(f => f.Name == "tiff-3-pages");
        Assert.Contains("3 pages (a multi-page TIFF)",
            Assert.Throws<InvalidImageException>(() => IntegrityGate.Enforce(Report(pages.Bytes), "p.tif", null, ImageDecoder.DefaultMaxPixels)).Message);
    }

    [Fact]
    public void PixelsOfAllFramesCountTowardsTheLimit()
    {
        CorpusFile file = IntegrityCorpus.Valid.First(f => f.Name == "gif-3-frames");
        IntegrityReport report = Report(file.Bytes);
        var ex = Assert.Throws<ImageLimitExceededException>(() => IntegrityGate.Enforce(report, "anim.gif", "/p", 500, allowMultipleFrames: true));
        Assert.Equal("'anim.gif' holds 819 pixels in all (3 frames of 21 x 13), more than the limit of 500.", ex.Message);
        Assert.Equal(500, ex.MaxPixels);
        Assert.Equal("/p", ex.FilePath);
        IntegrityGate.Enforce(report, "anim.gif", null, 819, allowMultipleFrames: true);
    }

    [Fact]
    public void OneLargeImageIsOverTheLimit()
    {
        CorpusFile file = IntegrityCorpus.Valid.First(f => f.Name == "tga-24-33x21");
        IntegrityReport report = Report(file.Bytes, new IntegrityOptions { MaxPixels = 100 });
        Assert.Equal(IntegrityVerdict.OverLimit, report.Verdict);
        var ex = Assert.Throws<ImageLimitExceededException>(() => IntegrityGate.Enforce(report, "t.tga", null, 100));
        Assert.Equal("'t.tga' is 33 x 21 = 693 pixels, more than the limit of 100.", ex.Message);
    }

    [Fact]
    public void IntactAndUncheckedFilesPass()
    {
        IntegrityGate.Enforce(Report(IntegrityCorpus.Valid[0].Bytes), "ok.png", null, ImageDecoder.DefaultMaxPixels);
        IntegrityReport unknown = Report("not an image at all"u8.ToArray());
        Assert.Equal(IntegrityVerdict.NotChecked, unknown.Verdict);
        Assert.Equal(ImageFileFormat.Unknown, unknown.Format);
        IntegrityGate.Enforce(unknown, "x.txt", null, ImageDecoder.DefaultMaxPixels);
    }
}
