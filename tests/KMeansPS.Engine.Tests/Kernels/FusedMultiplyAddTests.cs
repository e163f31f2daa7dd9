using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using KMeansPS.Engine.Kernels;
using KMeansPS.Engine.Random;
using Xunit;

namespace KMeansPS.Engine.Tests.Kernels;

/// <summary>
/// a * b + c rounded once at every width and on the software path (machines without an FMA instruction): each
/// lane equals <see cref="MathF.FusedMultiplyAdd"/>, on random values over the whole exponent range and on values
/// built so that rounding twice (the product and sum in double, then to float) gives another answer.
/// </summary>
public class FusedMultiplyAddTests
{
    [Fact]
    public void SoftwarePathIsCorrectlyRoundedWhereDoubleRoundingIsNot()
    {
        var (a, b, c) = DoubleRoundingTraps();
        int trapped = 0;
        for (int i = 0; i < a.Length; i++)
        {
            float naive = (float)((double)a[i] * b[i] + c[i]);
            if (BitConverter.SingleToInt32Bits(naive) != BitConverter.SingleToInt32Bits(MathF.FusedMultiplyAdd(a[i], b[i], c[i]))) trapped++;
        }
        Assert.True(trapped >= a.Length / 2, $"only {trapped} of {a.Length} cases tell one rounding from two");
        AssertSoftwareMatches(a, b, c);
    }

    [Fact]
    public void SoftwarePathMatchesOnRandomAndSpecialValues()
    {
        var (a, b, c) = RandomOperands(20000, seed: 11);
        AssertSoftwareMatches(a, b, c);
    }

    [Fact]
    public void EveryWidthMatchesOneRoundingPerLane()
    {
        var (a, b, c) = RandomOperands(4096, seed: 12);
        var (ta, tb, tc) = DoubleRoundingTraps();
        a = [.. a, .. ta];
        b = [.. b, .. tb];
        c = [.. c, .. tc];
        int n = a.Length & ~15;
        for (int i = 0; i < n; i += 16)
        {
            Vector512<float> r512 = FusedMultiplyAdd.Of(Vector512.Create(a.AsSpan(i, 16)), Vector512.Create(b.AsSpan(i, 16)), Vector512.Create(c.AsSpan(i, 16)));
            for (int half = 0; half < 16; half += 8)
            {
                Vector256<float> r256 = FusedMultiplyAdd.Of(Vector256.Create(a.AsSpan(i + half, 8)), Vector256.Create(b.AsSpan(i + half, 8)), Vector256.Create(c.AsSpan(i + half, 8)));
                for (int lane = 0; lane < 8; lane++) AssertLane(a, b, c, i + half + lane, r256.GetElement(lane), "256");
            }
            for (int quarter = 0; quarter < 16; quarter += 4)
            {
                Vector128<float> r128 = FusedMultiplyAdd.Of(Vector128.Create(a.AsSpan(i + quarter, 4)), Vector128.Create(b.AsSpan(i + quarter, 4)), Vector128.Create(c.AsSpan(i + quarter, 4)));
                for (int lane = 0; lane < 4; lane++) AssertLane(a, b, c, i + quarter + lane, r128.GetElement(lane), "128");
            }
            for (int lane = 0; lane < 16; lane++) AssertLane(a, b, c, i + lane, r512.GetElement(lane), "512");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(16)]
    [InlineData(37)]
    public void DistancesOutsideTheColourKernelsFuseTheirTerms(int dims)
    {
        var rng = new DeterministicRandom((ulong)dims);
        var point = new float[dims];
        var centre = new float[dims];
        int differs = 0;
        for (int trial = 0; trial < 200; trial++)
        {
            for (int d = 0; d < dims; d++)
            {
                point[d] = (float)(rng.NextDouble() * 100 - 50);
                centre[d] = (float)(rng.NextDouble() * 100 - 50);
            }
            float diff = point[0] - centre[0], fused = diff * diff, unfused = fused;
            for (int d = 1; d < dims; d++)
            {
                diff = point[d] - centre[d];
                fused = MathF.FusedMultiplyAdd(diff, diff, fused);
                unfused += diff * diff;
            }
            float actual = ScalarKernels.Distance(ref point[0], 1, dims, ref centre[0]);
            Assert.Equal(BitConverter.SingleToInt32Bits(fused), BitConverter.SingleToInt32Bits(actual));
            if (fused != unfused) differs++;
        }
        if (dims > 1) Assert.True(differs > 0, "no trial told fused from unfused terms");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void ColourDistancesRoundEachProduct(int dims)
    {
        var rng = new DeterministicRandom((ulong)(100 + dims));
        var point = new float[dims];
        var centre = new float[dims];
        for (int trial = 0; trial < 200; trial++)
        {
            for (int d = 0; d < dims; d++)
            {
                point[d] = (float)(rng.NextDouble() * 100 - 50);
                centre[d] = (float)(rng.NextDouble() * 100 - 50);
            }
            float diff = point[0] - centre[0], unfused = diff * diff;
            for (int d = 1; d < dims; d++)
            {
                diff = point[d] - centre[d];
                float square = diff * diff;
                unfused += square;
            }
            Assert.Equal(BitConverter.SingleToInt32Bits(unfused), BitConverter.SingleToInt32Bits(ScalarKernels.Distance(ref point[0], 1, dims, ref centre[0])));
        }
    }

    private static void AssertSoftwareMatches(float[] a, float[] b, float[] c)
    {
        for (int i = 0; i + 4 <= a.Length; i += 4)
        {
            Vector128<float> va = Vector128.Create(a.AsSpan(i, 4)), vb = Vector128.Create(b.AsSpan(i, 4)), vc = Vector128.Create(c.AsSpan(i, 4));
            Vector128<float> software = FusedMultiplyAdd.Software(va, vb, vc), eachLane = FusedMultiplyAdd.EachLane(va, vb, vc);
            for (int lane = 0; lane < 4; lane++)
            {
                AssertLane(a, b, c, i + lane, software.GetElement(lane), "software");
                AssertLane(a, b, c, i + lane, eachLane.GetElement(lane), "each lane");
            }
        }
    }

    private static void AssertLane(float[] a, float[] b, float[] c, int i, float actual, string path)
    {
        float expected = MathF.FusedMultiplyAdd(a[i], b[i], c[i]);
        bool same = float.IsNaN(expected) ? float.IsNaN(actual) : BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual);
        Assert.True(same, $"{path}: fma({a[i]:R}, {b[i]:R}, {c[i]:R}) = {expected:R}, got {actual:R}");
    }

    /// <summary>
    /// a = (1 + 2^-23) 2^s, b = (1 - 2^-23) 2^t, so a * b = 2^(s+t) (1 - 2^-46), a hair below a power of two; c an odd
    /// float whose half unit is 2^(s+t). The exact sum lies just inside a float midpoint, the double sum on it, and
    /// ties-to-even then picks the wrong neighbour for half of the signs.
    /// </summary>
    private static (float[] A, float[] B, float[] C) DoubleRoundingTraps()
    {
        var rng = new DeterministicRandom(7);
        var a = new List<float>();
        var b = new List<float>();
        var c = new List<float>();
        for (int i = 0; i < 512; i++)
        {
            int exponent = (int)(rng.NextDouble() * 200) - 100; // c in [2^e, 2^(e+1))
            int s = (int)(rng.NextDouble() * 20) - 10;
            int t = exponent - 24 - s;
            int mantissa = ((int)(rng.NextDouble() * (1 << 22)) << 1) | 1; // odd
            float cv = MathF.ScaleB(1 + mantissa * MathF.ScaleB(1, -23), exponent);
            float av = MathF.ScaleB(1 + MathF.ScaleB(1, -23), s);
            float bv = MathF.ScaleB(1 - MathF.ScaleB(1, -23), t);
            bool negate = (i & 1) == 1;
            a.Add(negate ? -av : av);
            b.Add(bv);
            c.Add(negate ? -cv : cv);
        }
        return (a.ToArray(), b.ToArray(), c.ToArray());
    }

    /// <summary>Random signs, mantissas and exponents (subnormal to near overflow), zeros of both signs, infinities and cancellation.</summary>
    private static (float[] A, float[] B, float[] C) RandomOperands(int count, ulong seed)
    {
        var rng = new DeterministicRandom(seed);
        var a = new float[count];
        var b = new float[count];
        var c = new float[count];
        float[] special = [0f, -0f, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue, float.PositiveInfinity, float.NegativeInfinity, 1f, -1f];
        for (int i = 0; i < count; i++)
        {
            a[i] = Random(rng, special);
            b[i] = Random(rng, special);
            c[i] = (i % 3) switch
            {
                0 => -(float)((double)a[i] * b[i]) * (1 + (float)(rng.NextDouble() - 0.5) * 1e-6f), // near cancellation
                _ => Random(rng, special),
            };
        }
        return (a, b, c);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Random(DeterministicRandom rng, float[] special)
    {
        if (rng.NextDouble() < 0.05) return special[(int)(rng.NextDouble() * special.Length)];
        int exponent = (int)(rng.NextDouble() * 300) - 150; // reaches subnormals and near MaxValue
        float value = MathF.ScaleB(1 + (float)rng.NextDouble(), Math.Clamp(exponent, -149, 127));
        return rng.NextDouble() < 0.5 ? -value : value;
    }
}
