using System.Text;
using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Tests.Corpus;

namespace KMeansPS.Imaging.Tests.Integrity;

/// <summary>
/// How many images a Netpbm file holds, as netpbm counts them (pamfile -allimages): every whole header after an
/// image's last sample starts another, a PAM's (P7) too, after whitespace as C's isspace has it; a binary image ends
/// where its raster's length says, counted from the one whitespace byte after its header, whatever that raster's
/// first bytes are. Anything else after the last sample is tolerated, as a header cut short is.
/// </summary>
public sealed class PnmScannerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A small image of each kind, each ending with its last sample (plain ones with a line feed).</summary>
    private static byte[] Image(char kind, int seed)
    {
        int maxValue = kind is '1' or '4' ? 1 : kind is '3' or '6' ? 1000 : 255;
        return PnmWriter.Write(kind, 5, 3, maxValue, PnmWriter.Samples(kind, 5, 3, maxValue, seed));
    }

    private static byte[] Pam(int seed, int depth = 3, int maxValue = 255) =>
        PnmWriter.Pam(4, 2, depth, maxValue, PnmWriter.Samples('5', 4 * depth, 2, maxValue, seed), depth == 3 ? "RGB" : "GRAYSCALE");

    private static void AssertImages(byte[] file, int images)
    {
        IntegrityReport report = FileIntegrity.Check(file);
        Assert.True(report.Verdict == IntegrityVerdict.Intact, report.Reason);
        Assert.Equal(images, report.Frames);
        if (images == 1) return;
        var error = Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(file, 1 << 20, "several.pnm", Ct));
        Assert.Contains($"it holds {images} images", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData('1')]
    [InlineData('2')]
    [InlineData('3')]
    [InlineData('4')]
    [InlineData('5')]
    [InlineData('6')]
    public void A_PAM_after_another_Netpbm_image_is_a_second_image(char kind)
    {
        foreach (string between in new[] { "", "\n", " \t\r\n" })
        {
            AssertImages([.. Image(kind, 71), .. Encoding.ASCII.GetBytes(between), .. Pam(72)], 2);
            AssertImages([.. Image(kind, 73), .. Encoding.ASCII.GetBytes(between), .. Pam(74, depth: 1, maxValue: 1000)], 2);
        }
    }

    [Fact]
    public void Images_after_a_PAM_are_counted_too()
    {
        // A PAM's raster starts right after ENDHDR's line feed, so one starting with a line feed ends where its length says.
        int[] samples = PnmWriter.Samples('5', 3, 2, 255, 75);
        samples[0] = '\n';
        samples[1] = ' ';
        byte[] pam = PnmWriter.Pam(3, 2, 1, 255, samples);
        AssertImages([.. Image('6', 76), .. pam, .. Image('5', 77)], 3);
        AssertImages([.. Image('5', 78), .. Pam(79), (byte)'\n', .. Image('2', 80), .. Pam(81, depth: 4, maxValue: 65535)], 4);
    }

    [Theory]
    [InlineData("\v")]
    [InlineData("\f")]
    [InlineData("\n\v \f")]
    public void Images_separated_by_a_vertical_tab_or_a_form_feed_are_counted(string between)
    {
        // netpbm skips C's whitespace between images (isspace), vertical tab and form feed among it.
        AssertImages([.. Image('5', 82), .. Encoding.ASCII.GetBytes(between), .. Image('6', 83)], 2);
        AssertImages([.. Image('1', 84), .. Encoding.ASCII.GetBytes(between), .. Image('4', 85)], 2);
    }

    [Theory]
    [InlineData('4', 1)]
    [InlineData('5', 255)]
    [InlineData('5', 4095)]
    [InlineData('6', 255)]
    public void A_binary_image_whose_raster_starts_with_whitespace_ends_where_its_length_says(char kind, int maxValue)
    {
        foreach (byte first in new byte[] { 9, 10, 13, 32, (byte)'#' })
        {
            // Pixels whose bytes are all 'first' (a whole raster that looks like header), then a line feed, then another image or not.
            int channels = kind == '6' ? 3 : 1, count = 4 * 3 * channels;
            int sample = kind == '4' ? 0 : maxValue > 255 ? first << 8 | first : first;
            if (sample > maxValue) continue;
            byte[] image = kind == '4'
                ? [.. "P4\n8 3\n"u8.ToArray(), first, first, first]
                : PnmWriter.Write(kind, 4, 3, maxValue, Enumerable.Repeat(sample, count).ToArray());
            AssertImages([.. image, (byte)'\n'], 1);
            AssertImages([.. image, (byte)'\n', .. Image('5', 86)], 2);
            AssertImages([.. image, .. Pam(87)], 2);
        }
    }

    [Theory]
    [InlineData("P7")]
    [InlineData("P7\n")]
    [InlineData("P7\nWIDTH 2\nHEIGHT 2\nDEPTH 1\nMAXVAL 255\n")]
    [InlineData("P7\nWIDTH 2\nHEIGHT 2\nDEPTH 1\nMAXVAL 255\nENDHD")]
    public void A_PAM_header_cut_before_its_ENDHDR_line_is_trailing_bytes(string trailing)
    {
        // Only a whole header starts another image, as for the other kinds.
        byte[] image = Image('5', 88);
        AssertImages([.. image, (byte)'\n', .. Encoding.ASCII.GetBytes(trailing)], 1);
        Assert.Equal(ImageDecoder.Decode(image, 1 << 20, "one.pgm", Ct).Pixels.Take(15),
            ImageDecoder.Decode([.. image, (byte)'\n', .. Encoding.ASCII.GetBytes(trailing)], 1 << 20, "trailing.pgm", Ct).Pixels.Take(15));
    }

    [Fact]
    public void A_file_that_starts_with_a_PAM_is_not_a_format_read()
    {
        // Neither ImageSharp 2.1 nor the module reads PAM, so images after it are never looked at.
        var error = Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode([.. Pam(89), .. Image('5', 90)], 1 << 20, "first.pam", Ct));
        Assert.Contains("not recognised", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A plain image whose last number runs into the end of the file is cut short ("...255\n20" may be 200 cut), as
    /// netpbm ("EOF / read error reading a byte") and ImageMagick refuse it; with its line feed, or a space, it is whole.
    /// </summary>
    [Theory]
    [InlineData('1')]
    [InlineData('2')]
    [InlineData('3')]
    public void A_plain_image_whose_last_number_runs_into_the_end_of_the_file_is_cut_short(char kind)
    {
        byte[] whole = Image(kind, 5);
        Assert.Equal((byte)'\n', whole[^1]);
        AssertImages(whole, 1);
        AssertImages([.. whole[..^1], (byte)' '], 1);
        byte[] cut = whole[..^1];
        IntegrityReport report = FileIntegrity.Check(cut);
        Assert.Equal(IntegrityVerdict.Damaged, report.Verdict);
        Assert.StartsWith("the file ends inside the last sample", report.Reason);
        var error = Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(cut, 1 << 20, "cut.pgm", Ct));
        Assert.Contains("the file ends inside the last sample", error.Message, StringComparison.Ordinal);
    }
}
