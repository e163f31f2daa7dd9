using KMeansPS.Engine.Kernels;
using KMeansPS.Engine.Random;
using Xunit;

namespace KMeansPS.Engine.Tests.Kernels;

/// <summary>
/// Hamerly's half gaps on every width give the scalar reference's bits: K below, at and around a vector of doubles
/// (the centre's own lane, blocks and the scalar rest), coordinates over many magnitudes (so a fused multiply-add or
/// a different summation order rounds differently), duplicate centres (a gap of zero) and one centre (no other).
/// </summary>
public class CentreGapsTests
{
    public static TheoryData<int, int> Shapes()
    {
        var data = new TheoryData<int, int>();
        foreach (int k in new[] { 1, 2, 3, 5, 8, 9, 16, 17, 31, 64, 256 })
            foreach (int dims in new[] { 1, 2, 3, 4, 7, 32 })
                data.Add(k, dims);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EveryWidthGivesTheReferenceBits(int k, int dims)
    {
        var rng = new DeterministicRandom((ulong)(k * 1000 + dims));
        var centres = new float[k * dims];
        for (int i = 0; i < centres.Length; i++)
            centres[i] = (float)((rng.NextDouble() - 0.5) * Math.Pow(10, rng.NextDouble() * 6 - 3));
        if (k >= 5) centres.AsSpan(0, dims).CopyTo(centres.AsSpan(4 * dims, dims)); // centres 0 and 4 coincide
        var expected = new double[k];
        CentreGaps.HalfGapsScalar(centres, k, dims, expected);
        if (k == 1) Assert.Equal(double.PositiveInfinity, expected[0]);
        if (k >= 5) Assert.Equal(0.0, expected[4]);

        foreach (var isa in KernelWidths.Vectors.Append(KernelSet.Best))
        {
            var actual = new double[k];
            var planes = new double[k * dims];
            Array.Fill(planes, double.NaN);
            new KernelSet(isa).HalfGaps(centres, k, dims, actual, planes);
            for (int a = 0; a < k; a++)
                Assert.True(BitConverter.DoubleToInt64Bits(expected[a]) == BitConverter.DoubleToInt64Bits(actual[a]),
                    $"{isa}, centre {a}: {actual[a]:R} against the reference's {expected[a]:R}");
        }
    }

    [Fact]
    public void TheReferenceIsHalfTheNearestOtherCentre()
    {
        // Centres on a line at 0, 1, 3 and 10: nearest others 1, 1, 2 and 7 away.
        float[] centres = [0, 1, 3, 10];
        var gaps = new double[4];
        CentreGaps.HalfGapsScalar(centres, 4, 1, gaps);
        double[] halves = [0.5, 0.5, 1.0, 3.5];
        Assert.Equal(halves.Select(g => g * CentreGaps.Shrink), gaps);
    }
}
