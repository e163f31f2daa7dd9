using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Tests.Corpus;

namespace KMeansPS.Imaging.Tests.Integrity;

/// <summary>
/// No false positives: every valid file of the corpus, including the real-world variations decoders accept
/// (no GIF trailer, bytes after the end, padding, gaps, split IDATs), is intact, with its size and frame count.
/// </summary>
public sealed class ValidFileTests
{
    public static TheoryData<string> Names() => new(IntegrityCorpus.Valid.Select(f => f.Name));

    private static CorpusFile File(string name) => IntegrityCorpus.Valid.Single(f => f.Name == name);

    [Theory]
    [MemberData(nameof(Names))]
    public void ValidFileIsIntact(string name)
    {
        CorpusFile file = File(name);
        IntegrityReport report = FileIntegrity.Check(file.Bytes);
        Assert.False(report.ScannerFault, report.Reason);
        Assert.True(report.Verdict == IntegrityVerdict.Intact, $"{name}: {report.Verdict}: {report.Reason}");
        Assert.Null(report.Reason);
        Assert.Equal(file.Format, report.Format);
        Assert.Equal(file.Width, report.Width);
        Assert.Equal(file.Height, report.Height);
        Assert.Equal(file.Frames, report.Frames);
        Assert.Empty(report.OversizedMetadata);
        Assert.Equal(file.Format != ImageFileFormat.Jpeg ? 0 : file.Name.Contains("grey") ? 1 : 3, report.Components);
    }

    /// <summary>The corpus itself: ImageSharp reads each file with the size and frames the corpus states.</summary>
    [Theory]
    [MemberData(nameof(Names))]
    public void ImageSharpReadsTheCorpusFile(string name)
    {
        CorpusFile file = File(name);
        var decoded = ImageSharpOracle.Decode(file.Bytes);
        Assert.True(decoded.Error is null, $"{name}: {decoded.Error}");
        Assert.Equal(file.Width, decoded.Width);
        Assert.Equal(file.Height, decoded.Height);
        // ImageSharp 2.1 decodes only the default image of an APNG, and the first of a Netpbm file's images.
        Assert.Equal(file.Name.Contains("apng") || file.Format == ImageFileFormat.Pnm ? 1 : file.Frames, decoded.Frames!.Length);
    }

    [Fact]
    public void StreamOverloadGivesTheSameReportAndKeepsThePosition()
    {
        CorpusFile file = IntegrityCorpus.Valid.First(f => f.Format == ImageFileFormat.Gif);
        byte[] padded = [1, 2, 3, .. file.Bytes];
        using var stream = new NonMemoryStream(padded) { Position = 3 };
        IntegrityReport report = FileIntegrity.Check(stream);
        Assert.Equal(3, stream.Position);
        IntegrityReport direct = FileIntegrity.Check(file.Bytes);
        Assert.Equal((direct.Format, direct.Verdict, direct.Width, direct.Height, direct.Frames, direct.DecodedPixels),
            (report.Format, report.Verdict, report.Width, report.Height, report.Frames, report.DecodedPixels));
        using var memory = new MemoryStream(padded, 0, padded.Length, writable: false, publiclyVisible: true) { Position = 3 };
        Assert.Equal(IntegrityVerdict.Intact, FileIntegrity.Check(memory).Verdict);
        Assert.Equal(3, memory.Position);
    }

    /// <summary>A seekable stream that is not a MemoryStream, so the scanner has to read it.</summary>
    private sealed class NonMemoryStream(byte[] data) : Stream
    {
        private readonly MemoryStream _inner = new(data);
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => _inner.Length;
        public override long Position { get => _inner.Position; set => _inner.Position = value; }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);
        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
