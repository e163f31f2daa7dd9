using Xunit;

namespace KMeansPS.Engine.Tests.Fitting;

public class PredictTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PredictOnTheFittedDataReproducesLabelsAndInertia(bool weighted)
    {
        const int n = 10007;
        float[] data = FitTestData.Colours(n, 12);
        float[] weights = weighted ? FitTestData.Weights(n, 13) : [];
        var fit = KMeans.Fit(data, 3, weights, new KMeansOptions { K = 20, Seed = 4 }, TestContext.Current.CancellationToken);
        foreach (InstructionSet isa in Kernels.KernelWidths.FitCaps())
        {
            var labels = new int[n];
            double inertia = KMeans.Predict(data, 3, fit.Centroids, labels, weights, maxDegreeOfParallelism: 2, maxInstructionSet: isa,
                cancellationToken: TestContext.Current.CancellationToken);
            Assert.Equal(fit.Labels, labels);
            Assert.Equal(BitConverter.DoubleToInt64Bits(fit.Inertia), BitConverter.DoubleToInt64Bits(inertia));
        }
    }

    [Fact]
    public void PredictByHand()
    {
        float[] palette = [0, 0, 0, 255, 255, 255];
        float[] pixels = [10, 10, 10, 250, 240, 245, 127, 127, 128, 127, 127, 127];
        var labels = new int[4];
        double inertia = KMeans.Predict(pixels, 3, palette, labels, cancellationToken: TestContext.Current.CancellationToken);
        // (127,127,128): 48642 to black, 48897 to white; (127,127,127): 48387 to black, 49152 to white.
        Assert.Equal([0, 1, 0, 0], labels);
        Assert.Equal(300.0 + 350 + 48642 + 48387, inertia);
    }

    [Fact]
    public void PredictValidates()
    {
        var labels = new int[2];
        Assert.ThrowsAny<ArgumentException>(() => KMeans.Predict([1, 2, 3, 4], 2, [1, 2, 3], labels, cancellationToken: TestContext.Current.CancellationToken));
        Assert.ThrowsAny<ArgumentException>(() => KMeans.Predict([1, 2, 3, 4], 2, [1, 2], new int[3], cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("Row 1", Assert.ThrowsAny<ArgumentException>(() => KMeans.Predict([1, 2, float.NaN, 4], 2, [1, 2], labels, cancellationToken: TestContext.Current.CancellationToken)).Message);
        Assert.ThrowsAny<ArgumentException>(() => KMeans.Predict([1, 2, 3, 4], 2, [1, float.NaN], labels, cancellationToken: TestContext.Current.CancellationToken));
    }
}
