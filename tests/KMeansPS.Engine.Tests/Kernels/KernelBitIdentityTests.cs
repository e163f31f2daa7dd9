using KMeansPS.Engine.Kernels;
using KMeansPS.Engine.Random;
using Xunit;

namespace KMeansPS.Engine.Tests.Kernels;

/// <summary>
/// Every vector width against the scalar reference, bit for bit, on every length 0..257 and ragged
/// sizes. Inputs are slices of longer arrays whose trailing values are poison, and outputs are slices
/// followed by sentinels, so a read or write past the end changes what is compared.
/// </summary>
public class KernelBitIdentityTests
{
    private const float Poison = float.NaN;
    private const int Sentinel = 0x5EED;
    private const int Gap = 5; // plane stride = count + Gap, the gap filled with poison

    public static TheoryData<int, int> ShapeGrid()
    {
        var data = new TheoryData<int, int>();
        foreach (int dims in new[] { 1, 2, 3, 4, 5, 7 })
            foreach (int k in new[] { 1, 2, 3, 16, 64, 256 })
                data.Add(dims, k);
        // D >= 5 runs in tiles of four centres: K with and without a remainder, D long and odd.
        foreach (int dims in new[] { 16, 37 })
            foreach (int k in new[] { 5, 67 })
                data.Add(dims, k);
        return data;
    }

    [Theory]
    [MemberData(nameof(ShapeGrid))]
    public void AssignNearestMatchesScalarAtEveryWidth(int dims, int k)
    {
        foreach (int count in Counts(k))
        {
            var (planes, stride) = Planes(count, dims, seed: (ulong)(count * 31 + dims));
            ReadOnlySpan<float> centroids = Centroids(k, dims, seed: (ulong)(k + 1000 * dims));
            var expectedLabels = Padded<int>(count, Sentinel);
            var expectedDist = Padded<float>(count, Poison);
            ScalarKernels.AssignNearest(planes, stride, count, dims, centroids, k, expectedLabels.AsSpan(0, count), expectedDist.AsSpan(0, count));
            foreach (var width in KernelWidths.All())
            {
                var labels = Padded<int>(count, Sentinel);
                var dist = Padded<float>(count, Poison);
                width.Assign(planes, stride, count, dims, centroids, k, labels.AsSpan(0, count), dist.AsSpan(0, count));
                Assert.True(expectedLabels.AsSpan().SequenceEqual(labels), $"{width.Name} labels, N={count} D={dims} K={k}");
                AssertBits(expectedDist, dist, $"{width.Name} distances, N={count} D={dims} K={k}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(ShapeGrid))]
    public void AssignNearestTwoMatchesScalarAtEveryWidth(int dims, int k)
    {
        foreach (int count in Counts(k))
        {
            var (planes, stride) = Planes(count, dims, seed: (ulong)(count * 17 + dims));
            ReadOnlySpan<float> centroids = Centroids(k, dims, seed: (ulong)(k + 77 * dims));
            var expectedLabels = Padded<int>(count, Sentinel);
            var expectedDist = Padded<float>(count, Poison);
            var expectedSecond = Padded<float>(count, Poison);
            ScalarKernels.AssignNearestTwo(planes, stride, count, dims, centroids, k,
                expectedLabels.AsSpan(0, count), expectedDist.AsSpan(0, count), expectedSecond.AsSpan(0, count));
            foreach (var width in KernelWidths.All())
            {
                var labels = Padded<int>(count, Sentinel);
                var dist = Padded<float>(count, Poison);
                var second = Padded<float>(count, Poison);
                width.AssignTwo(planes, stride, count, dims, centroids, k, labels.AsSpan(0, count), dist.AsSpan(0, count), second.AsSpan(0, count));
                Assert.True(expectedLabels.AsSpan().SequenceEqual(labels), $"{width.Name} labels, N={count} D={dims} K={k}");
                AssertBits(expectedDist, dist, $"{width.Name} best, N={count} D={dims} K={k}");
                AssertBits(expectedSecond, second, $"{width.Name} second, N={count} D={dims} K={k}");
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(16)]
    public void MinDistanceMatchesScalarAtEveryWidthAlsoInPlace(int dims)
    {
        for (int count = 0; count <= 257; count++)
        {
            var (planes, stride) = Planes(count, dims, seed: (ulong)(count + 5 * dims));
            ReadOnlySpan<float> centre = Centroids(1, dims, seed: (ulong)count);
            float[] closest = Closest(count, seed: (ulong)(count + 9));
            var expected = Padded<float>(count, Poison);
            ScalarKernels.MinDistance(planes, stride, count, dims, centre, closest.AsSpan(0, count), expected.AsSpan(0, count));
            foreach (var width in KernelWidths.All())
            {
                var result = Padded<float>(count, Poison);
                width.Min(planes, stride, count, dims, centre, closest.AsSpan(0, count), result.AsSpan(0, count));
                AssertBits(expected, result, $"{width.Name} N={count} D={dims}");
                // In place (result aliases closest), as k-means++ calls it.
                var inPlace = (float[])closest.Clone();
                width.Min(planes, stride, count, dims, centre, inPlace.AsSpan(0, count), inPlace.AsSpan(0, count));
                AssertBits(expected.AsSpan(0, count).ToArray(), inPlace.AsSpan(0, count).ToArray(), $"{width.Name} in place N={count} D={dims}");
            }
        }
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(3, false)]
    [InlineData(3, true)]
    [InlineData(4, true)]
    [InlineData(5, false)]
    [InlineData(7, true)]
    [InlineData(16, false)]
    public void MinDistanceSumMatchesScalarAndTheUnfusedSteps(int dims, bool weighted)
    {
        for (int count = 0; count <= 257; count++)
        {
            var (planes, stride) = Planes(count, dims, seed: (ulong)(count + 3 * dims));
            ReadOnlySpan<float> centre = Centroids(1, dims, seed: (ulong)count + 11);
            float[] closest = Closest(count, seed: (ulong)(count + 19));
            float[] weights = weighted ? Weights(count, (ulong)count) : [];
            ReadOnlySpan<float> w = weighted ? weights.AsSpan(0, count) : default;
            double expected = ScalarKernels.MinDistanceSum(planes, stride, count, dims, centre, closest.AsSpan(0, count), w);
            var mins = new float[count];
            ScalarKernels.MinDistance(planes, stride, count, dims, centre, closest.AsSpan(0, count), mins);
            Assert.Equal(BitConverter.DoubleToInt64Bits(ChunkSums.SumScalar(mins, w)), BitConverter.DoubleToInt64Bits(expected));
            foreach (var width in KernelWidths.All())
            {
                double actual = width.MinSum(planes, stride, count, dims, centre, closest.AsSpan(0, count), w);
                Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual),
                    $"{width.Name} N={count} D={dims}: {expected:R} vs {actual:R}");
            }
        }
    }

    [Fact]
    public void ChunkSumPathsMatchTheScalarOrder()
    {
        for (int count = 0; count <= 300; count++)
        {
            float[] values = Closest(count, seed: (ulong)count + 500).AsSpan(0, count).ToArray();
            float[] weights = Weights(count, (ulong)count + 600);
            foreach (bool weighted in new[] { false, true })
            {
                ReadOnlySpan<float> w = weighted ? weights.AsSpan(0, count) : default;
                long expected = BitConverter.DoubleToInt64Bits(ChunkSums.SumScalar(values, w));
                Assert.Equal(expected, BitConverter.DoubleToInt64Bits(ChunkSums.SumVector128(values, w)));
                Assert.Equal(expected, BitConverter.DoubleToInt64Bits(ChunkSums.SumVector256(values, w)));
                Assert.Equal(expected, BitConverter.DoubleToInt64Bits(ChunkSums.Sum(values, w)));
            }
        }
        // The canonical order, by hand, with 2^53 (where double spacing becomes 2): accumulator 0 gets
        // 2^53 then 1 (index 8), and 2^53 + 1 rounds to 2^53; accumulators 1-7 hold 1 each. Combined as
        // ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) = (2^53 + 2) + 4. A sequential sum would give 2^53.
        float[] order = [9007199254740992f, 1, 1, 1, 1, 1, 1, 1, 1];
        Assert.Equal(9007199254740998.0, ChunkSums.Sum(order, default));
        Assert.Equal(9007199254740998.0, ChunkSums.SumScalar(order, default));
    }

    [Fact]
    public void LabelCommitCountsChangesOnEveryLength()
    {
        for (int count = 0; count <= 70; count++)
        {
            var fresh = new int[count];
            var labels = new int[count + 4];
            labels[count] = Sentinel;
            for (int i = 0; i < count; i++)
            {
                fresh[i] = i % 3;
                labels[i] = i % 5 == 0 ? 9 : i % 3;
            }
            int expected = Enumerable.Range(0, count).Count(i => i % 5 == 0);
            Assert.Equal(expected, LabelCommit.Commit(fresh, labels.AsSpan(0, count)));
            Assert.Equal(fresh, labels.AsSpan(0, count).ToArray());
            Assert.Equal(Sentinel, labels[count]);
        }
    }

    [Fact]
    public void TiesGoToTheLowestIndexAtEveryWidth()
    {
        // Every point is equidistant from centres 1 and 3 (and farther from 0 and 2): the label must be 1.
        const int count = 67;
        var planes = new float[2 * count];
        for (int i = 0; i < count; i++) planes[count + i] = i % 5; // x = 0, y in 0..4
        float[] centroids = [10, 0, -1, 2, 10, 2, 1, 2]; // (10,0), (-1,2), (10,2), (1,2)
        foreach (var width in KernelWidths.All())
        {
            var labels = new int[count];
            var dist = new float[count];
            width.Assign(planes, count, count, 2, centroids, 4, labels, dist);
            Assert.All(labels, l => Assert.Equal(1, l));
        }
    }

    [Theory]
    [InlineData(6, 11)]
    [InlineData(19, 23)]
    public void TiesInTilesOfFourCentresGoToTheLowestIndexAtEveryWidth(int dims, int k)
    {
        // Centres repeated inside a tile of four (1 -> 3), across tiles (1 -> 6, 4 -> 8) and among the centres
        // left over after the tiles (k - 2 -> k - 1): a point's equal distances must give the lower index.
        float[] centroids = Centroids(k, dims, seed: (ulong)(dims * k));
        (int From, int To)[] copies = [(1, 3), (1, 6), (4, 8), (k - 2, k - 1)];
        foreach (var (from, to) in copies) centroids.AsSpan(from * dims, dims).CopyTo(centroids.AsSpan(to * dims, dims));
        const int count = 3 * 64 + 5;
        var rng = new DeterministicRandom(7);
        var planes = new float[dims * count];
        for (int i = 0; i < count; i++)
        {
            int near = (int)(rng.NextDouble() * k);
            for (int d = 0; d < dims; d++)
                planes[d * count + i] = centroids[near * dims + d] + (float)(rng.NextDouble() - 0.5);
        }
        var expectedLabels = new int[count];
        var expectedDist = new float[count];
        var expectedSecond = new float[count];
        ScalarKernels.AssignNearestTwo(planes, count, count, dims, centroids, k, expectedLabels, expectedDist, expectedSecond);
        Assert.DoesNotContain(expectedLabels, l => l is 3 or 6 or 8 || l == k - 1);
        Assert.Contains(expectedLabels, l => l == 1);
        foreach (var width in KernelWidths.All())
        {
            var labels = new int[count];
            var dist = new float[count];
            var second = new float[count];
            width.AssignTwo(planes, count, count, dims, centroids, k, labels, dist, second);
            Assert.Equal(expectedLabels, labels);
            AssertBits(expectedDist, dist, $"{width.Name} best");
            AssertBits(expectedSecond, second, $"{width.Name} second");
            width.Assign(planes, count, count, dims, centroids, k, labels, dist);
            Assert.Equal(expectedLabels, labels);
        }
    }

    [Fact]
    public void DistancesAreExactOnSmallIntegers()
    {
        // Integer coordinates: every distance is exact, so the expected value is known by hand.
        float[] planes = [0, 3, 6, 0, 4, 8]; // points (0,0), (3,4), (6,8)
        float[] centroids = [0, 0];
        foreach (var width in KernelWidths.All())
        {
            var labels = new int[3];
            var dist = new float[3];
            width.Assign(planes, 3, 3, 2, centroids, 1, labels, dist);
            Assert.Equal([0f, 25f, 100f], dist);
        }
    }

    private static IEnumerable<int> Counts(int k)
    {
        // Every length 0..257 where K is small; ragged sizes around vector multiples for large K.
        if (k <= 16)
        {
            for (int n = 0; n <= 257; n++) yield return n;
        }
        else
        {
            foreach (int n in new[] { 0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 100, 127, 129, 255, 257 })
                yield return n;
        }
        yield return 6 * 512 + 7;
    }

    [Theory]
    [InlineData(1, true, true)]
    [InlineData(2, false, true)]
    [InlineData(2, true, false)]
    [InlineData(3, true, true)]
    [InlineData(3, false, false)]
    [InlineData(4, true, true)]
    [InlineData(4, false, true)]
    [InlineData(5, true, true)]
    [InlineData(16, false, true)]
    public void FoldAndMinDistanceSumsMatchTheSeparateStepsAtEveryWidth(int dims, bool weighted, bool withPending)
    {
        // One to nine candidates: a group of four, a last group of one to three (repeats), two groups.
        for (int count = 0; count <= 161; count++)
        {
            int trials = 1 + count % 9;
            var (planes, stride) = Planes(count, dims, seed: (ulong)(count + 7 * dims));
            float[] candidates = Centroids(trials, dims, seed: (ulong)count + 23);
            float[] pending = withPending ? Centroids(1, dims, seed: (ulong)count + 29) : [];
            float[] closest = Closest(count, seed: (ulong)(count + 31));
            ReadOnlySpan<float> w = weighted ? Weights(count, (ulong)count + 37) : default;

            // The separate steps: the pending centre folded in place, then one potential per candidate.
            float[] expectedClosest = (float[])closest.Clone();
            if (withPending)
                ScalarKernels.MinDistance(planes, stride, count, dims, pending, expectedClosest.AsSpan(0, count), expectedClosest.AsSpan(0, count));
            var expected = new double[trials];
            for (int t = 0; t < trials; t++)
                expected[t] = ScalarKernels.MinDistanceSum(planes, stride, count, dims, candidates.AsSpan(t * dims, dims), expectedClosest.AsSpan(0, count), w);

            foreach (var isa in KernelWidths.Vectors.Prepend(InstructionSet.Scalar).Append(KernelSet.Best))
            {
                float[] actualClosest = (float[])closest.Clone();
                var sums = new double[trials + 1];
                sums[trials] = double.NaN; // past the candidates: never written
                new KernelSet(isa).FoldAndMinDistanceSums(planes, stride, count, dims, pending, candidates, actualClosest.AsSpan(0, count), w, sums.AsSpan(0, trials));
                AssertBits(expectedClosest, actualClosest, $"{isa} closest N={count} D={dims}");
                for (int t = 0; t < trials; t++)
                    Assert.True(BitConverter.DoubleToInt64Bits(expected[t]) == BitConverter.DoubleToInt64Bits(sums[t]),
                        $"{isa} N={count} D={dims} candidate {t} of {trials}: {expected[t]:R} vs {sums[t]:R}");
                Assert.True(double.IsNaN(sums[trials]));
            }
        }
    }

    /// <summary>SoA planes with stride count + Gap: poison in each gap and after the last plane.</summary>
    private static (PlaneBlock Block, int Stride) Planes(int count, int dims, ulong seed)
    {
        int stride = count + Gap;
        var backing = new float[dims * stride + 16];
        Array.Fill(backing, Poison);
        var rng = new DeterministicRandom(seed);
        for (int d = 0; d < dims; d++)
            for (int i = 0; i < count; i++)
                backing[d * stride + i] = (float)(rng.NextDouble() * 200 - 100);
        return (new PlaneBlock(backing, (dims - 1) * stride + count), stride);
    }

    /// <summary>The kernel sees exactly (D - 1) x stride + count values; the poison after them must never be read.</summary>
    private sealed record PlaneBlock(float[] Backing, int Length)
    {
        public static implicit operator ReadOnlySpan<float>(PlaneBlock b) => b.Backing.AsSpan(0, b.Length);
    }

    private static float[] Centroids(int k, int dims, ulong seed)
    {
        var rng = new DeterministicRandom(seed);
        var c = new float[k * dims];
        for (int i = 0; i < c.Length; i++) c[i] = (float)(rng.NextDouble() * 200 - 100);
        return c;
    }

    private static float[] Closest(int count, ulong seed)
    {
        var rng = new DeterministicRandom(seed);
        var c = new float[count + 16];
        for (int i = 0; i < count; i++) c[i] = (float)(rng.NextDouble() * 40000);
        for (int i = count; i < c.Length; i++) c[i] = -1f; // poison: would win every min if read
        return c;
    }

    private static float[] Weights(int count, ulong seed)
    {
        var rng = new DeterministicRandom(seed);
        var w = new float[count];
        for (int i = 0; i < count; i++) w[i] = (float)(rng.NextDouble() * 3);
        return w;
    }

    private static T[] Padded<T>(int count, T sentinel)
    {
        var a = new T[count + 16];
        Array.Fill(a, sentinel);
        return a;
    }

    private static void AssertBits(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"{what}: index {i} expected {expected[i]} ({BitConverter.SingleToInt32Bits(expected[i]):X8}) got {actual[i]} ({BitConverter.SingleToInt32Bits(actual[i]):X8})");
        }
    }
}
