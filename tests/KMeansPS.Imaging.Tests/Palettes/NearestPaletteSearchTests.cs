using System.Runtime.Intrinsics;
using KMeansPS.Imaging.ColorSpaces;
using KMeansPS.Imaging.Palettes;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Palettes;

public class NearestPaletteSearchTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(64)]
    [InlineData(255)]
    public void Vector_search_matches_the_scalar_search_including_ties(int size)
    {
        var random = new Random(size);
        var palette = new Rgba32[size];
        // Few levels so that exact ties are common; ties must go to the lowest index.
        for (int i = 0; i < size; i++)
            palette[i] = new Rgba32((byte)(random.Next(4) * 64), (byte)(random.Next(4) * 64), (byte)(random.Next(4) * 64), (byte)(random.Next(3) * 127));
        var search = new NearestPaletteSearch(palette);
        for (int n = 0; n < 2000; n++)
        {
            float r = random.Next(256), g = random.Next(256), b = random.Next(256), a = random.Next(256);
            int scalar = search.NearestScalar(r, g, b, a);
            if (Vector256.IsHardwareAccelerated) Assert.Equal(scalar, search.NearestVector256(r, g, b, a));
            if (Vector512.IsHardwareAccelerated) Assert.Equal(scalar, search.NearestVector512(r, g, b, a));
            Assert.Equal(scalar, search.Nearest(r, g, b, a));
            // The scalar search is the reference: nothing strictly closer, nothing as close at a lower index.
            float best = Distance(palette[scalar], r, g, b, a);
            for (int i = 0; i < size; i++)
            {
                float d = Distance(palette[i], r, g, b, a);
                Assert.True(d > best || (d == best && i >= scalar));
            }
        }
    }

    private static float Distance(Rgba32 p, float r, float g, float b, float a)
    {
        MetricColor.ToMetric(p, out float pr, out float pg, out float pb, out float pa);
        float dr = pr - r, dg = pg - g, db = pb - b, da = pa - a;
        return dr * dr + dg * dg + db * db + da * da;
    }
}
