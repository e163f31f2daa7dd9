using KMeansPS.Imaging.ColorSpaces;
using KMeansPS.Imaging.Histograms;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Histograms;

public class ColorCellsTests
{
    [Fact]
    public void Each_level_drops_one_more_bit_of_one_channel_B_R_G_A()
    {
        Assert.Equal(uint.MaxValue, ColorCells.Mask(0));
        Assert.Equal(0xFFFEFFFFu, ColorCells.Mask(1));   // B's lowest bit (bits 16..23)
        Assert.Equal(0xFFFEFFFEu, ColorCells.Mask(2));   // then R's
        Assert.Equal(0xFFFEFEFEu, ColorCells.Mask(3));   // then G's
        Assert.Equal(0xFEFEFEFEu, ColorCells.Mask(4));   // then A's
        Assert.Equal(0xFEFCFEFEu, ColorCells.Mask(5));
        Assert.Equal(0u, ColorCells.Mask(32));
        Assert.Equal(0u, ColorCells.Mask(40));
        for (int level = 1; level <= 32; level++)
            Assert.Equal(uint.PopCount(ColorCells.Mask(level - 1)) - 1, uint.PopCount(ColorCells.Mask(level)));
    }

    [Fact]
    public void Keying_a_key_again_gives_the_colours_key_and_visible_colours_never_share_the_transparent_cell()
    {
        var random = new Random(5);
        for (int n = 0; n < 20_000; n++)
        {
            uint color = (uint)random.NextInt64(0, 1L << 32);
            if (random.Next(4) == 0) color &= 0x03FFFFFF; // many faint alphas
            color = ColorHistogram.Canonical(color);
            int fine = random.Next(33), coarse = fine + random.Next(33 - fine);
            uint key = ColorCells.Key(color, ColorCells.Mask(fine));
            Assert.Equal(ColorCells.Key(color, ColorCells.Mask(coarse)), ColorCells.Key(key, ColorCells.Mask(coarse)));
            Assert.Equal(color == 0, key == 0);
            Assert.Equal(color >= 0x01000000u, key >= 0x01000000u);
        }
    }

    [Fact]
    public void A_cells_colour_is_the_premultiplied_mean_of_its_pixels()
    {
        var sums = new long[4];
        ColorCells.Set(sums, new Rgba32(10, 20, 30, 255).PackedValue, 3);
        ColorCells.Add(sums, new Rgba32(14, 24, 34, 255).PackedValue, 1);
        Assert.Equal(new Rgba32(11, 21, 31, 255), ColorCells.Mean(sums, 4));

        // Half-transparent pixels weigh by their alpha in the colour, as premultiplied means do.
        ColorCells.Set(sums, new Rgba32(200, 0, 0, 200).PackedValue, 1);
        ColorCells.Add(sums, new Rgba32(0, 0, 200, 100).PackedValue, 1);
        Rgba32 mean = ColorCells.Mean(sums, 2);
        Assert.Equal(MetricColor.FromMetric((200 * 200 / 255.0) / 2, 0, (200 * 100 / 255.0) / 2, 150), mean);
        Assert.Equal(150, mean.A);

        ColorCells.Set(sums, 0, 7);
        Assert.Equal(default, ColorCells.Mean(sums, 7));
    }
}
