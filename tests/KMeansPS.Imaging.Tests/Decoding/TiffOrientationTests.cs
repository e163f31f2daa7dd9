using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Tests.Corpus;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Decoding;

/// <summary>
/// A TIFF's Orientation tag is applied as a JPEG's EXIF orientation is (ImageSharp 2.1 leaves the pixels as stored,
/// so a scanned page tagged "rotate 90" came out lying on its side): the stored corners land where TIFF 6.0 and EXIF
/// say they are seen, and orientations 5 to 8 swap the width and height.
/// </summary>
public sealed class TiffOrientationTests
{
    [Theory]
    // orientation, where the stored top-left and top-right pixels are seen: 0 top-left, 1 top-right, 2 bottom-right, 3 bottom-left
    [InlineData(0, 0, 1)]
    [InlineData(1, 0, 1)]
    [InlineData(2, 1, 0)]
    [InlineData(3, 2, 3)]
    [InlineData(4, 3, 2)]
    [InlineData(5, 0, 3)]
    [InlineData(6, 1, 2)]
    [InlineData(7, 2, 1)]
    [InlineData(8, 3, 0)]
    public void TheStoredCornersAreSeenWhereTheTagSays(int orientation, int topLeftSeenAt, int topRightSeenAt)
    {
        const int width = 7, height = 4;
        var rgb = new byte[width * height * 3];
        for (int i = 0; i < width * height; i++) (rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]) = ((byte)(i * 9), (byte)(255 - i), 128);
        byte[] file = TiffWriter.Write([new TiffWriter.Page(width, height, rgb, height, orientation)]);
        RgbaImage image = ImageDecoder.Decode(new MemoryStream(file), cancellationToken: TestContext.Current.CancellationToken);
        bool swaps = orientation >= 5;
        Assert.Equal(swaps ? height : width, image.Width);
        Assert.Equal(swaps ? width : height, image.Height);
        Assert.Equal(Stored(rgb, 0), Corner(image, topLeftSeenAt));
        Assert.Equal(Stored(rgb, width - 1), Corner(image, topRightSeenAt));
    }

    private static Rgba32 Stored(byte[] rgb, int pixel) => new(rgb[3 * pixel], rgb[3 * pixel + 1], rgb[3 * pixel + 2], 255);

    private static Rgba32 Corner(RgbaImage image, int corner) => corner switch
    {
        0 => image.Pixels[0],
        1 => image.Pixels[image.Width - 1],
        2 => image.Pixels[^1],
        _ => image.Pixels[(image.Height - 1) * image.Width],
    };
}
