using KMeansPS.Imaging.Jpeg;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace KMeansPS.Imaging.Tests.Jpeg;

public class ExifOrientationTransformTests
{
    /// <summary>A 3 x 2 image, each pixel distinct: row 0 is A B C, row 1 is D E F.</summary>
    private static RgbaImage Letters()
    {
        var pixels = new Rgba32[6];
        for (int i = 0; i < 6; i++) pixels[i] = new Rgba32((byte)('A' + i), 0, 0, 255);
        return new RgbaImage(3, 2, pixels);
    }

    [Theory]
    [InlineData(1, 3, "ABCDEF")]
    [InlineData(2, 3, "CBAFED")]
    [InlineData(3, 3, "FEDCBA")]
    [InlineData(4, 3, "DEFABC")]
    [InlineData(5, 2, "ADBECF")]
    [InlineData(6, 2, "DAEBFC")]
    [InlineData(7, 2, "FCEBDA")]
    [InlineData(8, 2, "CFBEAD")]
    public void Each_orientation_places_the_pixels_as_EXIF_defines(int orientation, int width, string rows)
    {
        RgbaImage result = ExifOrientationTransform.Apply(Letters(), orientation);
        Assert.Equal((width, 6 / width), (result.Width, result.Height));
        Assert.Equal(rows, new string(result.Pixels.Select(p => (char)p.R).ToArray()));
    }

    [Fact]
    public void Agrees_with_ImageSharps_AutoOrient()
    {
        RgbaImage source = JpegSamples.Photo(7, 4, seed: 2);
        for (ushort orientation = 1; orientation <= 8; orientation++)
        {
            using Image<Rgba32> image = Fixtures.ToImage(source);
            image.Metadata.ExifProfile = new ExifProfile();
            image.Metadata.ExifProfile.SetValue(ExifTag.Orientation, orientation);
            image.Mutate(x => x.AutoOrient());
            var expected = new Rgba32[image.Width * image.Height];
            image.CopyPixelDataTo(expected);
            RgbaImage ours = ExifOrientationTransform.Apply(source, orientation);
            Assert.Equal((image.Width, image.Height), (ours.Width, ours.Height));
            Assert.Equal(expected, ours.Pixels);
        }
    }

    [Fact]
    public void No_orientation_or_an_invalid_one_returns_the_image_itself()
    {
        RgbaImage image = Letters();
        Assert.Same(image, ExifOrientationTransform.Apply(image, null));
        Assert.Same(image, ExifOrientationTransform.Apply(image, 1));
        Assert.Same(image, ExifOrientationTransform.Apply(image, 0));
        Assert.Same(image, ExifOrientationTransform.Apply(image, 9));
    }
}
