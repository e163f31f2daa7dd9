using Xunit;
using KMeansPS.Engine.Fitting;
using KMeansPS.Engine.Kernels;

namespace KMeansPS.Engine.Tests.Fitting;

/// <summary>Which solver Auto picks: Hamerly's bounds only where they were measured to pay off (perf/README).</summary>
public class AutoChoiceTests
{
    private static bool PaysOff(int dimensions, int k)
    {
        int n = 4 * k;
        var data = new float[n * dimensions];
        for (int i = 0; i < data.Length; i++) data[i] = (i * 7919) % 1000;
        PointSet points = PointSet.FromRows(data, dimensions, [], 1, TestContext.Current.CancellationToken);
        var ws = new FitWorkspace(points, k, KernelSet.Create(null), 1, TestContext.Current.CancellationToken);
        return HamerlySolver.PaysOff(ws);
    }

    [Theory]
    [InlineData(3, 48, true)]
    [InlineData(4, 256, true)]
    [InlineData(15, 256, true)]
    [InlineData(3, 47, false)]
    [InlineData(16, 256, false)]
    [InlineData(64, 64, false)]
    [InlineData(128, 256, false)]
    public void Bounds_are_used_from_K_48_and_below_16_dimensions(int dimensions, int k, bool expected) =>
        Assert.Equal(expected, PaysOff(dimensions, k));
}
