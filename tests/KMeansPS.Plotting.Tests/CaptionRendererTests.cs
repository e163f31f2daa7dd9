using KMeansPS.Plotting;
using Xunit;

namespace KMeansPS.Plotting.Tests;

public sealed class CaptionRendererTests
{
    [Fact]
    public void Draws_the_same_bytes_on_every_call()
    {
        byte[]? first = CaptionRenderer.Rasterize("Difference (x8)", 300, 30);
        byte[]? second = CaptionRenderer.Rasterize("Difference (x8)", 300, 30);
        Assert.NotNull(first);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Draws_centred_ink_within_the_box()
    {
        byte[] coverage = CaptionRenderer.Rasterize("Original", 200, 24)!;
        Assert.Equal(200 * 24, coverage.Length);
        Assert.Contains(coverage, c => c == 255);
        int[] inkColumns = Enumerable.Range(0, 200).Where(x => Enumerable.Range(0, 24).Any(y => coverage[y * 200 + x] > 0)).ToArray();
        int left = inkColumns.First(), right = 199 - inkColumns.Last();
        Assert.True(Math.Abs(left - right) <= 3, $"left margin {left}, right margin {right}");
        // Nothing in the top row: the text sits inside the band.
        Assert.All(Enumerable.Range(0, 200), x => Assert.Equal(0, coverage[x]));
    }

    [Fact]
    public void Different_texts_give_different_ink()
    {
        Assert.NotEqual(CaptionRenderer.Rasterize("8 colours", 150, 20), CaptionRenderer.Rasterize("9 colours", 150, 20));
    }

    [Fact]
    public void Returns_null_when_the_text_would_be_too_small_to_read()
    {
        Assert.Null(CaptionRenderer.Rasterize("Difference (x8)", 30, 16));
        Assert.Null(CaptionRenderer.Rasterize("Original", 200, 10));
        Assert.NotNull(CaptionRenderer.Rasterize("x8", 30, 16));
    }
}
