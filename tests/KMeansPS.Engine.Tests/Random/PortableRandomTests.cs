using KMeansPS.Engine.Random;
using Xunit;

namespace KMeansPS.Engine.Tests.Random;

public class PortableRandomTests
{
    [Theory]
    [InlineData(1e-300)]
    [InlineData(4.9e-324)]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.7071)]
    [InlineData(1.0)]
    [InlineData(1.4143)]
    [InlineData(2.718281828459045)]
    [InlineData(12345.678)]
    [InlineData(1e300)]
    public void PortableLogMatchesMathLog(double x)
    {
        double expected = Math.Log(x);
        double actual = PortableMath.Log(x);
        Assert.True(Math.Abs(actual - expected) <= 4e-16 * Math.Max(1.0, Math.Abs(expected)), $"ln({x}): {actual} vs {expected}");
    }

    [Fact]
    public void PortableLogSweep()
    {
        var rng = new DeterministicRandom(7);
        for (int i = 0; i < 100000; i++)
        {
            double x = rng.NextDouble() * 4 + 1e-9;
            double expected = Math.Log(x);
            Assert.True(Math.Abs(PortableMath.Log(x) - expected) <= 4e-16 * Math.Max(1.0, Math.Abs(expected)), $"ln({x})");
        }
    }

    [Fact]
    public void UniformDoublesAreInRangeAndCentred()
    {
        var rng = new DeterministicRandom(11);
        double sum = 0;
        for (int i = 0; i < 100000; i++)
        {
            double u = rng.NextDouble();
            Assert.InRange(u, 0.0, 0.9999999999999999);
            sum += u;
        }
        Assert.InRange(sum / 100000, 0.497, 0.503);
    }

    [Fact]
    public void NextIntCoversTheRangeEvenly()
    {
        var rng = new DeterministicRandom(12);
        var counts = new int[7];
        for (int i = 0; i < 70000; i++) counts[rng.NextInt(7)]++;
        Assert.All(counts, c => Assert.InRange(c, 9500, 10500));
    }

    [Fact]
    public void GaussianHasUnitMoments()
    {
        var rng = new DeterministicRandom(13);
        double sum = 0, sq = 0;
        const int n = 200000;
        for (int i = 0; i < n; i++)
        {
            double g = rng.NextGaussian();
            sum += g;
            sq += g * g;
        }
        Assert.InRange(sum / n, -0.01, 0.01);
        Assert.InRange(sq / n, 0.98, 1.02);
    }

    [Fact]
    public void StreamsDependOnlyOnTheSeed()
    {
        var a = new DeterministicRandom(99);
        var b = new DeterministicRandom(99);
        var c = new DeterministicRandom(100);
        bool differs = false;
        for (int i = 0; i < 1000; i++)
        {
            ulong x = a.NextUInt64();
            Assert.Equal(x, b.NextUInt64());
            differs |= x != c.NextUInt64();
        }
        Assert.True(differs);
    }
}
