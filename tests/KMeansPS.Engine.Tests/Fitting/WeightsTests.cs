using Xunit;

namespace KMeansPS.Engine.Tests.Fitting;

public class WeightsTests
{
    [Theory]
    [InlineData(KMeansAlgorithm.Lloyd)]
    [InlineData(KMeansAlgorithm.Hamerly)]
    public void IntegerWeightEqualsRepeatingThePoint(KMeansAlgorithm algorithm)
    {
        // Same start (given centres): a point of weight w must act as w copies. Sums differ in rounding
        // order only, so the labels agree and the centres agree to float precision.
        const int n = 3000;
        float[] data = FitTestData.Colours(n, 21);
        float[] weights = FitTestData.Weights(n, 22);
        var repeated = new List<float>();
        var owner = new List<int>();
        for (int i = 0; i < n; i++)
            for (int r = 0; r < (int)weights[i]; r++)
            {
                repeated.AddRange(data.AsSpan(i * 3, 3).ToArray());
                owner.Add(i);
            }
        float[] start = data.AsSpan(0, 8 * 3).ToArray();
        for (int c = 0; c < 8; c++) start[c * 3] += c * 0.25f; // make the eight starting rows distinct
        var options = new KMeansOptions { K = 8, Init = KMeansInit.Given, InitialCentroids = start, Algorithm = algorithm, Tolerance = 0 };
        var weighted = KMeans.Fit(data, 3, weights, options, TestContext.Current.CancellationToken);
        var copies = KMeans.Fit(repeated.ToArray(), 3, [], options, TestContext.Current.CancellationToken);
        Assert.Equal(copies.Iterations, weighted.Iterations);
        for (int j = 0; j < owner.Count; j++) Assert.Equal(weighted.Labels[owner[j]], copies.Labels[j]);
        for (int c = 0; c < weighted.Centroids.Length; c++) Assert.Equal(copies.Centroids[c], weighted.Centroids[c], 3);
        Assert.Equal(copies.Inertia, weighted.Inertia, copies.Inertia * 1e-9);
    }

    [Fact]
    public void UnitWeightsEqualNoWeightsBitForBit()
    {
        float[] data = FitTestData.Blobs(10000, 4, 5, 3);
        var none = KMeans.Fit(data, 4, [], new KMeansOptions { K = 5, Seed = 1 }, TestContext.Current.CancellationToken);
        var ones = KMeans.Fit(data, 4, Enumerable.Repeat(1f, 10000).ToArray(), new KMeansOptions { K = 5, Seed = 1 }, TestContext.Current.CancellationToken);
        FitAssert.Identical(none, ones, "unit weights vs none");
    }
}
