using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Tests.Corpus;
using KMeansPS.Imaging.Tests.Integrity;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Gif;

/// <summary>
/// A GIF whose only frame reaches past its logical screen: the screen is widened to cover the frame (as PIL shows
/// it), every pixel of the frame is kept and the rest of the screen is transparent. ImageSharp 2.1 alone crops the
/// frame (and throws on an interlaced one past the bottom). Seeded frame rectangles, interlaced or not.
/// </summary>
public class ScreenCoveringFirstFrameTests
{
    private static readonly Rgba32[] Palette = [new(200, 30, 30), new(30, 200, 30), new(30, 30, 200), new(220, 220, 40)];

    [Fact]
    public void A_frame_past_the_screen_is_decoded_whole_on_a_screen_widened_to_cover_it()
    {
        var random = new Random(1207);
        int cropped = 0;
        for (int n = 0; n < 60; n++)
        {
            int screenWidth = random.Next(1, 20), screenHeight = random.Next(1, 20);
            int left = random.Next(screenWidth + 5), top = random.Next(screenHeight + 5);
            int width = random.Next(1, 25), height = random.Next(1, 25);
            bool interlaced = height > 4 && random.Next(2) == 0;
            byte[] indices = Enumerable.Range(0, width * height).Select(_ => (byte)random.Next(4)).ToArray();
            byte[] gif = GifWriter.Write(screenWidth, screenHeight, Palette, [new GifWriter.Frame(left, top, width, height, indices, interlaced)]);
            int coveredWidth = Math.Max(screenWidth, left + width), coveredHeight = Math.Max(screenHeight, top + height);
            string label = $"screen {screenWidth} x {screenHeight}, frame at ({left}, {top}) {width} x {height}{(interlaced ? " interlaced" : "")}";

            IntegrityReport report = FileIntegrity.Check(gif);
            Assert.True(report.Verdict == IntegrityVerdict.Intact, $"{label}: {report.Verdict} {report.Reason}");
            Assert.Equal((coveredWidth, coveredHeight), ((int)report.Width, (int)report.Height));
            RgbaImage image = ImageDecoder.Decode(gif, 1 << 20, "past.gif", TestContext.Current.CancellationToken);
            Assert.Equal((coveredWidth, coveredHeight), (image.Width, image.Height));
            for (int y = 0; y < coveredHeight; y++)
                for (int x = 0; x < coveredWidth; x++)
                {
                    bool inside = x >= left && x < left + width && y >= top && y < top + height;
                    Rgba32 got = image.Pixels[y * coveredWidth + x];
                    Assert.True(inside ? got == Palette[indices[(y - top) * width + x - left]] : got.A == 0, $"{label}: pixel ({x}, {y}) {got}");
                }
            if (coveredWidth > screenWidth || coveredHeight > screenHeight)
            {
                ImageSharpOracle alone = ImageSharpOracle.Decode(gif);
                if (alone.Error is not null || alone.Width * alone.Height < coveredWidth * coveredHeight) cropped++;
            }
        }
        Assert.True(cropped > 20, "ImageSharp alone kept the frames whole after all");
    }

    [Fact]
    public void A_frame_whose_data_holds_only_the_rows_on_the_old_screen_is_damaged()
    {
        // 6 rows of data under a descriptor of 12 on a screen of 6: the frame is cut short, whatever the screen says.
        byte[] gif = GifWriter.Write(8, 6, Palette, [new GifWriter.Frame(0, 0, 8, 6, new byte[48])]);
        gif[13 + 3 * Palette.Length + 7] = 12; // the descriptor's height, after the header and the table
        IntegrityReport report = FileIntegrity.Check(gif);
        Assert.Equal(IntegrityVerdict.Damaged, report.Verdict);
        Assert.Contains("ends after 6 of 12 rows", report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_frame_reaching_past_the_largest_screen_a_GIF_can_state_is_refused()
    {
        byte[] gif = GifWriter.Write(8, 6, Palette, [new GifWriter.Frame(65_530, 0, 8, 6, new byte[48])]);
        IntegrityReport report = FileIntegrity.Check(gif);
        Assert.Equal(IntegrityVerdict.Unsupported, report.Verdict);
        Assert.Contains("65,538 x 6", report.Reason, StringComparison.Ordinal);
        Assert.Throws<InvalidImageException>(() => ImageDecoder.Decode(gif, 1 << 20, "far.gif", TestContext.Current.CancellationToken));
    }
}
