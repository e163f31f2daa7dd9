using System.Xml.Linq;
using KMeansPS.Plotting;
using SkiaSharp;
using Xunit;

namespace KMeansPS.Plotting.Tests;

public sealed class PlotRenderingTests
{
    private static XDocument Svg(byte[] bytes) => XDocument.Parse(System.Text.Encoding.UTF8.GetString(bytes));

    private static ClusterPlotData ThreeBlobs()
    {
        var x = new List<double>();
        var y = new List<double>();
        var c = new List<int>();
        var rng = new System.Random(1);
        double[][] centres = [[0, 0], [10, 0], [5, 8]];
        for (int k = 0; k < 3; k++)
        {
            for (int i = 0; i < 100; i++)
            {
                x.Add(centres[k][0] + rng.NextDouble() * 2 - 1);
                y.Add(centres[k][1] + rng.NextDouble() * 2 - 1);
                c.Add(k);
            }
        }
        return new ClusterPlotData
        {
            X = x.ToArray(), Y = y.ToArray(), Cluster = c.ToArray(),
            CentroidX = [0, 10, 5], CentroidY = [0, 0, 8],
        };
    }

    private static CurvePlotData Curve() => new()
    {
        K = [4, 8, 16, 32, 64], Psnr = [21.5, 24.9, 27.4, 30.0, double.PositiveInfinity], KiloBytes = [24, 39, 56, 75, 94],
        SuggestedIndex = 3,
    };

    private static int CountColorNear(SKBitmap bitmap, string hex, int cx, int cy, int radius)
    {
        var target = SKColor.Parse(hex);
        int count = 0;
        for (int yy = Math.Max(0, cy - radius); yy < Math.Min(bitmap.Height, cy + radius); yy++)
            for (int xx = Math.Max(0, cx - radius); xx < Math.Min(bitmap.Width, cx + radius); xx++)
            {
                SKColor p = bitmap.GetPixel(xx, yy);
                if (Math.Abs(p.Red - target.Red) + Math.Abs(p.Green - target.Green) + Math.Abs(p.Blue - target.Blue) < 12) count++;
            }
        return count;
    }

    private static int DistinctColors(SKBitmap bitmap)
    {
        var seen = new HashSet<uint>();
        for (int yy = 0; yy < bitmap.Height; yy += 2)
            for (int xx = 0; xx < bitmap.Width; xx += 2)
                seen.Add((uint)bitmap.GetPixel(xx, yy));
        return seen.Count;
    }

    private static bool HasColorNear(SKBitmap bitmap, string hex)
    {
        var target = SKColor.Parse(hex);
        for (int yy = 0; yy < bitmap.Height; yy++)
            for (int xx = 0; xx < bitmap.Width; xx++)
            {
                SKColor p = bitmap.GetPixel(xx, yy);
                if (Math.Abs(p.Red - target.Red) + Math.Abs(p.Green - target.Green) + Math.Abs(p.Blue - target.Blue) < 12) return true;
            }
        return false;
    }

    [Fact]
    public void ClusterPlotPngHasTheAskedSizeAndEveryClusterColour()
    {
        byte[] png = ClusterPlotRenderer.Render(ThreeBlobs(), new PlotOptions { Width = 640, Height = 480, Title = "K-means, K = 3" });
        using SKBitmap bitmap = SKBitmap.Decode(png);
        Assert.Equal(640, bitmap.Width);
        Assert.Equal(480, bitmap.Height);
        Assert.True(DistinctColors(bitmap) > 20, "the plot looks blank");
        for (int rank = 0; rank < 3; rank++) Assert.True(HasColorNear(bitmap, ClusterPlotRenderer.ColorHex(rank)), $"cluster colour {rank} missing");
    }

    [Fact]
    public void EachClusterColourSurroundsItsCentroidAndNoOtherDoes()
    {
        ClusterPlotData data = ThreeBlobs();
        var options = new PlotOptions { Width = 640, Height = 480 };
        using ScottPlot.Plot plot = ClusterPlotRenderer.Build(data, options);
        using SKBitmap bitmap = SKBitmap.Decode(PlotEncoder.Encode(plot, options));
        for (int k = 0; k < 3; k++)
        {
            // The layout of the render just written maps data to pixels.
            ScottPlot.Pixel centre = plot.GetPixel(new ScottPlot.Coordinates(data.CentroidX![k], data.CentroidY![k]));
            for (int other = 0; other < 3; other++)
            {
                int count = CountColorNear(bitmap, ClusterPlotRenderer.ColorHex(other), (int)centre.X, (int)centre.Y, radius: 30);
                if (other == k) Assert.True(count > 50, $"cluster {k}: only {count} pixels of its colour around its centroid");
                else Assert.True(count == 0, $"cluster {other}'s colour appears {count} times around centroid {k}");
            }
        }
    }

    [Fact]
    public void TwentyClustersGetTwentyDistinctColoursAllDrawnAndTheLegendFits()
    {
        var x = new List<double>();
        var y = new List<double>();
        var c = new List<int>();
        for (int k = 0; k < 20; k++)
            for (int i = 0; i < 30; i++)
            {
                x.Add(k % 5 * 10 + i % 6);
                y.Add(k / 5 * 10 + i / 6);
                c.Add(k);
            }
        string[] colours = Enumerable.Range(0, 20).Select(ClusterPlotRenderer.ColorHex).ToArray();
        Assert.Equal(20, colours.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        var data = new ClusterPlotData { X = [.. x], Y = [.. y], Cluster = [.. c], CentroidX = [0], CentroidY = [0] };
        byte[] png = ClusterPlotRenderer.Render(data, new PlotOptions { Width = 800, Height = 600 });
        using SKBitmap bitmap = SKBitmap.Decode(png);
        Assert.Equal(800, bitmap.Width);
        foreach (string colour in colours) Assert.True(HasColorNear(bitmap, colour), $"colour {colour} missing");
        // 21 legend entries wrap into two columns at this height; the legend must still end inside the image.
        for (int yy = 0; yy < bitmap.Height; yy++)
            for (int xx = bitmap.Width - 4; xx < bitmap.Width; xx++)
                Assert.True(bitmap.GetPixel(xx, yy) == SKColors.White, $"something is cut off at the right edge ({xx}, {yy})");
    }

    [Fact]
    public void PastTwentyClustersTheLegendListsOnlyTheCentroids()
    {
        var x = new List<double>();
        var y = new List<double>();
        var c = new List<int>();
        for (int k = 0; k < 40; k++)
            for (int i = 0; i < 5; i++)
            {
                x.Add(k);
                y.Add(i);
                c.Add(k);
            }
        var data = new ClusterPlotData { X = [.. x], Y = [.. y], Cluster = [.. c], CentroidX = [1, 2], CentroidY = [1, 2] };
        XDocument svg = Svg(ClusterPlotRenderer.Render(data, new PlotOptions { Format = PlotFormat.Svg }));
        string[] texts = svg.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value.Trim()).ToArray();
        Assert.Contains("Centroids", texts);
        Assert.DoesNotContain(texts, t => t.StartsWith("Cluster", StringComparison.Ordinal));
    }

    [Fact]
    public void PlotsRenderedInParallelEqualOneRenderedAlone()
    {
        // The cmdlets may run in several runspaces at once (ForEach-Object -Parallel) and share ScottPlot's font state.
        var options = new PlotOptions { Width = 400, Height = 300, Title = "parallel" };
        byte[] alone = ClusterPlotRenderer.Render(ThreeBlobs(), options);
        var results = new byte[8][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            i => results[i] = i % 2 == 0 ? ClusterPlotRenderer.Render(ThreeBlobs(), options) : CurvePlotRenderer.Render(Curve(), options));
        for (int i = 0; i < results.Length; i += 2) Assert.Equal(alone, results[i]);
        for (int i = 3; i < results.Length; i += 2) Assert.Equal(results[1], results[i]);
    }

    [Fact]
    public void RenderGivesPngOfTheAskedSizeOrSvgWithoutAByteOrderMark()
    {
        byte[] png = ClusterPlotRenderer.Render(ThreeBlobs(), new PlotOptions { Width = 300, Height = 200 });
        using (SKBitmap bitmap = SKBitmap.Decode(png))
        {
            Assert.Equal(300, bitmap.Width);
            Assert.Equal(200, bitmap.Height);
        }
        byte[] svg = CurvePlotRenderer.Render(Curve(), new PlotOptions { Format = PlotFormat.Svg, Title = "bytes" });
        Assert.NotEqual(0xEF, svg[0]); // no byte-order mark
        Assert.Contains("bytes", Svg(svg).ToString());
    }

    [Fact]
    public void SvgTextFallsBackToAGenericSansSerifFont()
    {
        byte[] svg = ClusterPlotRenderer.Render(ThreeBlobs(), new PlotOptions { Format = PlotFormat.Svg, Title = "fonts" });
        XAttribute[] fonts = Svg(svg).Descendants().Attributes("font-family").ToArray();
        Assert.NotEmpty(fonts);
        Assert.All(fonts, f => Assert.EndsWith(", sans-serif", f.Value));
    }

    [Fact]
    public void The_same_svg_plot_drawn_again_in_the_same_process_is_the_same_bytes_and_its_clip_paths_resolve()
    {
        var options = new PlotOptions { Format = PlotFormat.Svg, Title = "twice" };
        byte[] first = ClusterPlotRenderer.Render(ThreeBlobs(), options);
        byte[] second = ClusterPlotRenderer.Render(ThreeBlobs(), options);
        Assert.Equal(first, second); // the canvas's own clip path names count up within a process
        Assert.Equal(CurvePlotRenderer.Render(Curve(), options), CurvePlotRenderer.Render(Curve(), options));

        XDocument svg = Svg(second);
        string[] ids = svg.Descendants().Where(e => e.Name.LocalName == "clipPath").Select(e => (string)e.Attribute("id")!).ToArray();
        Assert.NotEmpty(ids);
        Assert.Equal(ids.Length, ids.Distinct().Count());
        string[] used = svg.Descendants().Attributes().SelectMany(a => System.Text.RegularExpressions.Regex.Matches(a.Value, @"url\(#([^)]+)\)"))
            .Select(m => m.Groups[1].Value).ToArray();
        Assert.NotEmpty(used);
        Assert.All(used, name => Assert.Contains(name, ids));
    }

    [Fact]
    public void ALosslessPointIsLabelledAndTheAxesNameTheirUnits()
    {
        XDocument svg = Svg(CurvePlotRenderer.Render(Curve(), new PlotOptions { Format = PlotFormat.Svg }));
        string[] texts = svg.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value.Trim()).ToArray();
        Assert.Contains("lossless", texts);
        Assert.Contains("Output size (KB)", texts);
        Assert.Contains("K (colours)", texts);
        // The bottom axis is ticked at exactly the K values measured.
        foreach (string k in new[] { "4", "8", "16", "32", "64" }) Assert.Contains(k, texts);
        Assert.DoesNotContain("2", texts);
    }

    [Theory]
    [InlineData(100_000, 0.001)]      // metres on a map grid, a millimetre apart
    [InlineData(1.7e12, 1)]           // Unix times in milliseconds
    [InlineData(-3e7, 0.0002)]
    [InlineData(0, 1)]                // the ordinary case keeps ScottPlot's own labels
    public void TickLabelsTellTheTicksApartAndReadAsTheirPositions(double offset, double step)
    {
        var rng = new System.Random(3);
        double[] x = Enumerable.Range(0, 60).Select(i => offset + i * step).ToArray();
        double[] y = Enumerable.Range(0, 60).Select(i => offset * 3 + (i % 7) * step * 2 + rng.NextDouble() * step).ToArray();
        var data = new ClusterPlotData { X = x, Y = y, Cluster = new int[60] };
        using ScottPlot.Plot plot = ClusterPlotRenderer.Build(data, new PlotOptions());
        plot.RenderInMemory(640, 480);
        foreach (ScottPlot.IAxis axis in new ScottPlot.IAxis[] { plot.Axes.Bottom, plot.Axes.Left })
        {
            ScottPlot.Tick[] major = axis.TickGenerator.Ticks.Where(t => t.IsMajor).OrderBy(t => t.Position).ToArray();
            Assert.True(major.Length >= 2, $"{major.Length} major ticks");
            Assert.Equal(major.Length, major.Select(t => t.Label).Distinct().Count());
            double gap = major.Zip(major.Skip(1), (a, b) => b.Position - a.Position).Min();
            foreach (ScottPlot.Tick tick in major)
            {
                double read = double.Parse(tick.Label.Replace("\u2212", "-"), System.Globalization.NumberStyles.Float | System.Globalization.NumberStyles.AllowThousands,
                    System.Globalization.CultureInfo.CurrentCulture);
                Assert.True(Math.Abs(read - tick.Position) < gap / 2, $"label '{tick.Label}' at {tick.Position:R} (ticks {gap:R} apart)");
            }
        }
    }

    [Fact]
    public void CurveTickLabelsTellTheTicksApart()
    {
        // Measure-KMeans draws inertia on the right axis: large values close together on a flat stretch.
        var data = new CurvePlotData
        {
            K = [2, 3, 4, 5], Psnr = [0.61, 0.6102, 0.6104, 0.6101], KiloBytes = [1.7e12 + 0.4, 1.7e12 + 0.3, 1.7e12 + 0.25, 1.7e12 + 0.2],
            XLabel = "K (clusters)", LeftLabel = "Silhouette", RightLabel = "Inertia",
        };
        using ScottPlot.Plot plot = CurvePlotRenderer.Build(data, new PlotOptions());
        plot.RenderInMemory(900, 540);
        foreach (ScottPlot.IAxis axis in new ScottPlot.IAxis[] { plot.Axes.Left, plot.Axes.Right })
        {
            string[] labels = axis.TickGenerator.Ticks.Where(t => t.IsMajor).Select(t => t.Label).ToArray();
            Assert.True(labels.Length >= 2);
            Assert.Equal(labels.Length, labels.Distinct().Count());
        }
    }

    [Fact]
    public void ClusterPlotSvgIsWellFormedWithTitleLegendAndCentroids()
    {
        XDocument svg = Svg(ClusterPlotRenderer.Render(ThreeBlobs(), new PlotOptions { Title = "Blog clusters", Format = PlotFormat.Svg }));
        Assert.Equal("svg", svg.Root!.Name.LocalName);
        string text = svg.ToString();
        Assert.Contains("Blog clusters", text);
        Assert.Contains("Cluster 2", text);
        Assert.Contains("Centroids", text);
    }

    [Fact]
    public void TextIsDrawnWithARealFont()
    {
        // With text the title band holds dark anti-aliased pixels; without a font it stays white.
        using SKBitmap a = SKBitmap.Decode(ClusterPlotRenderer.Render(ThreeBlobs(), new PlotOptions { Title = "A title with several words" }));
        using SKBitmap b = SKBitmap.Decode(ClusterPlotRenderer.Render(ThreeBlobs(), new PlotOptions { Title = null }));
        int differing = 0;
        for (int yy = 0; yy < 40; yy++)
            for (int xx = 0; xx < a.Width; xx++)
                if (a.GetPixel(xx, yy) != b.GetPixel(xx, yy)) differing++;
        Assert.True(differing > 100, $"the title drew only {differing} pixels");
    }

    [Fact]
    public void CurvePlotRendersBothFormats()
    {
        CurvePlotData data = Curve();
        using SKBitmap bitmap = SKBitmap.Decode(CurvePlotRenderer.Render(data, new PlotOptions { Width = 500, Height = 300, Title = "china.jpg" }));
        Assert.Equal(500, bitmap.Width);
        Assert.Equal(300, bitmap.Height);
        Assert.True(DistinctColors(bitmap) > 10);
        string text = Svg(CurvePlotRenderer.Render(data, new PlotOptions { Title = "china.jpg", Format = PlotFormat.Svg })).ToString();
        Assert.Contains("Suggested K = 32", text);
        Assert.Contains("PSNR (dB)", text);
    }

    [Fact]
    public void BadInputIsRejected()
    {
        Assert.Throws<ArgumentException>(() => ClusterPlotRenderer.Render(new ClusterPlotData { X = [], Y = [], Cluster = [] }, new PlotOptions()));
        Assert.Throws<ArgumentException>(() => ClusterPlotRenderer.Render(new ClusterPlotData { X = [1, 2], Y = [1], Cluster = [0, 0] }, new PlotOptions()));
        Assert.Throws<ArgumentException>(() => ClusterPlotRenderer.Render(new ClusterPlotData { X = [double.NaN], Y = [1], Cluster = [0] }, new PlotOptions()));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClusterPlotRenderer.Render(ThreeBlobs(), new PlotOptions { Width = 10 }));
        Assert.Throws<ArgumentException>(() => CurvePlotRenderer.Render(new CurvePlotData { K = [8, 4], Psnr = [1, 2], KiloBytes = [1, 2] }, new PlotOptions()));
        Assert.Throws<ArgumentException>(() => CurvePlotRenderer.Render(new CurvePlotData { K = [4, 8], Psnr = [double.NaN, 30], KiloBytes = [1, 2] }, new PlotOptions()));
    }

    [Fact]
    public void ValuesOrSpreadsBelowDoublesNormalRangeAreRefusedNotDrawnBlank()
    {
        ClusterPlotData Scaled(double scale, double shift = 0) => new()
        {
            X = [shift + 1 * scale, shift + 2 * scale, shift + 3 * scale], Y = [1 * scale, 3 * scale, 2 * scale], Cluster = [0, 0, 1],
        };
        // Tiny but normal: drawn. Subnormal values, or a subnormal spread around a normal middle: refused, saying why.
        Assert.NotEmpty(ClusterPlotRenderer.Render(Scaled(1e-305), new PlotOptions()));
        var subnormal = Assert.Throws<ArgumentException>(() => ClusterPlotRenderer.Render(Scaled(1e-310), new PlotOptions()));
        Assert.Contains("below 2.2e-308", subnormal.Message, StringComparison.Ordinal);
        var spread = Assert.Throws<ArgumentException>(() => ClusterPlotRenderer.Render(Scaled(1e-310, shift: 1e-300), new PlotOptions()));
        Assert.Contains("spreads over", spread.Message, StringComparison.Ordinal);
        ClusterPlotData blobs = ThreeBlobs();
        var centroid = Assert.Throws<ArgumentException>(() => ClusterPlotRenderer.Render(
            new ClusterPlotData { X = blobs.X, Y = blobs.Y, Cluster = blobs.Cluster, CentroidX = [5e-324], CentroidY = [1] }, new PlotOptions()));
        Assert.Contains("X holds", centroid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FormatFollowsTheExtension()
    {
        Assert.Equal(PlotFormat.Svg, PlotOptions.FormatFor("a/b/plot.SVG"));
        Assert.Equal(PlotFormat.Png, PlotOptions.FormatFor("plot.png"));
    }
}

public class PlotFontTests
{
    [Fact]
    public void TextUsesTheFontShippedWithTheLibrary()
    {
        // No dependence on system fonts: a fresh machine draws the same text.
        Assert.True(PlotFonts.UsesShippedFont);
    }
}
