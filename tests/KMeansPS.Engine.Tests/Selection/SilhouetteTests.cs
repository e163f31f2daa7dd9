using KMeansPS.Engine.Selection;
using Xunit;

namespace KMeansPS.Engine.Tests.Selection;

public class SilhouetteTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void TwoPairsOnALineScoreAsWorkedByHand()
    {
        // {0, 1} and {10, 11}: s(0) = (10.5 - 1) / 10.5, s(1) = (9.5 - 1) / 9.5, and the same mirrored.
        double[] data = [0, 1, 10, 11];
        double expected = (9.5 / 10.5 + 8.5 / 9.5) / 2;
        Assert.Equal(expected, Silhouette.Score(data, 1, [0, 0, 1, 1], 2, cancellationToken: Token), 14);
    }

    [Fact]
    public void APointAloneInItsClusterCountsZero()
    {
        // {0, 1} and {10}: s(0) = (10 - 1) / 10, s(1) = (9 - 1) / 9, s(10) = 0.
        double[] data = [0, 1, 10];
        Assert.Equal((0.9 + 8.0 / 9) / 3, Silhouette.Score(data, 1, [0, 0, 1], 2, cancellationToken: Token), 14);
    }

    [Fact]
    public void TwoDimensionalDistancesAreEuclidean()
    {
        // (0,0), (3,4) in one cluster, (30,40), (33,44) in the other: within-cluster distance 5 everywhere.
        double[] data = [0, 0, 3, 4, 30, 40, 33, 44];
        double s0 = (Math.Sqrt(30 * 30 + 40 * 40) + Math.Sqrt(33 * 33 + 44 * 44)) / 2;
        double s1 = (Math.Sqrt(27 * 27 + 36 * 36) + Math.Sqrt(30 * 30 + 40 * 40)) / 2;
        double expected = ((s0 - 5) / s0 + (s1 - 5) / s1) / 2;
        Assert.Equal(expected, Silhouette.Score(data, 2, [0, 0, 1, 1], 2, cancellationToken: Token), 14);
    }

    [Theory]
    [InlineData(520)]  // distances near 1e157: their squares overflowed to infinity (NaN scores)
    [InlineData(-600)] // distances near 1e-180: their squares vanished (every score 0)
    [InlineData(300)]
    [InlineData(-490)]
    public void TheScoreDoesNotChangeWhenTheDataIsScaledToTheEndsOfTheDoubleRange(int power)
    {
        var rng = new System.Random(5);
        double[] data = new double[3 * 150];
        int[] labels = new int[150];
        for (int i = 0; i < 150; i++)
        {
            labels[i] = i % 3;
            data[3 * i] = 10 * labels[i] + rng.NextDouble() * 4 - 1e3;
            data[3 * i + 1] = rng.NextDouble() * 3 + 5 * (labels[i] == 1 ? 1 : 0);
            data[3 * i + 2] = rng.NextDouble();
        }
        double plain = Silhouette.Score(data, 3, labels, 3, cancellationToken: Token);
        double scaled = Silhouette.Score(data.Select(v => Math.ScaleB(v, power)).ToArray(), 3, labels, 3, cancellationToken: Token);
        Assert.InRange(plain, 0.2, 0.9);
        Assert.Equal(plain, scaled, 12);
    }

    [Fact]
    public void OneOccupiedClusterHasNoScore()
    {
        Assert.True(double.IsNaN(Silhouette.Score([1.0, 2.0, 3.0], 1, [1, 1, 1], 3, cancellationToken: Token)));
    }

    [Fact]
    public void TheScoreDoesNotDependOnTheThreadCount()
    {
        const int n = 1000;
        var data = new double[n * 3];
        var labels = new int[n];
        var rng = new KMeansPS.Engine.Random.DeterministicRandom(5);
        for (int i = 0; i < n; i++)
        {
            labels[i] = i % 4;
            for (int d = 0; d < 3; d++) data[i * 3 + d] = labels[i] * 3 + rng.NextGaussian();
        }
        double one = Silhouette.Score(data, 3, labels, 4, maxDegreeOfParallelism: 1, cancellationToken: Token);
        double two = Silhouette.Score(data, 3, labels, 4, maxDegreeOfParallelism: 2, cancellationToken: Token);
        Assert.Equal(BitConverter.DoubleToInt64Bits(one), BitConverter.DoubleToInt64Bits(two));
        Assert.InRange(one, 0.3, 1.0);
    }

    [Fact]
    public void BadInputIsAnArgumentError()
    {
        Assert.Throws<ArgumentException>(() => Silhouette.Score([1.0, 2.0], 1, [0], 2, cancellationToken: Token));
        Assert.Throws<ArgumentException>(() => Silhouette.Score([1.0, 2.0], 1, [0, 2], 2, cancellationToken: Token));
        Assert.Throws<ArgumentException>(() => Silhouette.Score([1.0, double.NaN], 1, [0, 1], 2, cancellationToken: Token));
    }

    [Fact]
    public void TheSampleIsSeededDistinctAndAscending()
    {
        int[] a = Silhouette.Sample(100000, 500, 7);
        Assert.Equal(a, Silhouette.Sample(100000, 500, 7));
        Assert.NotEqual(a, Silhouette.Sample(100000, 500, 8));
        Assert.Equal(500, a.Length);
        for (int i = 1; i < a.Length; i++) Assert.True(a[i] > a[i - 1]);
        Assert.InRange(a[^1], 0, 99999);
        // Uniform: about half the picks fall in the lower half of the range.
        Assert.InRange(a.Count(i => i < 50000), 200, 300);
        Assert.Equal(Enumerable.Range(0, 10), Silhouette.Sample(10, 20, 1));
    }
}
