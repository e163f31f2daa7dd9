using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Tests.Corpus;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Integrity;

/// <summary>The scanner's memory does not grow with the size a header declares: stubs claiming 16000 x 16000 cost a few kilobytes.</summary>
public sealed class AllocationTests
{
    /// <summary>Strings for the reason, the report, an inflater's state: far below any image's size.</summary>
    private const long Budget = 64 << 10;

    public static TheoryData<string> Stubs() => new("png", "bmp", "tga", "pgm", "gif", "tiff", "webp", "jpeg");

    private static byte[] Stub(string format) => format switch
    {
        "png" => Corpus.Stubs.Png(),
        "bmp" => Corpus.Stubs.Bmp(),
        "tga" => Corpus.Stubs.Tga(),
        "pgm" => Corpus.Stubs.Pgm(),
        "gif" => Corpus.Stubs.Gif(),
        "tiff" => Corpus.Stubs.Tiff(),
        "webp" => Corpus.Stubs.Webp(),
        _ => Corpus.Stubs.Jpeg(),
    };

    [Theory]
    [MemberData(nameof(Stubs))]
    public void StubClaimingSixteenThousandSquaredIsRefusedCheaply(string format)
    {
        byte[] stub = Stub(format);
        FileIntegrity.Check(stub); // warm up: JIT and static data are not the scan's
        long before = GC.GetAllocatedBytesForCurrentThread();
        IntegrityReport report = FileIntegrity.Check(stub);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(IntegrityVerdict.Damaged, report.Verdict);
        Assert.Equal(Corpus.Stubs.Side, report.Width);
        Assert.Equal(Corpus.Stubs.Side, report.Height);
        Assert.True(allocated < Budget, $"{format}: {allocated:N0} bytes allocated for a {stub.Length}-byte stub");
    }

    /// <summary>A whole, large PNG (inflated into a counter): the allocation is the same as for a small one.</summary>
    [Fact]
    public void InflatingALargePngAllocatesAFixedAmount()
    {
        using var image = new Image<Rgba32>(2048, 1536, new Rgba32(10, 200, 30, 255));
        byte[] png = IntegrityCorpus.Encode(image, new PngEncoder { ColorType = PngColorType.Rgb });
        FileIntegrity.Check(png);
        long before = GC.GetAllocatedBytesForCurrentThread();
        IntegrityReport report = FileIntegrity.Check(png);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(IntegrityVerdict.Intact, report.Verdict);
        Assert.True(allocated < Budget, $"{allocated:N0} bytes allocated to check {2048L * 1536 * 3:N0} bytes of image data");
    }
}
