using KMeansPS.Imaging.Metrics;
using KMeansPS.Imaging.Palettes;
using KMeansPS.Imaging.Quantization;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace KMeansPS.Imaging.Tests.Metrics;

public sealed class ComparisonFigureTests
{
    private static readonly string[] DifferenceForms = ["Difference (x8)", "Diff. x8"];
    private static readonly string[] ColourForms = ["256 colours", "K=256"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // A stand-in rasterizer: ink in a block whose width grows with the text, null when the text is longer than the box
    // allows (so the figure must fall back to a shorter form). Records what it was asked.
    private sealed class FakeRasterizer
    {
        public List<(string Text, int Width, int Height)> Calls { get; } = [];

        public byte[]? Rasterize(string text, int width, int height)
        {
            Calls.Add((text, width, height));
            if (text.Length * 4 > width) return null;
            var coverage = new byte[width * height];
            for (int y = height / 4; y < height * 3 / 4; y++)
                for (int x = 0; x < text.Length * 4; x++) coverage[y * width + x] = 255;
            return coverage;
        }
    }

    [Fact]
    public void Captions_add_a_band_above_and_leave_the_panels_pixels_as_without_captions()
    {
        RgbaImage image = Fixtures.Gradient(120, 50);
        QuantizedImage quantized = ImageQuantizer.Quantize(image, new QuantizeOptions { K = 8, Seed = 1 }, cancellationToken: Ct);
        Rgba32[] pixels = quantized.ToPixels();
        var fake = new FakeRasterizer();
        using Image<Rgba32> plain = ComparisonFigure.Render(image, pixels, 1600, Ct);
        using Image<Rgba32> captioned = ComparisonFigure.Render(image, pixels, 1600, fake.Rasterize, 8, Ct);

        int band = ComparisonFigure.CaptionBandHeight(120);
        Assert.Equal(ComparisonFigure.MinCaptionBand, band);
        Assert.Equal(plain.Width, captioned.Width);
        Assert.Equal(plain.Height + band, captioned.Height);
        for (int y = 0; y < plain.Height; y++)
            for (int x = 0; x < plain.Width; x++)
                Assert.Equal(plain[x, y], captioned[x, y + band]);
        // The band is white with the rasterizer's ink as black, over each panel.
        Assert.Equal(new Rgba32(255, 255, 255, 255), captioned[captioned.Width - 1, 0]);
        Assert.Equal(new Rgba32(0, 0, 0, 255), captioned[1, band / 2]);
        Assert.Equal(new Rgba32(0, 0, 0, 255), captioned[120 + 4 + 1, band / 2]);
        Assert.Contains(fake.Calls, c => c.Text == "Original" && c.Width == 120 && c.Height == band);
        Assert.Contains(fake.Calls, c => c.Text == "8 colours");
        Assert.Contains(fake.Calls, c => c.Text == $"Difference (x{ComparisonFigure.DifferenceGain})");
    }

    [Fact]
    public void A_narrow_panel_falls_back_to_a_shorter_caption_and_the_band_has_its_minimum_height()
    {
        RgbaImage image = Fixtures.Gradient(40, 20);
        var fake = new FakeRasterizer();
        using Image<Rgba32> figure = ComparisonFigure.Render(image, image.Pixels, 1600, fake.Rasterize, 256, Ct);
        Assert.Equal(20 + ComparisonFigure.MinCaptionBand, figure.Height);
        // "Difference (x8)" (15 characters = 60 px here) does not fit in 40 px; "Diff. x8" does and is the one drawn.
        Assert.Equal(DifferenceForms, fake.Calls.Where(c => c.Text.StartsWith("Diff", StringComparison.Ordinal)).Select(c => c.Text));
        Assert.Equal(ColourForms, fake.Calls.Where(c => c.Text.Contains("256", StringComparison.Ordinal)).Select(c => c.Text));
    }

    [Fact]
    public void The_band_grows_with_the_panel_width_within_its_bounds()
    {
        Assert.Equal(ComparisonFigure.MinCaptionBand, ComparisonFigure.CaptionBandHeight(10));
        Assert.Equal(30, ComparisonFigure.CaptionBandHeight(300));
        Assert.Equal(40, ComparisonFigure.CaptionBandHeight(530));
    }

    [Fact]
    public void A_rasterizer_box_of_the_wrong_size_is_an_error()
    {
        RgbaImage image = Fixtures.Gradient(40, 20);
        Assert.Throws<InvalidOperationException>(() =>
            ComparisonFigure.Render(image, image.Pixels, 1600, (_, w, h) => new byte[w * h + 1], 4, Ct).Dispose());
    }
}
