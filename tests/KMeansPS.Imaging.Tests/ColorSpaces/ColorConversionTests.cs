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
        // Opaque: each channel rounded and clamped.
        Assert.Equal(new Rgba32(255, 0, 128, 255), MetricColor.FromMetric(300, -5, 127.5, 255));
    }

    [Fact]
    public void Every_8_bit_entry_round_trips_through_its_premultiplied_value()
    {
        var random = new Random(31);
        for (int a = 1; a <= 255; a++)
        {
            for (int n = 0; n < 40; n++)
            {
                var c = new Rgba32((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), (byte)a);
                if (n < 2) c = n == 0 ? new Rgba32(0, 0, 0, (byte)a) : new Rgba32(255, 255, 255, (byte)a);
                MetricColor.ToMetric(c, out float r, out float g, out float b, out float fa);
                Assert.Equal(c, MetricColor.FromMetric(r, g, b, fa));
            }
        }
    }

    [Fact]
    public void A_premultiplied_centre_becomes_the_nearest_8_bit_entry_of_all()
    {
        // Centres as k-means makes them: weighted means of a few real colours, premultiplied, so colour <= alpha.
        var random = new Random(5);
        int better = 0;
        for (int n = 0; n < 400; n++)
        {
            double r = 0, g = 0, b = 0, a = 0, weight = 0;
            int parts = 1 + random.Next(4);
            bool faint = n % 2 == 0; // soft-shadow alphas, where the rounding of alpha matters most
            int low = n % 4 == 0 ? 230 : 0; // light colours: a channel clamps when alpha rounds down
            for (int p = 0; p < parts; p++)
            {
                var c = new Rgba32((byte)random.Next(low, 256), (byte)random.Next(low, 256), (byte)random.Next(low, 256),
                    (byte)(faint ? 1 + random.Next(12) : random.Next(1, 256)));
                double w = 1 + random.Next(50);
                MetricColor.ToMetric(c, out float cr, out float cg, out float cb, out float ca);
                r += w * cr; g += w * cg; b += w * cb; a += w * ca; weight += w;
            }
            r /= weight; g /= weight; b /= weight; a /= weight;

            double chosen = Distance(MetricColor.FromMetric(r, g, b, a), r, g, b, a);
            Assert.True(chosen <= NearestByExhaustion(r, g, b, a) + 1e-9, $"centre {n}: ({r}, {g}, {b}, {a})");
            // Rounding alpha first, then each channel at that alpha: what the entry used to be.
            byte a8 = MetricColor.ToByte(a);
            var alphaFirst = a8 == 0 ? default : new Rgba32(MetricColor.ToByte(r * 255 / a8), MetricColor.ToByte(g * 255 / a8), MetricColor.ToByte(b * 255 / a8), a8);
            double naive = Distance(alphaFirst, r, g, b, a);
            Assert.True(chosen <= naive + 1e-12);
            if (chosen < naive - 1e-9) better++;
        }
        Assert.True(better > 0, "rounding alpha first was already the nearest entry for every centre");
    }

    /// <summary>The least distance over every alpha 0..255, each with every channel value 0..255 tried.</summary>
    private static double NearestByExhaustion(double r, double g, double b, double a)
    {
        double best = r * r + g * g + b * b + a * a; // (0,0,0,0)
        for (int a8 = 1; a8 < 256; a8++)
        {
            double total = (a8 - a) * (a8 - a);
            foreach (double target in new[] { r, g, b })
            {
                double least = double.PositiveInfinity;
                for (int v = 0; v < 256; v++)
                {
                    double d = v * (a8 / 255.0) - target;
                    least = Math.Min(least, d * d);
                }
                total += least;
            }
            best = Math.Min(best, total);
        }
        return best;
    }

    private static double Distance(Rgba32 c, double r, double g, double b, double a)
    {
        double s = c.A / 255.0;
        double dr = c.R * s - r, dg = c.G * s - g, db = c.B * s - b, da = c.A - a;
        return dr * dr + dg * dg + db * db + da * da;
    }
}
