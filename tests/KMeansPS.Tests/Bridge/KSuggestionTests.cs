using KMeansPS.Bridge;
using KMeansPS.Output;
using Xunit;

namespace KMeansPS.Tests.Bridge;

/// <summary>
/// Measure-ImageKMeans's suggestion: its Reason says "elbow" only where the printed error curve has one, judged here
/// from the rows alone (a point below the chord between the first and last K, both axes scaled to 0..1).
/// </summary>
public sealed class KSuggestionTests
{
    private static readonly int[] Ks = [2, 3, 4, 6, 8, 16, 32];

    private static ImageKMeasurement Row(int k, double mse) => new()
    {
        Path = "x.png", K = k, ColorsUsed = k, Psnr = mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255 / mse),
        Ssim = 1, Mse = mse, Inertia = mse * 3 * 100, CompressedBytes = 100, OriginalBytes = 1000, Iterations = 1,
        Converged = true, Elapsed = TimeSpan.Zero, Seed = 1,
    };

    /// <summary>Seeded error curves of each shape: flat, straight, concave (falling faster with K) and convex.</summary>
    public static TheoryData<string, int> Curves()
    {
        var data = new TheoryData<string, int>();
        foreach (string shape in new[] { "flat", "straight", "concave", "convex" })
        {
            for (int seed = 1; seed <= 6; seed++) data.Add(shape, seed);
        }
        return data;
    }

    private static double[] Curve(string shape, int seed)
    {
        var random = new System.Random(seed);
        double top = 50 + 500 * random.NextDouble(), k0 = Ks[0], k1 = Ks[^1];
        return Ks.Select(k =>
        {
            double t = (k - k0) / (k1 - k0);
            return shape switch
            {
                "flat" => seed % 2 == 0 ? 0 : top,
                "straight" => top * (1 - t) + 1,
                "concave" => top * (1 - t * t) + 1,
                _ => top / (1 + 9 * t) + 1,
            };
        }).ToArray();
    }

    // The largest distance of a point below the chord through the curve's ends, on axes scaled to 0..1.
    private static double MostBelowChord(double[] mse)
    {
        double lo = mse.Min(), hi = mse.Max();
        if (hi == lo) return 0;
        double best = 0;
        for (int i = 0; i < Ks.Length; i++)
        {
            double x = (double)(Ks[i] - Ks[0]) / (Ks[^1] - Ks[0]);
            double chord = ((mse[0] - lo) + x * (mse[^1] - mse[0])) / (hi - lo);
            best = Math.Max(best, chord - (mse[i] - lo) / (hi - lo));
        }
        return best;
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void ReasonSaysElbowOnlyWhereTheCurveBends(string shape, int seed)
    {
        double[] mse = Curve(shape, seed);
        var rows = Ks.Select((k, i) => Row(k, mse[i])).ToList();
        KSuggestion.Mark(rows, minPsnr: null);
        ImageKMeasurement suggested = Assert.Single(rows, r => r.Suggested);
        bool bends = MostBelowChord(mse) > 1e-9;
        Assert.Equal(bends, suggested.Reason == "elbow");
        if (!bends) Assert.Equal(Ks[0], suggested.K); // no elbow: the smallest K, as Measure-KMeans suggests
        Assert.NotNull(suggested.Reason);
    }

    [Theory]
    [InlineData(8, 64)]
    [InlineData(4, 5)]
    public void TwoKHaveNoElbowAndTheSmallestIsSuggested(int small, int large)
    {
        var rows = new List<ImageKMeasurement> { Row(small, 40), Row(large, 10) };
        KSuggestion.Mark(rows, minPsnr: null);
        ImageKMeasurement suggested = Assert.Single(rows, r => r.Suggested);
        Assert.Equal(small, suggested.K);
        Assert.NotEqual("elbow", suggested.Reason);
    }
}
