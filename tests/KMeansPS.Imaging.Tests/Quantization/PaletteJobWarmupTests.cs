using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Quantization;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Quantization;

public class PaletteJobWarmupTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void The_warm_up_job_runs_every_stage_and_encodes_a_16_colour_png_of_its_image()
    {
        RgbaImage image = PaletteJobWarmup.GeneratedImage();
        // More colours than K, or the fit would be the lossless shortcut and compile none of the kernels.
        Assert.True(image.Pixels.Distinct().Count() > 1000);
        Assert.False(image.HasAlpha());

        byte[] png = PaletteJobWarmup.Run(Ct);

        RgbaImage decoded = ImageDecoder.Decode(new MemoryStream(png), cancellationToken: Ct);
        Assert.Equal((PaletteJobWarmup.Width, PaletteJobWarmup.Height), (decoded.Width, decoded.Height));
        Rgba32[] colours = decoded.Pixels.Distinct().ToArray();
        Assert.InRange(colours.Length, 9, 16);
        // Each pixel took a nearby entry: 16 colours leave far less error than the one mean colour would.
        static double Squared(Rgba32 a, double r, double g, double b) => (a.R - r) * (a.R - r) + (a.G - g) * (a.G - g) + (a.B - b) * (a.B - b);
        double quantized = image.Pixels.Zip(decoded.Pixels, (a, b) => Squared(a, b.R, b.G, b.B)).Average();
        (double r, double g, double b) = (image.Pixels.Average(p => p.R), image.Pixels.Average(p => p.G), image.Pixels.Average(p => p.B));
        double oneColour = image.Pixels.Average(p => Squared(p, r, g, b));
        Assert.InRange(quantized, 1, oneColour / 8);
    }

    [Theory]
    [InlineData(0, "2x2 1x1 1x1")]
    [InlineData(1, "2x1 1x1 1x1")]
    public void The_warm_up_jpegs_are_in_the_build_with_their_chroma_sampling_and_decode_as_djpeg_does(int index, string sampling)
    {
        // The warm-up compiles the decoder's kernels only if its files are there and reach them: a missing resource
        // or one our decoder hands to ImageSharp would leave a first call compiling them as before.
        string resource = PaletteJobWarmup.JpegResources[index];
        using Stream stream = typeof(PaletteJobWarmup).Assembly.GetManifestResourceStream(resource)!;
        Assert.NotNull(stream);
        var file = new byte[stream.Length];
        stream.ReadExactly(file);
        Assert.Equal(sampling, KMeansPS.Imaging.Jpeg.ExactJpegDecoder.ReadHeader(file).Sampling);

        RgbaImage decoded = PaletteJobWarmup.DecodeJpeg(resource, Ct);
        Rgba32[] expected = KMeansPS.Imaging.Tests.Jpeg.LibjpegTools.Djpeg(file, out int width, out int height);
        Assert.Equal((PaletteJobWarmup.Width, PaletteJobWarmup.Height), (width, height));
        Assert.Equal(expected, decoded.Pixels);
    }

    [Fact]
    public void The_warm_up_job_is_the_same_every_time()
    {
        Assert.Equal(PaletteJobWarmup.Run(Ct), PaletteJobWarmup.Run(Ct));
    }
}
