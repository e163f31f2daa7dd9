using System.Xml.Linq;
using KMeansPS.Plotting;
using SkiaSharp;
using Xunit;

namespace KMeansPS.Plotting.Tests;

public sealed class PlotRenderingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kmeansps-plot-").FullName;

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("KMEANSPS_KEEP_PLOTS") is null) Directory.Delete(_dir, recursive: true);
    }

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
        string path = Path.Combine(_dir, "clusters.png");
        ClusterPlotRenderer.Write(path, ThreeBlobs(), new PlotOptions { Width = 640, Height = 480, Title = "K-means, K = 3" });
        using SKBitmap bitmap = SKBitmap.Decode(path);
        Assert.Equal(640, bitmap.Width);
        Assert.Equal(480, bitmap.Height);
        Assert.True(DistinctColors(bitmap) > 20, "the plot looks blank");
        for (int rank = 0; rank < 3; rank++) Assert.True(HasColorNear(bitmap, ClusterPlotRenderer.ColorHex(rank)), $"cluster colour {rank} missing");
    }

    [Fact]
    public void ClusterPlotSvgIsWellFormedWithTitleLegendAndCentroids()
    {
        string path = Path.Combine(_dir, "clusters.svg");
        ClusterPlotRenderer.Write(path, ThreeBlobs(), new PlotOptions { Title = "Blog clusters", Format = PlotFormat.Svg });
        XDocument svg = XDocument.Parse(File.ReadAllText(path));
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
        string with = Path.Combine(_dir, "with.png");
        string without = Path.Combine(_dir, "without.png");
        ClusterPlotRenderer.Write(with, ThreeBlobs(), new PlotOptions { Title = "A title with several words" });
        ClusterPlotRenderer.Write(without, ThreeBlobs(), new PlotOptions { Title = null });
        using SKBitmap a = SKBitmap.Decode(with);
        using SKBitmap b = SKBitmap.Decode(without);
        int differing = 0;
        for (int yy = 0; yy < 40; yy++)
            for (int xx = 0; xx < a.Width; xx++)
                if (a.GetPixel(xx, yy) != b.GetPixel(xx, yy)) differing++;
        Assert.True(differing > 100, $"the title drew only {differing} pixels");
    }

    [Fact]
    public void CurvePlotRendersBothFormats()
    {
        var data = new CurvePlotData
        {
            K = [4, 8, 16, 32, 64], Psnr = [21.5, 24.9, 27.4, 30.0, double.PositiveInfinity], KiloBytes = [24, 39, 56, 75, 94],
            SuggestedIndex = 3,
        };
        string png = Path.Combine(_dir, "curve.png");
        string svgPath = Path.Combine(_dir, "curve.svg");
        CurvePlotRenderer.Write(png, data, new PlotOptions { Width = 500, Height = 300, Title = "china.jpg" });
        CurvePlotRenderer.Write(svgPath, data, new PlotOptions { Title = "china.jpg", Format = PlotFormat.Svg });
        using SKBitmap bitmap = SKBitmap.Decode(png);
        Assert.Equal(500, bitmap.Width);
        Assert.Equal(300, bitmap.Height);
        Assert.True(DistinctColors(bitmap) > 10);
        string text = XDocument.Parse(File.ReadAllText(svgPath)).ToString();
        Assert.Contains("Suggested K = 32", text);
        Assert.Contains("PSNR (dB)", text);
    }

    [Fact]
    public void BadInputIsRejected()
    {
        string path = Path.Combine(_dir, "bad.png");
        Assert.Throws<ArgumentException>(() => ClusterPlotRenderer.Write(path, new ClusterPlotData { X = [], Y = [], Cluster = [] }, new PlotOptions()));
        Assert.Throws<ArgumentException>(() => ClusterPlotRenderer.Write(path, new ClusterPlotData { X = [1, 2], Y = [1], Cluster = [0, 0] }, new PlotOptions()));
        Assert.Throws<ArgumentException>(() => ClusterPlotRenderer.Write(path, new ClusterPlotData { X = [double.NaN], Y = [1], Cluster = [0] }, new PlotOptions()));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClusterPlotRenderer.Write(path, ThreeBlobs(), new PlotOptions { Width = 10 }));
        Assert.Throws<ArgumentException>(() => CurvePlotRenderer.Write(path, new CurvePlotData { K = [8, 4], Psnr = [1, 2], KiloBytes = [1, 2] }, new PlotOptions()));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void AMissingFolderFailsAndLeavesNoFile()
    {
        string path = Path.Combine(_dir, "missing", "plot.png");
        Assert.ThrowsAny<IOException>(() => ClusterPlotRenderer.Write(path, ThreeBlobs(), new PlotOptions()));
        Assert.False(Directory.Exists(Path.Combine(_dir, "missing")));
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
