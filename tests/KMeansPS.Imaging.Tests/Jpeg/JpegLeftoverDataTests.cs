using System.Text.RegularExpressions;
using KMeansPS.Imaging.Jpeg;

namespace KMeansPS.Imaging.Tests.Jpeg;

/// <summary>
/// Entropy-coded data that no block uses (libjpeg: "Corrupt JPEG data: N extraneous bytes before marker") is read past,
/// as libjpeg reads past it, and said: a byte changed in the data, or a frame header that gives fewer rows than the data
/// holds, leaves such data, and the picture is then damaged or cut off without any other sign.
/// </summary>
public class JpegLeftoverDataTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string? Leftover(byte[] jpeg) => ExactJpegDecoder.Decode(jpeg, long.MaxValue, "test.jpg", Ct).Leftover;

    public static TheoryData<string> Kinds() => ["baseline-444", "baseline-420-restart", "progressive-420", "progressive-422-restart", "grey", "imagesharp-444"];

    private static byte[] Encoded(string kind, int width = 40, int height = 27)
    {
        RgbaImage image = JpegSamples.Photo(width, height, seed: 8);
        return kind switch
        {
            "baseline-444" => LibjpegTools.Cjpeg(image, "-sample 1x1"),
            "baseline-420-restart" => LibjpegTools.Cjpeg(image, "-sample 2x2 -restart 1"),
            "progressive-420" => LibjpegTools.Cjpeg(image, "-sample 2x2 -progressive"),
            "progressive-422-restart" => LibjpegTools.Cjpeg(image, "-sample 2x1 -progressive -restart 2B"),
            "grey" => LibjpegTools.Cjpeg(image, "-grayscale", grey: true),
            _ => JpegSamples.ImageSharpJpeg(image, SixLabors.ImageSharp.Formats.Jpeg.JpegColorType.YCbCrRatio444),
        };
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_whole_file_has_none_and_bytes_put_before_its_end_are_counted_exactly(string kind)
    {
        byte[] jpeg = Encoded(kind);
        Assert.Null(Leftover(jpeg));
        // Fill bytes before the end-of-image marker are no data.
        Assert.Null(Leftover(JpegSamples.Insert(jpeg, jpeg.Length - 2, [0xFF, 0xFF, 0xFF])));
        foreach (byte[] extra in new byte[][] { [0x00], [0x12, 0x34, 0x56, 0x78, 0x9A], [0x01, 0xFF, 0x00, 0x02] })
        {
            string? said = Leftover(JpegSamples.Insert(jpeg, jpeg.Length - 2, extra));
            int bytes = extra.Length - extra.Count(b => b == 0xFF); // a stuffed 0xFF 0x00 is one byte of data
            Assert.NotNull(said);
            Assert.StartsWith($"compressed data holds {bytes} {(bytes == 1 ? "byte" : "bytes")} that no block uses (the first after 27 of 27 rows", said);
        }
    }

    [Fact]
    public void Bytes_before_a_restart_marker_are_counted_with_the_rows_before_them()
    {
        byte[] jpeg = Encoded("baseline-420-restart", 40, 48); // a restart marker after every MCU row of 16 rows
        int rst1 = IndexOfMarker(jpeg, 0xD1);
        string? said = Leftover(JpegSamples.Insert(jpeg, rst1 - 1, [0x41, 0x42, 0x43]));
        Assert.Equal("compressed data holds 3 bytes that no block uses (the first after 32 of 48 rows), which libjpeg may not report (it may " +
            "have read up to 7 of them ahead as data, and reports as corrupt JPEG data only those beyond): the picture may be damaged from " +
            "there on, or the frame header may give fewer rows or columns than the data holds", said);
    }

    [Fact]
    public void A_frame_header_that_gives_fewer_rows_than_the_data_holds_is_said()
    {
        byte[] jpeg = Encoded("baseline-444", 40, 64);
        JpegSamples.Segment sof = JpegSamples.First(jpeg, 0xC0);
        byte[] shorter = (byte[])jpeg.Clone();
        shorter[sof.Offset + 5] = 0; // the height, big-endian, after FF C0, the length and the precision
        shorter[sof.Offset + 6] = 32;
        JpegImage decoded = ExactJpegDecoder.Decode(shorter, long.MaxValue, "test.jpg", Ct);
        Assert.Equal(32, decoded.Image.Height);
        Assert.Matches(@"^compressed data holds \d+ bytes that no block uses \(the first after 32 of 32 rows\)", decoded.Leftover);
    }

    /// <summary>
    /// With a restart marker after every MCU row, a frame header of fewer rows ends the scan at a restart marker: the
    /// intervals after it are skipped on the way to the end-of-image marker, and counted too (djpeg: "extraneous bytes
    /// before marker 0xd9").
    /// </summary>
    [Fact]
    public void Restart_intervals_beyond_a_frame_header_that_gives_too_few_rows_are_said()
    {
        byte[] jpeg = Encoded("baseline-420-restart", 40, 48); // MCU rows of 16, a restart marker after each
        JpegSamples.Segment sof = JpegSamples.First(jpeg, 0xC0);
        byte[] shorter = (byte[])jpeg.Clone();
        shorter[sof.Offset + 5] = 0;
        shorter[sof.Offset + 6] = 16;
        JpegImage decoded = ExactJpegDecoder.Decode(shorter, long.MaxValue, "test.jpg", Ct);
        Assert.Equal(16, decoded.Image.Height);
        Assert.Matches(@"^compressed data holds \d+ bytes that no block uses \(the first after 16 of 16 rows\)", decoded.Leftover);
        Assert.Null(Leftover(jpeg));
    }

    [Fact]
    public void The_warning_reaches_the_decoded_image_through_both_decoders()
    {
        byte[] jpeg = Encoded("baseline-444");
        byte[] extra = JpegSamples.Insert(jpeg, jpeg.Length - 2, [0x10, 0x20]);
        RgbaImage image = KMeansPS.Imaging.Decoding.ImageDecoder.Decode(new MemoryStream(extra), name: "extra.jpg", cancellationToken: Ct);
        Assert.StartsWith("The JPEG's compressed data holds 2 bytes that no block uses", image.DecodeWarning);
        Assert.EndsWith("The pixels are those libjpeg decodes from it.", image.DecodeWarning);
        Assert.Null(KMeansPS.Imaging.Decoding.ImageDecoder.Decode(new MemoryStream(jpeg), name: "whole.jpg", cancellationToken: Ct).DecodeWarning);
    }

    /// <summary>
    /// Against djpeg over seeded corruption of the entropy-coded data of sequential files: whenever djpeg reports
    /// extraneous bytes, the leftover is said; and leftover of more bytes than libjpeg's bit buffer can have taken in
    /// before it stopped (8) is always one djpeg reports.
    /// </summary>
    [Theory]
    [InlineData("baseline-444")]
    [InlineData("baseline-420-restart")]
    [InlineData("grey")]
    public void Leftover_data_is_said_where_djpeg_reports_extraneous_bytes(string kind)
    {
        byte[] jpeg = Encoded(kind, 48, 40);
        JpegSamples.Segment sos = JpegSamples.First(jpeg, 0xDA);
        int dataStart = sos.Offset + sos.Length, dataEnd = jpeg.Length - 2;
        var random = new Random(20261207);
        int both = 0, reported = 0;
        for (int trial = 0; trial < 150; trial++)
        {
            byte[] damaged = (byte[])jpeg.Clone();
            int at = dataStart + random.Next(dataEnd - dataStart);
            damaged[at] = damaged[at] == 0xFF ? damaged[at] : (byte)random.Next(0xFF); // no new markers
            string? said;
            try
            {
                said = Leftover(damaged);
            }
            catch (KMeansPS.Imaging.Decoding.InvalidImageException)
            {
                continue; // refused: the other ways damage shows
            }
            (int exitCode, string errors) = LibjpegTools.DjpegMessages(damaged);
            if (exitCode == 1) continue;
            both++;
            Match extraneous = Regex.Match(errors, @"(\d+) extraneous bytes before marker");
            long ours = said is null ? 0 : long.Parse(Regex.Match(said, @"holds (\d+) byte").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (extraneous.Success)
            {
                reported++;
                Assert.True(ours > 0, $"trial {trial}: djpeg says '{errors.Trim()}', the decoder nothing");
            }
            Assert.True(ours <= 8 || extraneous.Success, $"trial {trial}: {ours} bytes said, djpeg says nothing ('{errors.Trim()}')");
        }
        TestContext.Current.SendDiagnosticMessage($"{kind}: {both} decoded by both, {reported} with extraneous bytes");
        Assert.True(both > 20 && reported > 0, $"{both} decoded by both, {reported} with extraneous bytes");
    }

    /// <summary>
    /// libjpeg-turbo's Huffman decoder may have read up to 7 bytes ahead into its bit buffer when a scan or a restart
    /// interval ends, and djpeg counts as extraneous only the bytes beyond them (found by experiment: of 1 to 64 bytes
    /// put before the marker ending a scan, up to 7 went unreported, before a restart marker up to 6, how many depending
    /// on the file and the place). The warning said "which libjpeg reports as corrupt JPEG data" whatever the count.
    /// Over seeded insertions of 1 to 64 bytes at a scan's end or before a restart marker, in sequential, progressive,
    /// grey and 4:4:4 files: the warning says libjpeg reports them only where djpeg does, says it may not where djpeg
    /// does not, and says it reports them whenever there are more than 7.
    /// </summary>
    [Theory]
    [InlineData("baseline-444", 1)]
    [InlineData("baseline-420-restart", 2)]
    [InlineData("progressive-420", 3)]
    [InlineData("progressive-422-restart", 4)]
    [InlineData("grey", 5)]
    [InlineData("imagesharp-444", 6)]
    public void The_warning_says_libjpeg_reports_the_bytes_only_where_djpeg_does(string kind, int seed)
    {
        var random = new Random(seed);
        byte[] jpeg = Encoded(kind, 16 + random.Next(60), 16 + random.Next(60));
        List<int> scanEnds = ScanEnds(jpeg), restarts = Restarts(jpeg);
        int unreported = 0, mayNot = 0;
        for (int trial = 0; trial < 40; trial++)
        {
            int count = trial < 16 ? trial + 1 : 1 + random.Next(64);
            bool beforeRestart = restarts.Count > 0 && random.Next(3) == 0;
            int at = beforeRestart ? restarts[random.Next(restarts.Count)] : scanEnds[random.Next(scanEnds.Count)];
            byte[] extra = new byte[count];
            for (int i = 0; i < count; i++) extra[i] = (byte)random.Next(0xFF); // no 0xFF: no markers, no stuffing
            byte[] file = JpegSamples.Insert(jpeg, at, extra);
            string what = $"{count} bytes before {(beforeRestart ? "a restart marker" : "the marker ending a scan")} at {at}";
            string said = Leftover(file) ?? throw new Xunit.Sdk.XunitException($"{what}: no leftover said");
            Assert.StartsWith($"compressed data holds {count} {(count == 1 ? "byte" : "bytes")} that no block uses", said);
            (int exitCode, string errors) = LibjpegTools.DjpegMessages(file);
            Assert.True(exitCode != 1, $"{what}: djpeg fails: {errors}");
            bool djpegReports = Regex.IsMatch(errors, @"\d+ extraneous bytes before marker");
            bool saysReports = said.Contains("which libjpeg reports as corrupt JPEG data", StringComparison.Ordinal);
            bool saysMayNot = said.Contains("which libjpeg may not report", StringComparison.Ordinal);
            Assert.True(saysReports != saysMayNot, $"{what}: {said}");
            if (saysReports) Assert.True(djpegReports, $"{what}: the warning says libjpeg reports them, djpeg says nothing ('{errors.Trim()}')");
            if (!djpegReports) Assert.True(saysMayNot, $"{what}: djpeg says nothing, the warning: {said}");
            Assert.Equal(count > 7, saysReports);
            unreported += djpegReports ? 0 : 1;
            mayNot += saysMayNot ? 1 : 0;
        }
        TestContext.Current.SendDiagnosticMessage($"{kind}: {unreported} of 40 unreported by djpeg, {mayNot} said 'may not'");
        Assert.True(unreported > 0, "some insertions djpeg does not report");
    }

    /// <summary>Where each scan's entropy-coded data ends: the marker after it (not a restart marker, not a stuffed 0xFF).</summary>
    private static List<int> ScanEnds(byte[] jpeg) => MarkersInScans(jpeg, restart: false);

    /// <summary>Where each restart marker inside a scan's data starts.</summary>
    private static List<int> Restarts(byte[] jpeg) => MarkersInScans(jpeg, restart: true);

    private static List<int> MarkersInScans(byte[] jpeg, bool restart)
    {
        var found = new List<int>();
        for (int i = 0; i + 3 < jpeg.Length; i++)
        {
            if (jpeg[i] != 0xFF || jpeg[i + 1] != 0xDA) continue;
            int p = i + 2 + (jpeg[i + 2] << 8 | jpeg[i + 3]);
            for (; p + 1 < jpeg.Length; p++)
            {
                if (jpeg[p] != 0xFF || jpeg[p + 1] is 0x00 or 0xFF) continue;
                bool isRestart = jpeg[p + 1] is >= 0xD0 and <= 0xD7;
                if (isRestart == restart) found.Add(p);
                if (!isRestart) break;
            }
            i = p;
        }
        return found;
    }

    private static int IndexOfMarker(byte[] jpeg, int code)
    {
        for (int i = JpegSamples.First(jpeg, 0xDA).Offset; i + 1 < jpeg.Length; i++)
            if (jpeg[i] == 0xFF && jpeg[i + 1] == code) return i + 1;
        throw new InvalidOperationException($"no FF {code:X2}");
    }
}
