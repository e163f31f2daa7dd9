using KMeansPS.Imaging.ColorSpaces;
using KMeansPS.Imaging.Palettes;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Palettes;

public class NearestPixelMapperTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Opaque_palettes_keep_visible_pixels_off_the_transparent_entry()
    {
        // Black is nearer to (0,0,0,0) than to any visible entry in premultiplied RGBA, but a visible pixel must stay visible.
        Rgba32[] palette = [default, new(255, 255, 255, 255), new(200, 200, 0, 255)];
        Rgba32[] pixels = [new(0, 0, 0, 255), new(5, 6, 7, 0), new(190, 10, 0, 255), new(250, 250, 250, 255)];
        var indices = new byte[pixels.Length];
        NearestPixelMapper.Map(pixels, palette, indices, 1, Ct);
        Assert.Equal([2, 0, 2, 1], indices);
    }

    [Fact]
    public void With_partial_alpha_every_pixel_takes_the_nearest_of_all_entries_for_any_threads()
    {
        var random = new Random(9);
        var palette = new Rgba32[40];
        for (int i = 1; i < palette.Length; i++)
            palette[i] = new Rgba32((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(1, 256));
        var pixels = new Rgba32[200_000];
        for (int i = 0; i < pixels.Length; i++)
            pixels[i] = i % 3 == 0 && i > 0 ? pixels[i - 1]
                : new Rgba32((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
        var one = new byte[pixels.Length];
        var four = new byte[pixels.Length];
        NearestPixelMapper.Map(pixels, palette, one, 1, Ct);
        NearestPixelMapper.Map(pixels, palette, four, 4, Ct);
        Assert.Equal(one, four);
        for (int p = 0; p < pixels.Length; p += 13)
        {
            if (pixels[p].A == 0) { Assert.Equal(0, one[p]); continue; }
            double mapped = MetricColor.SquaredDistance(pixels[p], palette[one[p]]);
            Assert.All(palette, e => Assert.True(MetricColor.SquaredDistance(pixels[p], e) >= mapped - 0.01)); // float search
        }
    }
}
