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

    [Fact]
    public void The_warm_up_job_is_the_same_every_time()
    {
        Assert.Equal(PaletteJobWarmup.Run(Ct), PaletteJobWarmup.Run(Ct));
    }
}
