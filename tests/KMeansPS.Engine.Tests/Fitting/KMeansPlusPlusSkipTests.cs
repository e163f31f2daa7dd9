using Xunit;
using KMeansPS.Engine.Fitting;
using KMeansPS.Engine.Kernels;
using KMeansPS.Engine.Random;
using KMeansPS.Engine.Tests.Kernels;

namespace KMeansPS.Engine.Tests.Fitting;

/// <summary>
/// k-means++ skips a (chunk, candidate) pass when the chunk's box is farther from the candidate than every closest
/// distance in it (<see cref="ChunkBoxes"/>). The skips must give the centres of a pass over every chunk to the bit,
/// at every instruction set, on data where they happen often (points in runs, as a histogram's colours in order of
/// appearance) and where they are near the edge (ties, tiny and huge scales).
/// </summary>
public class KMeansPlusPlusSkipTests
{
    public static TheoryData<string, int, int, int> Cases() => new()
    {
        // name, D, K, chunk size
        { "runs of colours", 3, 96, 256 },
        { "runs of colours with alpha", 4, 256, 512 },
        { "runs of colours, tails", 3, 64, 200 },
        { "sorted blobs", 2, 64, 128 },
        { "sorted blobs", 1, 32, 96 },
        { "sorted blobs", 5, 48, 256 },
        { "sorted blobs", 8, 40, 300 },
        { "grid ties", 3, 64, 128 },
        { "grid ties", 4, 100, 64 },
        { "uniform", 3, 64, 256 },
        { "tiny scale", 3, 64, 256 },
        { "huge scale", 4, 64, 256 },
        { "zero weights", 3, 64, 256 },
        { "duplicates", 2, 64, 128 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Skips_give_the_centres_of_a_pass_over_every_chunk(string name, int dims, int k, int chunkSize)
    {
        var (data, weights) = Data(name, dims, seed: (ulong)(dims * 1000 + k));
        long skippedSomewhere = 0;
        foreach (InstructionSet cap in KernelWidths.FitCaps())
        {
            for (ulong seed = 1; seed <= 3; seed++)
            {
                float[] reference = Run(data, weights, dims, k, chunkSize, cap, seed, skip: false, out long none);
                float[] skipped = Run(data, weights, dims, k, chunkSize, cap, seed, skip: true, out long skips);
                Assert.Equal(0, none);
                Assert.True(reference.AsSpan().SequenceEqual(skipped),
                    $"{name}, D = {dims}, K = {k}, {cap}, seed {seed}: the skips changed the centres ({skips} sums skipped)");
                skippedSomewhere += skips;
            }
        }
        if (name != "uniform")
            Assert.True(skippedSomewhere > 0, $"{name}: no sum was skipped, so the case tests nothing");
    }

    [Fact]
    public void A_fifth_of_the_sums_or_more_are_skipped_on_colours_in_runs()
    {
        var (data, weights) = Data("runs of colours", 3, seed: 5);
        Run(data, weights, 3, 256, 512, KMeans.BestInstructionSet, 1, skip: true, out long skips);
        int chunks = (data.Length / 3 + 511) / 512, trials = 2 + (int)Math.Floor(Math.Log(256));
        long sums = (long)chunks * trials * 255;
        Assert.True(skips > sums / 5, $"{skips} of {sums} sums skipped");
    }

    private static float[] Run(float[] data, float[] weights, int dims, int k, int chunkSize, InstructionSet cap, ulong seed,
        bool skip, out long skipped)
    {
        PointSet points = PointSet.FromRows(data, dims, weights, 1, TestContext.Current.CancellationToken);
        points.UseChunkSize(chunkSize);
        var ws = new FitWorkspace(points, k, KernelSet.Create(cap), 2, TestContext.Current.CancellationToken);
        return CentroidInitializer.GreedyKMeansPlusPlus(ws, new DeterministicRandom(seed), skip, out skipped);
    }

    /// <summary>Rows and weights (empty: all 1) for a named case.</summary>
    private static (float[] Data, float[] Weights) Data(string name, int dims, ulong seed)
    {
        var rng = new DeterministicRandom(seed);
        const int n = 6000;
        switch (name)
        {
            case "runs of colours":
            case "runs of colours, tails":
            case "runs of colours with alpha":
            {
                // A random walk through colour space, as the colours of an image's rows arrive: each run stays near
                // the last colour, with a jump now and then.
                var data = new float[n * dims];
                var at = new double[dims];
                for (int d = 0; d < dims; d++) at[d] = rng.NextInt(256);
                for (int i = 0; i < n; i++)
                {
                    bool jump = rng.NextInt(200) == 0;
                    for (int d = 0; d < dims; d++)
                    {
                        at[d] = jump ? rng.NextInt(256) : Math.Clamp(at[d] + Math.Round(3 * rng.NextGaussian()), 0, 255);
                        data[i * dims + d] = (float)at[d];
                    }
                }
                return (data, FitTestData.Weights(n, seed + 1));
            }
            case "sorted blobs":
                return (SortedByFirst(FitTestData.Blobs(n, dims, 24, seed, spread: 0.5), dims), []);
            case "grid ties":
                return (SortedByFirst(FitTestData.Grid(n, dims, 9, seed), dims), FitTestData.Weights(n, seed + 1));
            case "uniform":
            {
                var data = new float[n * dims];
                for (int i = 0; i < data.Length; i++) data[i] = (float)rng.NextDouble();
                return (data, []);
            }
            case "tiny scale":
            case "huge scale":
            {
                // Scaled so that squared distances come near the subnormals (1e-19 squared) or near float's top (1e18
                // squared times D), where the kernels' rounding is largest against the box bound.
                float scale = name == "tiny scale" ? 1e-19f : 1e18f;
                float[] data = SortedByFirst(FitTestData.Blobs(n, dims, 16, seed, spread: 0.3), dims);
                for (int i = 0; i < data.Length; i++) data[i] *= scale;
                return (data, []);
            }
            case "zero weights":
            {
                float[] data = SortedByFirst(FitTestData.Blobs(n, dims, 24, seed, spread: 0.5), dims);
                float[] weights = FitTestData.Weights(n, seed + 1);
                for (int i = 0; i < n; i += 3) weights[i] = 0;
                return (data, weights);
            }
            case "duplicates":
            {
                float[] data = SortedByFirst(FitTestData.Blobs(n, dims, 24, seed, spread: 0.5), dims);
                for (int i = 1; i < n; i += 2) data.AsSpan((i - 1) * dims, dims).CopyTo(data.AsSpan(i * dims, dims));
                return (data, []);
            }
            default:
                throw new ArgumentException(name, nameof(name));
        }
    }

    private static float[] SortedByFirst(float[] data, int dims)
    {
        int n = data.Length / dims;
        var order = Enumerable.Range(0, n).OrderBy(i => data[i * dims]).ToArray();
        var sorted = new float[data.Length];
        for (int i = 0; i < n; i++) data.AsSpan(order[i] * dims, dims).CopyTo(sorted.AsSpan(i * dims, dims));
        return sorted;
    }
}
