using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Tests.Corpus;

namespace KMeansPS.Imaging.Tests.Integrity;

/// <summary>
/// Every prefix of every corpus file (each file is cut at every byte offset). The promise under test: when the
/// scanner says a prefix is intact, ImageSharp 2.1 reads it to exactly the image it reads from the whole file
/// (or throws); so no truncation that loses pixels passes silently. The documented exceptions: a GIF cut
/// exactly between two frames reads as a GIF with fewer frames and no trailer (the report's frame count shows
/// it), and a plain PBM/PGM/PPM cut inside its very last number ("19" for "192") cannot be told from a whole
/// file. JPEG is left out: only its frame header is the scanner's business, its data is the JPEG decoder's.
/// </summary>
public sealed class TruncationTests(ITestOutputHelper output)
{
    public static TheoryData<string> Names() =>
        new(IntegrityCorpus.Valid.Where(f => f.Format != ImageFileFormat.Jpeg).Select(f => f.Name));

    public static TheoryData<string> LargeNames() => new(IntegrityCorpus.Large.Select(f => f.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void NoTruncationThatLosesPixelsPassesAsIntact(string name)
    {
        CorpusFile file = IntegrityCorpus.Valid.Single(f => f.Name == name);
        CheckCuts(file, Enumerable.Range(0, file.Bytes.Length));
    }

    /// <summary>The larger files, cut at 200 seeded points and within the last 64 bytes.</summary>
    [Theory]
    [MemberData(nameof(LargeNames))]
    public void LargeFilesCutAtSeededPoints(string name)
    {
        CorpusFile file = IntegrityCorpus.Large.Single(f => f.Name == name);
        var random = new Random(MutationTests.StableSeed(name));
        int n = file.Bytes.Length;
        CheckCuts(file, Enumerable.Range(0, 200).Select(_ => random.Next(n)).Concat(Enumerable.Range(Math.Max(0, n - 64), Math.Min(64, n))).Distinct().Order());
    }

    private void CheckCuts(CorpusFile file, IEnumerable<int> lengths)
    {
        string name = file.Name;
        var whole = ImageSharpOracle.Decode(file.Bytes);
        Assert.Null(whole.Error);
        Assert.Equal(IntegrityVerdict.Intact, FileIntegrity.Check(file.Bytes).Verdict);
        int flagged = 0, intact = 0;
        foreach (int length in lengths)
        {
            ReadOnlyMemory<byte> prefix = file.Bytes.AsMemory(0, length);
            IntegrityReport report = FileIntegrity.Check(prefix);
            Assert.False(report.ScannerFault, $"{name}[..{length}]: {report.Reason}");
            if (report.Verdict != IntegrityVerdict.Intact)
            {
                flagged++;
                Assert.False(string.IsNullOrWhiteSpace(report.Reason), $"{name}[..{length}]: {report.Verdict} without a reason");
                if (report.Verdict == IntegrityVerdict.NotChecked) Assert.Equal(ImageFileFormat.Unknown, report.Format);
                continue;
            }
            intact++;
            var cut = ScanTimeout.Run(() => ImageSharpOracle.Decode(prefix.Span), TimeSpan.FromSeconds(20), $"decoding {name}[..{length}]");
            if (cut.Error is not null || cut.SameImageAs(whole)) continue;
            Assert.True(IsGifCutBetweenFrames(file, report, cut, whole) || IsPlainPnmCutInLastNumber(file, length),
                $"{name} cut to {length} of {file.Bytes.Length} bytes passes as intact, but ImageSharp reads a different image from it");
        }
        output.WriteLine($"{name}: {flagged + intact} cuts of {file.Bytes.Length} bytes, {flagged} flagged, {intact} intact");
        Assert.True(flagged > 0);
    }

    /// <summary>The GIF ends after a whole frame: the report counts the frames that remain, and they are the whole file's first ones.</summary>
    private static bool IsGifCutBetweenFrames(CorpusFile file, IntegrityReport report, ImageSharpOracle cut, ImageSharpOracle whole)
    {
        if (file.Format != ImageFileFormat.Gif || cut.Frames is null || whole.Frames is null) return false;
        if (report.Frames != cut.Frames.Length || cut.Frames.Length >= whole.Frames.Length) return false;
        for (int f = 0; f < cut.Frames.Length; f++)
            if (!cut.Frames[f].AsSpan().SequenceEqual(whole.Frames[f])) return false;
        return true;
    }

    /// <summary>A plain PNM whose cut falls inside the digits of its last sample (only whitespace follows them).</summary>
    private static bool IsPlainPnmCutInLastNumber(CorpusFile file, int length)
    {
        if (file.Format != ImageFileFormat.Pnm || file.Bytes[1] > (byte)'3' || length == 0 || !char.IsAsciiDigit((char)file.Bytes[length - 1]))
            return false;
        ReadOnlySpan<byte> tail = file.Bytes.AsSpan(length);
        int digits = 0;
        while (digits < tail.Length && char.IsAsciiDigit((char)tail[digits])) digits++;
        foreach (byte b in tail[digits..])
            if (b is not (9 or 10 or 13 or 32)) return false;
        return true;
    }

    /// <summary>
    /// A PNG cut inside any chunk after its image data (a tEXt, the IEND) is damaged, the one right after the last
    /// IDAT included; a cut between two whole chunks after the data is the tolerated missing end (no IEND).
    /// </summary>
    [Fact]
    public void PngCutInsideAChunkAfterTheImageDataIsDamaged()
    {
        int checkedCuts = 0;
        foreach (CorpusFile file in IntegrityCorpus.Valid.Where(f => f.Format == ImageFileFormat.Png))
        {
            byte[] bytes = file.Bytes;
            var boundaries = new HashSet<int>();
            int lastIdatEnd = -1, fileEnd = bytes.Length; // the IEND's end: bytes after it are tolerated, whatever they are
            for (int p = 8; p + 12 <= bytes.Length;)
            {
                int length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(p));
                int end = p + 12 + length;
                if (bytes.AsSpan(p + 4, 4).SequenceEqual("IDAT"u8)) lastIdatEnd = end;
                boundaries.Add(end);
                p = end;
                if (bytes.AsSpan(p - 8 - length, 4).SequenceEqual("IEND"u8))
                {
                    fileEnd = end;
                    break;
                }
            }
            if (FileIntegrity.Check(bytes).Frames > 1) continue; // an APNG's later frames follow its first image's data
            for (int cut = lastIdatEnd + 1; cut < fileEnd; cut++)
            {
                if (boundaries.Contains(cut)) continue;
                IntegrityReport report = FileIntegrity.Check(bytes.AsMemory(0, cut));
                Assert.True(report.Verdict == IntegrityVerdict.Damaged, $"{file.Name} cut to {cut} of {bytes.Length} bytes: {report.Verdict} ({report.Reason})");
                Assert.Contains("after the image data", report.Reason);
                checkedCuts++;
            }
        }
        output.WriteLine($"{checkedCuts} cuts after the image data");
        Assert.True(checkedCuts > 0);
    }

    /// <summary>At 10, 50 and 90% of each file, as the project's issue cut them, every cut that loses pixels is flagged as damaged.</summary>
    [Theory]
    [MemberData(nameof(Names))]
    public void CutsAtTenFiftyAndNinetyPercentAreFlagged(string name)
    {
        CorpusFile file = IntegrityCorpus.Valid.Single(f => f.Name == name);
        foreach (int percent in new[] { 10, 50, 90 })
        {
            int length = file.Bytes.Length * percent / 100;
            IntegrityReport report = FileIntegrity.Check(file.Bytes.AsMemory(0, length));
            if (report.Verdict == IntegrityVerdict.Damaged) continue;
            // Not flagged: then the cut must have fallen after the pixel data (trailing metadata, later APNG
            // frames, rows off the GIF screen, a second PNM image), so ImageSharp reads the same image.
            Assert.Equal(IntegrityVerdict.Intact, report.Verdict);
            Assert.True(ImageSharpOracle.Decode(file.Bytes.AsSpan(0, length)).SameImageAs(ImageSharpOracle.Decode(file.Bytes)),
                $"{name} at {percent}% ({length} bytes) passes as intact");
        }
    }
}
