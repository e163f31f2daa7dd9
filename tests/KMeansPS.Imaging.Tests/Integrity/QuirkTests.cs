using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Tests.Corpus;

namespace KMeansPS.Imaging.Tests.Integrity;

/// <summary>
/// Each damaged or misread file gets its verdict and a reason that says what is wrong; where the file is valid
/// but ImageSharp 2.1 misreads it, the test shows the misreading against an equivalent file it reads right.
/// </summary>
public sealed class QuirkTests
{
    public static TheoryData<string> Names() => new(QuirkCorpus.Files.Select(f => f.Name));

    private static QuirkFile File(string name) => QuirkCorpus.Files.Single(f => f.Name == name);

    [Theory]
    [MemberData(nameof(Names))]
    public void VerdictAndReason(string name)
    {
        QuirkFile file = File(name);
        IntegrityReport report = FileIntegrity.Check(file.Bytes);
        Assert.False(report.ScannerFault, report.Reason);
        Assert.True(report.Verdict == file.Expected, $"{name}: expected {file.Expected}, got {report.Verdict}: {report.Reason}");
        Assert.Contains(file.ReasonFragment, report.Reason);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void ImageSharpMisreadsWhatIsFlaggedUnsupported(string name)
    {
        QuirkFile file = File(name);
        if (file.Expected != IntegrityVerdict.Unsupported || file.Reference is null) return;
        Assert.Equal(IntegrityVerdict.Intact, FileIntegrity.Check(file.Reference).Verdict);
        var reference = ImageSharpOracle.Decode(file.Reference);
        Assert.Null(reference.Error);
        var decoded = ImageSharpOracle.Decode(file.Bytes);
        Assert.False(decoded.SameImageAs(reference), $"{name}: ImageSharp reads it right after all");
    }

    /// <summary>
    /// A mutation the fuzzing found that makes ImageSharp 2.1 throw NullReferenceException, which the decode path does
    /// not catch. (The other, a WebP alpha flag without an ALPH chunk, is now read as libwebp reads it: WebpIgnoredVp8xBitsTests.)
    /// </summary>
    [Theory]
    [InlineData("png-interlaced-palette-without-plte")]
    public void FilesOnWhichImageSharpThrowsNullReferenceAreFlagged(string name)
    {
        QuirkFile file = File(name);
        Assert.IsType<NullReferenceException>(ImageSharpOracle.Decode(file.Bytes).Error);
        Assert.NotEqual(IntegrityVerdict.Intact, FileIntegrity.Check(file.Bytes).Verdict);
    }

    /// <summary>The project's issue: a PGM with maximum value 0 makes ImageSharp 2.1 divide by zero.</summary>
    [Fact]
    public void PgmWithMaximumZeroIsFlaggedBeforeImageSharpDividesByIt()
    {
        QuirkFile file = File("pgm-maxval-0");
        Assert.IsType<DivideByZeroException>(ImageSharpOracle.Decode(file.Bytes).Error);
        Assert.Equal(IntegrityVerdict.Damaged, FileIntegrity.Check(file.Bytes).Verdict);
    }

    [Fact]
    public void AnimatedWebpCountsItsFramesAndImageSharpRefusesIt()
    {
        QuirkFile file = File("webp-animated-4-frames");
        IntegrityReport report = FileIntegrity.Check(file.Bytes);
        Assert.Equal(4, report.Frames);
        Assert.Equal(4L * 13 * 11, report.DecodedPixels);
        Assert.NotNull(ImageSharpOracle.Decode(file.Bytes).Error);
    }
}
