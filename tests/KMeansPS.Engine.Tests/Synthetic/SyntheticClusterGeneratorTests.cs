using KMeansPS.Engine.Synthetic;
using Xunit;

namespace KMeansPS.Engine.Tests.Synthetic;

public class SyntheticClusterGeneratorTests
{
    [Fact]
    public void SameSeedGivesSameBits()
    {
        var a = SyntheticClusterGenerator.Generate(new SyntheticClusterOptions { Seed = 42, NoiseScale = 0.1 });
        var b = SyntheticClusterGenerator.Generate(new SyntheticClusterOptions { Seed = 42, NoiseScale = 0.1 });
        Assert.Equal(a.Points, b.Points);
        Assert.Equal(a.TrueCluster, b.TrueCluster);
        Assert.Equal(a.Centers, b.Centers);
    }

    [Fact]
    public void DifferentSeedsGiveDifferentPoints()
    {
        var a = SyntheticClusterGenerator.Generate(new SyntheticClusterOptions { Seed = 1 });
        var b = SyntheticClusterGenerator.Generate(new SyntheticClusterOptions { Seed = 2 });
        Assert.NotEqual(a.Points, b.Points);
    }

    // The seed contract is "same points on every machine": this fingerprint is checked on x64 and on
    // ARM64 under qemu. It changes only if the generator's algorithm changes, which breaks users' seeds.
    [Fact]
    public void SeedOneFingerprintIsStableAcrossMachines()
    {
        var set = SyntheticClusterGenerator.Generate(new SyntheticClusterOptions { Seed = 1, NoiseScale = 0.1 });
        ulong hash = 14695981039346656037UL;
        foreach (double v in set.Points)
        {
            hash = (hash ^ (ulong)BitConverter.DoubleToInt64Bits(v)) * 1099511628211UL;
        }
        foreach (int label in set.TrueCluster)
        {
            hash = (hash ^ (uint)label) * 1099511628211UL;
        }
        Assert.Equal(SeedOneFingerprint, hash);
    }

    private const ulong SeedOneFingerprint = 17536339116357120994UL;

    [Theory]
    [InlineData(300, 3, 2)]
    [InlineData(301, 4, 3)]
    [InlineData(7, 7, 5)]
    public void ShapeAndClusterSizesFollowMakeBlobs(int count, int clusters, int dims)
    {
        var set = SyntheticClusterGenerator.Generate(new SyntheticClusterOptions { Count = count, Clusters = clusters, Dimensions = dims, Seed = 3 });
        Assert.Equal(count * dims, set.Points.Length);
        Assert.Equal(clusters * dims, set.Centers.Length);
        var sizes = new int[clusters];
        foreach (int l in set.TrueCluster) sizes[l]++;
        for (int c = 0; c < clusters; c++)
        {
            Assert.Equal(count / clusters + (c < count % clusters ? 1 : 0), sizes[c]);
        }
    }

    [Fact]
    public void ClusterStatisticsMatchCentresAndSpread()
    {
        double[] centers = [0, 0, 20, 20, -20, 15];
        var set = SyntheticClusterGenerator.Generate(new SyntheticClusterOptions
        {
            Count = 30000, Clusters = 3, Dimensions = 2, Centers = centers, Spread = [0.5, 1.0, 2.0], Seed = 9,
        });
        for (int c = 0; c < 3; c++)
        {
            double spread = new[] { 0.5, 1.0, 2.0 }[c];
            for (int j = 0; j < 2; j++)
            {
                double sum = 0, sq = 0;
                int n = 0;
                for (int i = 0; i < set.Count; i++)
                {
                    if (set.TrueCluster[i] != c) continue;
                    double v = set.Points[i * 2 + j];
                    sum += v;
                    sq += v * v;
                    n++;
                }
                double mean = sum / n;
                double std = Math.Sqrt(sq / n - mean * mean);
                // 10,000 draws: the mean is within 4 standard errors, the std within 5 %.
                Assert.InRange(mean, centers[c * 2 + j] - 4 * spread / 100, centers[c * 2 + j] + 4 * spread / 100);
                Assert.InRange(std, spread * 0.95, spread * 1.05);
            }
        }
    }

    [Fact]
    public void RandomCentresStayInTheBox()
    {
        var set = SyntheticClusterGenerator.Generate(new SyntheticClusterOptions { Clusters = 50, Count = 50, Dimensions = 3, Seed = 5, CenterBoxMin = -2, CenterBoxMax = 3 });
        Assert.All(set.Centers, c => Assert.InRange(c, -2.0, 3.0));
    }

    [Fact]
    public void NoiseShiftsColumnsByScaledMean()
    {
        double[] centers = [100, -50, 110, -40];
        var clean = SyntheticClusterGenerator.Generate(new SyntheticClusterOptions { Count = 20000, Clusters = 2, Centers = centers, Seed = 4, Shuffle = false });
        var noisy = SyntheticClusterGenerator.Generate(new SyntheticClusterOptions { Count = 20000, Clusters = 2, Centers = centers, Seed = 4, Shuffle = false, NoiseScale = 0.1 });
        // Column means move by 0.1 x the column mean (105 and -45), give or take sampling error.
        Assert.InRange(ColumnMean(noisy, 0) - ColumnMean(clean, 0), 10.5 - 0.1, 10.5 + 0.1);
        Assert.InRange(ColumnMean(noisy, 1) - ColumnMean(clean, 1), -4.5 - 0.1, -4.5 + 0.1);
    }

    private static double ColumnMean(SyntheticClusterSet s, int j)
    {
        double sum = 0;
        for (int i = 0; i < s.Count; i++) sum += s.Points[i * s.Dimensions + j];
        return sum / s.Count;
    }

    [Fact]
    public void ShuffleKeepsLabelsWithTheirPoints()
    {
        double[] centers = [0, 0, 1000, 1000];
        var set = SyntheticClusterGenerator.Generate(new SyntheticClusterOptions { Count = 500, Clusters = 2, Centers = centers, Seed = 8 });
        for (int i = 0; i < set.Count; i++)
        {
            Assert.Equal(set.Points[i * 2] > 500 ? 1 : 0, set.TrueCluster[i]);
        }
        // And the order really is mixed.
        Assert.Contains(set.TrueCluster.Take(50), l => l == 1);
        Assert.Contains(set.TrueCluster.Take(50), l => l == 0);
    }

    [Theory]
    [InlineData(0, 1, 2)]
    [InlineData(10, 0, 2)]
    [InlineData(3, 4, 2)]
    [InlineData(10, 2, 0)]
    public void BadShapesAreRejected(int count, int clusters, int dims)
    {
        Assert.ThrowsAny<ArgumentException>(() => SyntheticClusterGenerator.Generate(new SyntheticClusterOptions { Count = count, Clusters = clusters, Dimensions = dims }));
    }

    [Fact]
    public void NonFiniteValuesAreRejected()
    {
        Assert.ThrowsAny<ArgumentException>(() => SyntheticClusterGenerator.Generate(new SyntheticClusterOptions { Spread = [double.NaN] }));
        Assert.ThrowsAny<ArgumentException>(() => SyntheticClusterGenerator.Generate(new SyntheticClusterOptions { NoiseScale = double.PositiveInfinity }));
        Assert.ThrowsAny<ArgumentException>(() => SyntheticClusterGenerator.Generate(new SyntheticClusterOptions { Clusters = 1, Centers = [double.NaN, 0] }));
        Assert.ThrowsAny<ArgumentException>(() => SyntheticClusterGenerator.Generate(new SyntheticClusterOptions { Clusters = 2, Centers = [0, 0, 1] }));
    }
}
