using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Tests.Corpus;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Tiff;

public class SingleSamplePlanesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Rgba32[] Decode(byte[] tiff) => ImageDecoder.Decode(new MemoryStream(tiff), name: "test.tif", cancellationToken: Ct).Pixels;

    /// <summary>One sample a pixel in "separate planes" is one plane, as libtiff reads it; ImageSharp 2.1 refused it.</summary>
    [Theory]
    [InlineData(1, 1)]
    [InlineData(8, 1)]
    [InlineData(8, 8)]
    [InlineData(8, 32773)]
    public void One_sample_in_separate_planes_is_read_as_one_plane(int bits, int method)
    {
        int[] samples = GreyTiffWriter.Samples(bits, seed: 11);
        Assert.Equal(Decode(GreyTiffWriter.Write(samples, bits, method)), Decode(GreyTiffWriter.Write(samples, bits, method, planar: 2)));
        // With its bits reversed too.
        Assert.Equal(Decode(GreyTiffWriter.Write(samples, bits, method)), Decode(GreyTiffWriter.Write(samples, bits, method, fillOrder: 2, planar: 2)));
    }
}
