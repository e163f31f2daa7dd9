using KMeansPS.Clustering;
using KMeansPS.Input;
using Xunit;

namespace KMeansPS.Tests.Clustering;

public sealed class FeatureSpaceTests
{
    internal static PointTable Table(double[][] rows, double[]? weights = null)
    {
        int dims = rows[0].Length;
        var columns = Enumerable.Range(0, dims).Select(_ => new DoubleColumn()).ToArray();
        foreach (double[] row in rows)
            for (int j = 0; j < dims; j++) columns[j].Add(row[j]);
        DoubleColumn? w = null;
        if (weights is not null)
        {
            w = new DoubleColumn();
            foreach (double x in weights) w.Add(x);
        }
        return PointTable.FromColumns(Enumerable.Range(0, dims).Select(j => "C" + j).ToArray(), columns, w);
    }

    [Fact]
    public void UnixTimesKeepTheirFractionsInFloat32()
    {
        // 1.7e9 has 31 bits: as float32 it keeps no fraction at all. Centred, quarter seconds are exact.
        PointTable table = Table(Enumerable.Range(0, 10).Select(i => new[] { 1700000000.0 + i * 0.25 }).ToArray());
        FeatureSpace space = FeatureSpace.ForData(table, null, null);
        float[] rows = space.EngineRows(table, out List<int>? beyond);
        Assert.Null(beyond);
        Assert.Equal(10, rows.Distinct().Count());
        for (int i = 0; i < 10; i++) Assert.Equal(1700000000.0 + i * 0.25, space.WorkingFromEngine(rows[i], 0));
    }

    [Fact]
    public void TheScaleIsOnePowerOfTwoForAllColumnsAndPutsTheWidestWithinOne()
    {
        PointTable table = Table([[0.0, 1e-9], [1000.0, 2e-9]]);
        FeatureSpace space = FeatureSpace.ForData(table, null, null);
        Assert.Equal(500.0, space.Offset[0]);
        Assert.Equal(1.5e-9, space.Offset[1], 1e-24);
        Assert.Equal(9, space.Exponent); // 500 = 2^8.97: scaled to 0.98
        float[] rows = space.EngineRows(table, out _);
        Assert.InRange(Math.Abs(rows[0]), 0.5, 1.0);
        // Power-of-two scaling is exact: the engine value times 2^9 is the centred value again.
        Assert.Equal(-500.0, Math.ScaleB((double)rows[0], 9));
    }

    [Fact]
    public void ValuesNear1e300NeitherOverflowNorVanish()
    {
        PointTable table = Table([[-1e300], [1e300], [0.5e300]]);
        FeatureSpace space = FeatureSpace.ForData(table, null, null);
        float[] rows = space.EngineRows(table, out List<int>? beyond);
        Assert.Null(beyond);
        Assert.All(rows, v => Assert.True(float.IsFinite(v) && Math.Abs(v) is > 0.1f and <= 1));
        Assert.Equal(-rows[0], rows[1]);
        Assert.Equal(0.5, (double)rows[2] / rows[1], 6);
    }

    [Fact]
    public void CentresFarOutsideTheSpaceAreRefused()
    {
        FeatureSpace space = FeatureSpace.ForData(Table([[1.0], [3.0]]), null, null);
        Assert.NotNull(space.EngineCentroids([[2.0], [1e6]]));
        Assert.Null(space.EngineCentroids([[2.0], [1e39]]));
    }

    [Fact]
    public void WeightsAreScaledSoThatTheLargestIsBelowOne()
    {
        PointTable table = Table([[0.0], [1.0]], [1e39, 3e39]);
        float[] weights = FeatureSpace.EngineWeights(table);
        Assert.All(weights, w => Assert.True(float.IsFinite(w)));
        Assert.Equal(3.0, (double)weights[1] / weights[0], 6);
        FitInputException zero = Assert.Throws<FitInputException>(() => FeatureSpace.EngineWeights(Table([[0.0], [1.0]], [0, 0])));
        Assert.Equal("ZeroTotalWeight", zero.ErrorId);
    }

    [Fact]
    public void StandardizedWorkingValuesAreZScores()
    {
        PointTable table = Table([[1.0, 100.0], [3.0, 300.0]]);
        (double[] mean, double[] deviation) = ExactStatistics.Standardization(table);
        Assert.Equal([2.0, 200.0], mean);
        Assert.Equal([1.0, 100.0], deviation);
        FeatureSpace space = FeatureSpace.ForData(table, mean, deviation);
        Assert.Equal(-1.0, space.Working(1.0, 0));
        Assert.Equal(1.0, space.Working(300.0, 1));
        Assert.Equal(300.0, space.Original(1.0, 1));
    }
}
