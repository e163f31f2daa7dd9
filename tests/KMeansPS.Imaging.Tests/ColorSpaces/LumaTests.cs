using KMeansPS.Imaging.ColorSpaces;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.ColorSpaces;

public class LumaTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 0)]
    [InlineData(3, 1)]
    [InlineData(4, 8)]
    [InlineData(5, 100)]
    public void Vectors_give_the_scalar_loops_bits(int seed, int translucentPercent)
    {
        // Runs of every length around the vector widths, opaque pixels with a few translucent ones among them.
        var random = new Random(seed);
        foreach (int length in new[] { 0, 1, 7, 8, 9, 15, 16, 17, 31, 33, 64, 257, 1000 })
        {
            var pixels = new Rgba32[length];
            for (int i = 0; i < length; i++)
            {
                byte a = random.Next(100) < translucentPercent ? (byte)random.Next(255) : (byte)255;
                pixels[i] = new Rgba32((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), a);
            }
            var scalar = new float[length];
            var vector = new float[length];
            Luma.Compute(pixels, scalar, vectors: false);
            Luma.Compute(pixels, vector);
            Assert.Equal(scalar, vector);
            for (int i = 0; i < length; i++)
            {
                if (pixels[i].A != 255) continue;
                // An opaque pixel's luma is the float sum of the three float products.
                float expected = 0.299f * pixels[i].R + 0.587f * pixels[i].G + 0.114f * pixels[i].B;
                Assert.Equal(expected, scalar[i]);
            }
        }
    }

    [Fact]
    public void Every_opaque_channel_value_gives_the_lookups_bits()
    {
        // All 256 values of each channel against the other two at a few levels: the conversions and products of
        // the vector path meet each table entry.
        var pixels = new List<Rgba32>();
        foreach (byte other in new byte[] { 0, 1, 127, 128, 254, 255 })
            for (int v = 0; v < 256; v++)
            {
                pixels.Add(new Rgba32((byte)v, other, other, 255));
                pixels.Add(new Rgba32(other, (byte)v, other, 255));
                pixels.Add(new Rgba32(other, other, (byte)v, 255));
            }
        var scalar = new float[pixels.Count];
        var vector = new float[pixels.Count];
        Luma.Compute(pixels.ToArray(), scalar, vectors: false);
        Luma.Compute(pixels.ToArray(), vector);
        Assert.Equal(scalar, vector);
    }
}
