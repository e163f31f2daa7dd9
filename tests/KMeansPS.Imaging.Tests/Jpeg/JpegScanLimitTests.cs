using System.Globalization;
using System.Text;
using KMeansPS.Imaging.Jpeg;

namespace KMeansPS.Imaging.Tests.Jpeg;

/// <summary>
/// At most <see cref="JpegReader.MaxScans"/> scans: each costs a pass over every block of its components however little
/// data it holds. A file with more is refused from its headers, before the first scan is decoded (a 4000 x 4000 file
/// of 896 scans took 3.8 s to be refused when the limit was met only at scan 257).
/// </summary>
public class JpegScanLimitTests
{
    /// <summary>
    /// A grey progressive file of the DC scan and every AC band in <paramref name="steps"/> scans of successive
    /// approximation. cjpeg takes at most 100 scans a script, so the bands are coded in groups by several runs on the
    /// same image and settings, and the groups' scans (each with its own Huffman tables, as cjpeg optimises them per
    /// scan) follow the first run's: the DC scan is the same in every run.
    /// </summary>
    private static byte[] Progressive(RgbaImage image, int steps)
    {
        int bandsPerRun = 98 / steps;
        var output = new List<byte>();
        for (int first = 1; first <= 63; first += bandsPerRun)
        {
            var script = new StringBuilder("0: 0 0 0 0;\n");
            for (int band = first; band <= Math.Min(63, first + bandsPerRun - 1); band++)
            {
                script.Append(CultureInfo.InvariantCulture, $"0: {band} {band} 0 {steps - 1};\n");
                for (int al = steps - 1; al > 0; al--) script.Append(CultureInfo.InvariantCulture, $"0: {band} {band} {al} {al - 1};\n");
            }
            byte[] run = LibjpegTools.CjpegWithScans(image, "-grayscale", script.ToString());
            if (first == 1) output.AddRange(run.AsSpan(0, run.Length - 2).ToArray()); // all but its end-of-image marker
            else output.AddRange(run.AsSpan(AfterFirstScan(run), run.Length - 2 - AfterFirstScan(run)).ToArray());
        }
        output.AddRange(new byte[] { 0xFF, JpegMarkers.Eoi });
        return [.. output];
    }

    /// <summary>Where the segments after the first scan's entropy-coded data start: the first marker there, as no FF in such data is followed by other than 00 or RSTn.</summary>
    private static int AfterFirstScan(byte[] jpeg)
    {
        JpegSamples.Segment sos = JpegSamples.First(jpeg, JpegMarkers.Sos);
        for (int i = sos.Offset + sos.Length; i + 1 < jpeg.Length; i++)
            if (jpeg[i] == 0xFF && jpeg[i + 1] is not (0 or 0xFF or >= JpegMarkers.Rst0 and <= JpegMarkers.Rst7)) return i;
        throw new InvalidOperationException("one scan only");
    }

    private static int Scans(byte[] jpeg)
    {
        int count = 0;
        for (int i = 0; i + 1 < jpeg.Length; i++) if (jpeg[i] == 0xFF && jpeg[i + 1] == JpegMarkers.Sos) count++;
        return count;
    }

    [Fact]
    public void A_file_of_up_to_256_scans_is_read_and_one_of_more_is_refused_from_its_headers()
    {
        RgbaImage image = JpegSamples.Photo(24, 16, seed: 3);
        byte[] within = Progressive(image, 4);
        Assert.Equal(1 + 63 * 4, Scans(within));
        Assert.Equal(LibjpegTools.Djpeg(within, out _, out _), JpegSamples.Decode(within));

        byte[] beyond = Progressive(image, 11); // Al up to 10, the most libjpeg allows at 8 bits
        Assert.Equal(1 + 63 * 11, Scans(beyond));
        Assert.Equal(LibjpegTools.Djpeg(beyond, out _, out _), LibjpegTools.Djpeg(within, out _, out _)); // a valid file, the same pixels
        var error = Assert.Throws<JpegFormatException>(() => ExactJpegDecoder.ReadHeader(beyond));
        Assert.Equal($"it has more than {JpegReader.MaxScans} scans (real images have a few dozen at most)", error.Message);
    }
}
