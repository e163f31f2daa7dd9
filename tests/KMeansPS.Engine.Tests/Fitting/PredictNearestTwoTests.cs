using KMeansPS.Engine.Random;
using Xunit;

namespace KMeansPS.Engine.Tests.Fitting;

/// <summary>
/// <see cref="KMeans.PredictNearestTwo"/> gives Predict's labels on every instruction set, each point's squared
/// distance to its centre as Predict sums it, and the second smallest: the same bits on every instruction set, and
/// within float32 rounding of a double-precision reference.
/// </summary>
public class PredictNearestTwoTests
{
    [Theory]
    [InlineData(1, 3, 2)]
    [InlineData(4096 * 2 + 9, 3, 64)]
    [InlineData(3000, 5, 33)]
    [InlineData(2500, 32, 16)]
    public void Labels_are_Predicts_and_the_two_distances_are_the_nearest_two(int n, int dims, int k)
    {
        var rng = new DeterministicRandom((ulong)(n * 17 + dims * 5 + k));
        float[] data = Values(rng, n * dims);
        float[] centres = Values(rng, k * dims);
        for (int i = 0; i < data.Length; i += 3) data[i] = MathF.Round(data[i]); // ties between centres too
        float[]? firstNearest = null, firstSecond = null;
        for (var isa = InstructionSet.Scalar; isa <= KMeans.BestInstructionSet; isa++)
        {
            var expected = new int[n];
            double inertia = KMeans.Predict(data, dims, centres, expected, default, 2, isa, TestContext.Current.CancellationToken);
            var labels = new int[n];
            float[] nearest = new float[n], second = new float[n];
            KMeans.PredictNearestTwo(data, dims, centres, labels, nearest, second, 2, isa, TestContext.Current.CancellationToken);
            Assert.Equal(expected, labels);
            Assert.Equal(inertia, nearest.Sum(v => (double)v), 6);
            firstNearest ??= nearest;
            firstSecond ??= second;
            Assert.Equal(firstNearest, nearest); // bit for bit on every instruction set
            Assert.Equal(firstSecond, second);
            for (int i = 0; i < n; i++)
            {
                double[] exact = Enumerable.Range(0, k).Select(c => Squared(data.AsSpan(i * dims, dims), centres.AsSpan(c * dims, dims))).Order().ToArray();
                Assert.Equal(exact[0], nearest[i], exact[0] * 1e-5 + 1e-6);
                Assert.Equal(k > 1 ? exact[1] : double.PositiveInfinity, second[i], k > 1 ? exact[1] * 1e-5 + 1e-6 : 0);
            }
        }
    }

    private static double Squared(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (int j = 0; j < a.Length; j++) sum += ((double)a[j] - b[j]) * ((double)a[j] - b[j]);
        return sum;
    }

    private static float[] Values(DeterministicRandom rng, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)(rng.NextDouble() * 100);
        return values;
    }
}
