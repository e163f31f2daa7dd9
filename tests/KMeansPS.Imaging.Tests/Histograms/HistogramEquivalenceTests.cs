using KMeansPS.Engine;
using KMeansPS.Imaging.Histograms;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Histograms;

/// <summary>Clustering the weighted histogram is the same fit as clustering every pixel.</summary>
public class HistogramEquivalenceTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(16)]
    public void Weighted_unique_colours_give_the_centres_and_labels_of_all_pixels(int k)
    {
        // Few distinct colours, many repeats: the weights matter.
        var random = new Random(k);
        var colors = new Rgba32[60];
        for (int i = 0; i < colors.Length; i++) colors[i] = new Rgba32((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), 255);
        var pixels = new Rgba32[5000];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = colors[(int)(Math.Pow(random.NextDouble(), 3) * colors.Length)];

        ColorHistogram histogram = ColorHistogram.Build(pixels, cancellationToken: TestContext.Current.CancellationToken);
        float[] all = Points(pixels);
        float[] unique = Points(histogram.Colors);
        float[] weights = histogram.Counts.Select(c => (float)c).ToArray();
        // The same starting centres for both fits (the first k distinct colours).
        float[] start = unique.AsSpan(0, k * 3).ToArray();
        var options = new KMeansOptions { K = k, Algorithm = KMeansAlgorithm.Lloyd, Init = KMeansInit.Given, InitialCentroids = start, Tolerance = 0, MaxIterations = 100 };

        KMeansResult byPixel = KMeans.Fit(all, 3, ReadOnlySpan<float>.Empty, options, TestContext.Current.CancellationToken);
        KMeansResult byColour = KMeans.Fit(unique, 3, weights, options, TestContext.Current.CancellationToken);

        Assert.Equal(byPixel.Iterations, byColour.Iterations);
        for (int i = 0; i < byPixel.Centroids.Length; i++)
            Assert.Equal(byPixel.Centroids[i], byColour.Centroids[i], 1e-3f);
        for (int p = 0; p < pixels.Length; p++)
            Assert.Equal(byPixel.Labels[p], byColour.Labels[histogram.PixelColorIndex![p]]);
        Assert.Equal(byPixel.Inertia, byColour.Inertia, byPixel.Inertia * 1e-6);
    }

    private static float[] Points(Rgba32[] pixels)
    {
        var data = new float[pixels.Length * 3];
        for (int i = 0; i < pixels.Length; i++) { data[3 * i] = pixels[i].R; data[3 * i + 1] = pixels[i].G; data[3 * i + 2] = pixels[i].B; }
        return data;
    }
}
