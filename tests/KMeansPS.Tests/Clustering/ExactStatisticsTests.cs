using KMeansPS.Clustering;
using KMeansPS.Input;
using Xunit;

namespace KMeansPS.Tests.Clustering;

public sealed class ExactStatisticsTests
{
    [Fact]
    public void MeansAreExactInDoublePrecision()
    {
        PointTable table = FeatureSpaceTests.Table([[1700000000.0], [1700000001.0], [1700000105.0], [1700000109.0]]);
        FeatureSpace space = FeatureSpace.ForData(table, null, null);
        double[][] means = ExactStatistics.Means(table, [0, 0, 1, 1], 2, space, [[0.0], [0.0]]);
        Assert.Equal(1700000000.5, means[0][0]);
        Assert.Equal(1700000107.0, means[1][0]);
    }

    [Fact]
    public void ASmallClusterKeepsItsDigitsBesideAHugeOne()
    {
        // Relative to the middle of the range (5.5e38), 1 and 2 would both round to the same double.
        PointTable table = FeatureSpaceTests.Table([[1.0], [2.0], [1e39], [1.1e39]]);
        FeatureSpace space = FeatureSpace.ForData(table, null, null);
        double[][] means = ExactStatistics.Means(table, [0, 0, 1, 1], 2, space, [[0.0], [0.0]]);
        Assert.Equal(1.5, means[0][0]);
        Assert.Equal(1.05e39, means[1][0]);
    }

    [Fact]
    public void WeightedMeansAndInertia()
    {
        PointTable table = FeatureSpaceTests.Table([[0.0], [1.0]], [1e39, 3e39]);
        FeatureSpace space = FeatureSpace.ForData(table, null, null);
        double[][] means = ExactStatistics.Means(table, [0, 0], 1, space, [[0.0]]);
        Assert.Equal(0.75, means[0][0]);
        Assert.Equal(0.75e39, ExactStatistics.Inertia(table, [0, 0], means, space), 1e24);
    }

    [Fact]
    public void AClusterWithoutWeightKeepsTheFallbackCentre()
    {
        PointTable table = FeatureSpaceTests.Table([[0.0], [5.0]], [1, 0]);
        FeatureSpace space = FeatureSpace.ForData(table, null, null);
        double[][] means = ExactStatistics.Means(table, [0, 1], 2, space, [[9.0], [4.5]]);
        Assert.Equal(0.0, means[0][0]);
        Assert.Equal(4.5, means[1][0]);
    }

    [Fact]
    public void InertiaNear1e38IsFinite()
    {
        PointTable table = FeatureSpaceTests.Table([[1e38], [2e38], [3e38]]);
        FeatureSpace space = FeatureSpace.ForData(table, null, null);
        double[][] means = ExactStatistics.Means(table, [0, 0, 0], 1, space, [[0.0]]);
        Assert.Equal(2e38, means[0][0]);
        Assert.Equal(2e76, ExactStatistics.Inertia(table, [0, 0, 0], means, space), 1e62);
    }

    [Fact]
    public void NearestTiesGoToTheLowestIndex()
    {
        Assert.Equal(0, ExactStatistics.Nearest([1.0], [[0.0], [2.0]]));
        Assert.Equal(1, ExactStatistics.Nearest([1.9], [[0.0], [2.0]]));
    }

    [Fact]
    public void AColumnThatDiffersOnlyByRoundingCountsAsConstantButARealSpreadAtALargeOffsetDoesNot()
    {
        // Column 0: 0.3 and 0.1 + 0.2 (one unit in the last place apart); column 1: a spread of about 2.6 around 1e15,
        // which scikit-learn's bound (growing with the rows) takes for rounding; column 2: an ordinary spread.
        var rng = new Random(3);
        double[][] rows = Enumerable.Range(0, 300).Select(i => new[]
        {
            i % 2 == 0 ? 0.3 : 0.1 + 0.2,
            1e15 + Math.Round(rng.NextDouble() * 9),
            rng.NextDouble(),
        }).ToArray();
        Assert.NotEqual(rows[0][0], rows[1][0]);
        (double[] mean, double[] deviation) = ExactStatistics.Standardization(FeatureSpaceTests.Table(rows, null));
        Assert.Equal(1.0, deviation[0]);
        Assert.InRange(deviation[1], 2.0, 3.5);
        Assert.InRange(deviation[2], 0.2, 0.4);
        Assert.Equal(0.3, mean[0], 15);
    }

    [Theory]
    [InlineData(1e160, 0.005)]
    [InlineData(1e250, 1e-40)]
    [InlineData(1e-100, 1e150)]
    public void A_column_far_narrower_than_another_keeps_its_own_deviation(double wide, double narrow)
    {
        // The squares of each column on its own scale: on the widest column's, the narrow one's underflowed to 0.
        double[][] rows = Enumerable.Range(0, 400).Select(i => new[] { (i % 2 == 0 ? 1 : -1) * wide * (1 + i % 5), narrow * (i % 7) }).ToArray();
        (double[] mean, double[] deviation) = ExactStatistics.Standardization(FeatureSpaceTests.Table(rows, null));
        for (int j = 0; j < 2; j++)
        {
            double m = rows.Average(r => r[j]);
            double sd = Math.Sqrt(rows.Average(r => (r[j] - m) * (r[j] - m)));
            Assert.True(Math.Abs(deviation[j] - sd) <= 1e-12 * sd, $"column {j}: {deviation[j]:R} against {sd:R}");
            Assert.True(Math.Abs(mean[j] - m) <= 1e-12 * sd, $"column {j} mean: {mean[j]:R} against {m:R}");
        }
    }

    [Fact]
    public void ResultsDoNotDependOnTheThreadCount()
    {
        // Five blocks of rows, the last one ragged; weights and standardization included.
        const int n = 70000;
        var rng = new Random(7);
        double[][] rows = Enumerable.Range(0, n).Select(i => new[] { 1e9 + rng.NextDouble() * 1e3, rng.NextDouble() }).ToArray();
        double[] weights = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 5).ToArray();
        PointTable table = FeatureSpaceTests.Table(rows, weights);
        int[] labels = Enumerable.Range(0, n).Select(i => i % 3).ToArray();
        (double[] Mean, double[] Deviation, double[][] Means, double Inertia) Run(int threads)
        {
            (double[] mean, double[] deviation) = ExactStatistics.Standardization(table, threads);
            FeatureSpace space = FeatureSpace.ForData(table, mean, deviation, threads);
            double[][] means = ExactStatistics.Means(table, labels, 3, space, new double[3][], threads);
            return (mean, deviation, means, ExactStatistics.Inertia(table, labels, ExactStatistics.ToWorking(means, space), space, threads));
        }
        var one = Run(1);
        var two = Run(2);
        Assert.Equal(one.Mean, two.Mean);
        Assert.Equal(one.Deviation, two.Deviation);
        for (int c = 0; c < 3; c++) Assert.Equal(one.Means[c], two.Means[c]);
        Assert.Equal(BitConverter.DoubleToInt64Bits(one.Inertia), BitConverter.DoubleToInt64Bits(two.Inertia));
    }
}
