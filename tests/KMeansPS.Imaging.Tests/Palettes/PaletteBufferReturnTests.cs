using KMeansPS.Engine;
using KMeansPS.Engine.Memory;
using KMeansPS.Imaging.ColorSpaces;
using KMeansPS.Imaging.Histograms;
using KMeansPS.Imaging.Palettes;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Palettes;

/// <summary>What a palette's fit hands back to the buffer cache: counted in the cache's own collection, alone.</summary>
[Collection(BufferCacheTestsAlone.Name)]
public class PaletteBufferReturnTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void A_palette_hands_back_every_rented_colour_map_but_its_own()
    {
        // The refinement's candidate maps (one per step, per seeding) are rented; left to the collector, arrays of
        // this size are large objects whose churn starts full collections. A length no other test uses: 25,013 colours.
        const int colors = 25_013;
        var pixels = new Rgba32[colors * 3];
        for (int i = 0; i < pixels.Length; i++)
        {
            int c = (i * 7_919) % colors; // every colour, each three times, scattered
            pixels[i] = new Rgba32((byte)(c % 37 * 7), (byte)(c / 37 % 29 * 9), (byte)(c / (37 * 29) * 11), 255);
        }
        ColorHistogram histogram = ColorHistogram.Build(pixels, cancellationToken: Ct);
        Assert.Equal(colors, histogram.Count);
        Assert.True(colors * sizeof(int) >= LargeBufferCache.MinBytes);
        var filled = Enumerable.Range(0, 12).Select(_ => LargeBufferCache.Rent<int>(colors)).ToArray();
        foreach (int[] map in filled) LargeBufferCache.Return(map);
        int before = LargeBufferCache.KeptCount<int>(colors);

        Palette palette = PaletteBuilder.Build(histogram, 16, QuantizeColorSpace.Rgb, KMeansAlgorithm.Auto, 300, 1e-4, 2, 1, null, 4, 0, Ct);

        Assert.Equal(colors, palette.ColorToEntry.Length);
        // Only the palette's own map is not handed back (the seedings ran one after another, so no more were needed).
        Assert.Equal(before - 1, LargeBufferCache.KeptCount<int>(colors));
    }
}
