using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Tests.Corpus;
using KMeansPS.Imaging.Tests.Integrity;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Gif;

/// <summary>
/// A GIF whose frame covers only part of its screen: the rest is transparent, as browsers show it (ImageSharp 2.1
/// alone makes it opaque black, shown too); the frame's pixels are its colours. Seeded frame rectangles.
/// </summary>
public class UncoveredScreenTests
{
    [Fact]
    public void The_screen_outside_the_frame_is_transparent()
    {
        Rgba32[] palette = [new(200, 30, 30), new(30, 200, 30), new(30, 30, 200), new(220, 220, 40)];
        var random = new Random(1206);
        int misread = 0;
        for (int n = 0; n < 40; n++)
        {
            int screenWidth = random.Next(1, 20), screenHeight = random.Next(1, 20);
            int left = random.Next(screenWidth), top = random.Next(screenHeight);
            int width = random.Next(1, screenWidth - left + 1), height = random.Next(1, screenHeight - top + 1);
            byte[] indices = Enumerable.Range(0, width * height).Select(_ => (byte)random.Next(4)).ToArray();
            byte[] gif = GifWriter.Write(screenWidth, screenHeight, palette, [new GifWriter.Frame(left, top, width, height, indices)]);
            RgbaImage image = ImageDecoder.Decode(gif, 1 << 20, "offset.gif", TestContext.Current.CancellationToken);
            Rgba32[] alone = ImageSharpOracle.Decode(gif).Frames![0];
            for (int y = 0; y < screenHeight; y++)
                for (int x = 0; x < screenWidth; x++)
                {
                    bool inside = x >= left && x < left + width && y >= top && y < top + height;
                    Rgba32 expected = inside ? palette[indices[(y - top) * width + x - left]] : default;
                    Rgba32 got = image.Pixels[y * screenWidth + x];
                    Assert.True(inside ? got == expected : got.A == 0, $"screen {screenWidth} x {screenHeight}, frame at ({left}, {top}) {width} x {height}: pixel ({x}, {y}) {got}");
                    if (!inside && alone[y * screenWidth + x].A == 255) misread++;
                }
        }
        Assert.True(misread > 0, "ImageSharp alone left the uncovered screen transparent after all");
    }
}
