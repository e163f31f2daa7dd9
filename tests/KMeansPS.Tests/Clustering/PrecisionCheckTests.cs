using KMeansPS.Clustering;
using KMeansPS.Input;
using Xunit;

namespace KMeansPS.Tests.Clustering;

public sealed class PrecisionCheckTests
{
    private static double[][] ThreeGroups() =>
        Enumerable.Range(0, 60).Select(i => new[] { (i % 3) * 20.0 + i * 0.1, (i % 3) * 5.0 }).ToArray();

    private static string? Describe(double[][] rows)
    {
        PointTable table = FeatureSpaceTests.Table(rows);
        return PrecisionCheck.Describe(table, FeatureSpace.ForData(table, null, null));
    }

    [Fact]
    public void OrdinaryDataKeepsItsValuesApart() => Assert.Null(Describe(ThreeGroups()));

    [Fact]
    public void UnixTimesWithFractionsKeepTheirValuesApart() =>
        Assert.Null(Describe(Enumerable.Range(0, 5000).Select(i => new[] { 1700000000.0 + i * 0.25 }).ToArray()));

    [Theory]
    [InlineData(1e300)]
    [InlineData(1e39)]
    [InlineData(-1e20)]
    public void AFarOutlierIsNamedWithTheColumnItSqueezes(double outlier)
    {
        double[][] rows = [.. ThreeGroups(), [outlier, 1.0]];
        string? warning = Describe(rows);
        Assert.NotNull(warning);
        Assert.Contains("'C0'", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("'C1'", warning, StringComparison.Ordinal);
        Assert.Contains("float32", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void AColumnOfTinySpreadBesideAHugeOneKeepsItsValues()
    {
        // Each column is centred on its own range, so float32's exponent keeps the small one's digits.
        double[][] rows = Enumerable.Range(0, 200).Select(i => new[] { i * 1e-3, (i % 2) * 1e9 }).ToArray();
        Assert.Null(Describe(rows));
    }
}
