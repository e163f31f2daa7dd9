using System.Buffers.Binary;
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

    /// <summary>
    /// An Orientation tag of two values where TIFF gives it one: libtiff ignores it ("Incorrect count for
    /// \"Orientation\"; tag ignored", and ImageMagick, reading through it, shows the page as stored), exiftool calls it
    /// "Unknown (6 0)", PIL takes the first value. The decode leaves the pixels as stored and says so; the scanner took
    /// the first value and turned them without a word.
    /// </summary>
    [Theory]
    [InlineData(6, false)]
    [InlineData(3, true)]
    [InlineData(8, false)]
    public void AnOrientationTagOfTwoValuesIsNotAppliedAndTheWarningSaysSo(int orientation, bool bigEndian)
    {
        const int width = 7, height = 4;
        var rgb = new byte[width * height * 3];
        for (int i = 0; i < width * height; i++) (rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]) = ((byte)(i * 9), (byte)(255 - i), 128);
        byte[] file = TiffWriter.Write([new TiffWriter.Page(width, height, rgb, height, orientation)], bigEndian);
        CancellationToken token = TestContext.Current.CancellationToken;
        RgbaImage turned = ImageDecoder.Decode(new MemoryStream(file), cancellationToken: token);
        Assert.Null(turned.DecodeWarning);

        SetOrientationCount(file, 2, bigEndian);
        RgbaImage image = ImageDecoder.Decode(new MemoryStream(file), cancellationToken: token);
        Assert.Equal((width, height), (image.Width, image.Height));
        Assert.Equal(Stored(rgb, 0), Corner(image, 0));
        Assert.Equal(Stored(rgb, width - 1), Corner(image, 1));
        Assert.Equal("The TIFF's Orientation entry holds 2 values where it should hold one, so it was not applied and the pixels " +
            $"stand as stored (some viewers, PIL among them, turn them by its first value, {orientation}).", image.DecodeWarning);
    }

    /// <summary>Rewrites the count of the first directory's Orientation entry (a SHORT, its values in the entry).</summary>
    private static void SetOrientationCount(byte[] file, uint count, bool bigEndian)
    {
        uint Read(int at, int size) => size == 2
            ? (bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(at)) : BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(at)))
            : (bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(at)) : BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at)));
        int ifd = (int)Read(4, 4);
        for (int i = 0, entries = (int)Read(ifd, 2); i < entries; i++)
        {
            int entry = ifd + 2 + 12 * i;
            if (Read(entry, 2) != 274) continue;
            if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(entry + 4), count);
            else BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(entry + 4), count);
            return;
        }
        throw new InvalidOperationException("no Orientation entry");
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
