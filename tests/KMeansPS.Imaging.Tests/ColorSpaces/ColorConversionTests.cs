using KMeansPS.Imaging.ColorSpaces;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.ColorSpaces;

public class ColorConversionTests
{
    [Fact]
    public void OkLab_round_trips_every_grey_and_a_colour_sample_to_the_same_byte()
    {
        var random = new Random(8);
        for (int n = 0; n < 5000; n++)
        {
            byte r = (byte)random.Next(256), g = (byte)random.Next(256), b = (byte)random.Next(256);
            if (n < 256) r = g = b = (byte)n;
            (float l, float a, float bb) = OkLab.FromSrgb(r, g, b);
            (double r2, double g2, double b2) = OkLab.ToSrgb(l, a, bb);
            Assert.Equal(r, MetricColor.ToByte(r2));
            Assert.Equal(g, MetricColor.ToByte(g2));
            Assert.Equal(b, MetricColor.ToByte(b2));
        }
        // Reference values: white is L = 1, a = b = 0; black is 0.
        (float wl, float wa, float wb) = OkLab.FromSrgb(255, 255, 255);
        Assert.Equal(1.0, wl, 3);
        Assert.Equal(0.0, wa, 3);
        Assert.Equal(0.0, wb, 3);
        Assert.Equal(0.0, OkLab.FromSrgb(0, 0, 0).L, 6);
    }

    [Fact]
    public void Premultiplied_centres_convert_back_to_the_nearest_straight_entry()
    {
        foreach (Rgba32 c in new Rgba32[] { new(200, 100, 50, 128), new(255, 0, 17, 1), new(3, 250, 9, 254), new(10, 20, 30, 255) })
        {
            MetricColor.ToMetric(c, out float r, out float g, out float b, out float a);
            Assert.Equal(c, MetricColor.FromMetric(r, g, b, a));
        }
        // Alpha rounds first; colour is premultiplied / alpha, rounded and clamped.
        Assert.Equal(new Rgba32(128, 64, 255, 100), MetricColor.FromMetric(50.2, 25.1, 120, 100.2));
        Assert.Equal(default, MetricColor.FromMetric(10, 10, 10, 0.4));
        Assert.Equal(new Rgba32(255, 0, 128, 255), MetricColor.FromMetric(300, -5, 127.5, 255));
    }
}
