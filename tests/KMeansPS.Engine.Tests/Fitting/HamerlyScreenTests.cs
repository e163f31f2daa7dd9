using KMeansPS.Engine.Fitting;
using KMeansPS.Engine.Random;
using Xunit;
using OnePoint = KMeansPS.Engine.Kernels.PointLanes<KMeansPS.Engine.Kernels.ScalarLane, float>;

namespace KMeansPS.Engine.Tests.Fitting;

/// <summary>
/// Hamerly's screen as the solver runs it (four points at a time with AVX2 at D = 2-4) against its scalar loop, bit
/// for bit: the lowered bounds, the distances and the list of unsettled points. The bounds are drawn around each
/// point's threshold so that both outcomes occur often, and lanes of one four differ; outputs are followed by
/// sentinels, so a write past the run changes what is compared.
/// </summary>
public class HamerlyScreenTests
{
    private const int Sentinel = 0x5EED;

    public static TheoryData<int, int> Shapes()
    {
        var data = new TheoryData<int, int>();
        foreach (int dims in new[] { 1, 2, 3, 4, 5 })
            foreach (int k in new[] { 2, 64, 255 })
                data.Add(dims, k);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public unsafe void Screen_gives_the_scalar_loops_bits(int dims, int k)
    {
        int settledSeen = 0, listedSeen = 0;
        foreach (int count in new[] { 0, 1, 3, 4, 5, 7, 8, 9, 31, 64, 1001, 4096 })
        {
            var rng = new DeterministicRandom((ulong)(count * 131 + dims * 7 + k));
            int stride = count + 3;
            var planes = new float[dims * stride];
            for (int i = 0; i < planes.Length; i++) planes[i] = (float)(rng.NextDouble() * 255);
            var centres = new float[k * dims];
            for (int i = 0; i < centres.Length; i++) centres[i] = (float)(rng.NextDouble() * 255);
            var labels = new int[count];
            for (int i = 0; i < count; i++) labels[i] = rng.NextInt(k);
            var drops = new double[k];
            var gaps = new double[k];
            for (int c = 0; c < k; c++)
            {
                drops[c] = rng.NextDouble() * 3;
                gaps[c] = rng.NextDouble() * 40;
            }
            var bounds = new double[count];
            for (int i = 0; i < count; i++)
            {
                // Around the bound that would just settle the point: its real distance plus the drop, scaled by 0.8-1.2.
                double own = 0;
                for (int d = 0; d < dims; d++)
                {
                    double diff = planes[d * stride + i] - centres[labels[i] * dims + d];
                    own += diff * diff;
                }
                bounds[i] = (Math.Sqrt(own) + drops[labels[i]]) * (0.8 + 0.4 * rng.NextDouble());
            }
            const double gamma = 2.0 * 7 * 5.960464477539063e-8, eta = 1e-40;
            int firstIndex = 1000 + count;

            var (expectedBounds, expectedDist, expectedList, expectedCount) = RunScreen(scalar: true);
            var (gotBounds, gotDist, gotList, gotCount) = RunScreen(scalar: false);
            Assert.Equal(expectedCount, gotCount);
            Assert.Equal(expectedList.AsSpan(0, expectedCount).ToArray(), gotList.AsSpan(0, gotCount).ToArray());
            Assert.Equal(Sentinel, gotList[count]);
            for (int i = 0; i < count; i++)
            {
                Assert.True(BitConverter.DoubleToInt64Bits(expectedBounds[i]) == BitConverter.DoubleToInt64Bits(gotBounds[i]),
                    $"bound {i} of {count}, D={dims} K={k}: {expectedBounds[i]:R} vs {gotBounds[i]:R}");
                Assert.True(BitConverter.SingleToInt32Bits(expectedDist[i]) == BitConverter.SingleToInt32Bits(gotDist[i]),
                    $"distance {i} of {count}, D={dims} K={k}: {expectedDist[i]:R} vs {gotDist[i]:R}");
            }
            settledSeen += count - expectedCount;
            listedSeen += expectedCount;

            (double[] Bounds, float[] Dist, int[] List, int Count) RunScreen(bool scalar)
            {
                double[] b = [.. bounds, double.NaN];
                var dist = new float[count + 1];
                dist[count] = float.NaN;
                var list = new int[count + 1];
                Array.Fill(list, Sentinel);
                fixed (float* p = planes, c = centres, f = dist)
                fixed (int* l = labels, out0 = list)
                fixed (double* bp = b, dp = drops, gp = gaps)
                {
                    var run = new HamerlyScreen.Run(p, stride, dims, c, l, f, bp, dp, gp, out0, firstIndex);
                    int listed = scalar
                        ? dims switch
                        {
                            2 => HamerlyScreen.ScreenScalar<OnePoint.Dims2>(run, 0, count, gamma, eta, 0),
                            3 => HamerlyScreen.ScreenScalar<OnePoint.Dims3>(run, 0, count, gamma, eta, 0),
                            4 => HamerlyScreen.ScreenScalar<OnePoint.Dims4>(run, 0, count, gamma, eta, 0),
                            _ => HamerlyScreen.ScreenScalar<OnePoint.DimsN>(run, 0, count, gamma, eta, 0),
                        }
                        : HamerlyScreen.Screen(run, count, gamma, eta);
                    Assert.True(double.IsNaN(b[count]) && float.IsNaN(dist[count]), "wrote past the run");
                    return (b, dist, list, listed);
                }
            }
        }
        // Both outcomes, many times: a screen that listed everything or nothing would not be compared.
        Assert.True(settledSeen > 500 && listedSeen > 500, $"settled {settledSeen}, listed {listedSeen}");
    }

    [Fact]
    public void Gathers_on_colours_with_AVX2_only()
    {
        bool avx2 = System.Runtime.Intrinsics.X86.Avx2.IsSupported;
        Assert.Equal(avx2, HamerlyScreen.Gathers(3));
        Assert.Equal(avx2, HamerlyScreen.Gathers(4));
        Assert.False(HamerlyScreen.Gathers(1));
        Assert.False(HamerlyScreen.Gathers(5));
    }
}
