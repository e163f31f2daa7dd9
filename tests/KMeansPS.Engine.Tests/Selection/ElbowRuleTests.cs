using KMeansPS.Engine.Selection;
using Xunit;

namespace KMeansPS.Engine.Tests.Selection;

public class ElbowRuleTests
{
    [Fact]
    public void FindsTheCornerOfTwoStraightSegments()
    {
        // Steep fall to K = 16, then almost flat: the corner is the elbow.
        double[] k = [2, 4, 8, 16, 32, 64, 128];
        double[] d = [1000, 800, 400, 100, 95, 90, 85];
        Assert.Equal(3, ElbowRule.FindElbow(k, d));
    }

    [Fact]
    public void FindsTheBendOfOneOverK()
    {
        // y = 1/K on K = 1..20. Scaled, the distance below the chord is proportional to 21 - K - 20/K:
        // 12 at both K = 4 and K = 5 (the maximum, at sqrt(20)), and the tie goes to the smaller K.
        double[] k = Enumerable.Range(1, 20).Select(i => (double)i).ToArray();
        double[] d = k.Select(x => 1.0 / x).ToArray();
        int elbow = ElbowRule.FindElbow(k, d);
        Assert.Equal(4.0, k[elbow]);
    }

    [Fact]
    public void AStraightLineHasNoBendAndTiesGoToTheSmallestK()
    {
        double[] k = [1, 2, 3, 4];
        double[] d = [4, 3, 2, 1];
        Assert.Equal(0, ElbowRule.FindElbow(k, d));
    }

    [Fact]
    public void FlatCurvePicksTheSmallestK()
    {
        Assert.Equal(0, ElbowRule.FindElbow([2, 4, 8], [5, 5, 5]));
    }

    [Fact]
    public void TooFewPointsPickTheLargestK()
    {
        Assert.Equal(1, ElbowRule.FindElbow([2, 4], [10, 1]));
        Assert.Equal(0, ElbowRule.FindElbow([8], [3]));
    }

    [Fact]
    public void A_bend_is_found_only_where_the_curve_sags_below_its_chord()
    {
        double[] k = [2, 4, 8, 16, 32, 64, 128];
        double[] convex = [1000, 800, 400, 100, 95, 90, 85];
        Assert.Equal(ElbowRule.FindElbow(k, convex), ElbowRule.FindBend(k, convex));
        // Straight, concave (each larger K buys more than the last), flat, and two points: no bend at all.
        Assert.Equal(-1, ElbowRule.FindBend([1, 2, 3, 4], [4, 3, 2, 1]));
        Assert.Equal(-1, ElbowRule.FindBend([2, 3, 4], [10, 9.5, 7]));
        Assert.Equal(-1, ElbowRule.FindBend([2, 4, 8], [5, 5, 5]));
        Assert.Equal(-1, ElbowRule.FindBend([2, 4], [10, 1]));
        Assert.Equal(-1, ElbowRule.FindBend([8], [3]));
        // Straight up to rounding: the last digits of a sum do not make a bend.
        Assert.Equal(-1, ElbowRule.FindBend([2, 3, 4], [3, 2.0000000000000004, 1]));
    }

    [Fact]
    public void RejectsBadCurves()
    {
        Assert.Throws<ArgumentException>(() => ElbowRule.FindElbow([], []));
        Assert.Throws<ArgumentException>(() => ElbowRule.FindElbow([1, 2], [1]));
        Assert.Throws<ArgumentException>(() => ElbowRule.FindElbow([2, 1, 3], [1, 2, 3]));
        Assert.Throws<ArgumentException>(() => ElbowRule.FindElbow([1, 2, 3], [1, double.NaN, 3]));
    }
}
