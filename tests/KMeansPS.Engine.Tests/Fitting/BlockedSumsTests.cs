using KMeansPS.Engine.Fitting;
using KMeansPS.Engine.Kernels;
using Xunit;

namespace KMeansPS.Engine.Tests.Fitting;

/// <summary>
/// A chunk whose planes exceed the cache is assigned and summed in blocks (<see cref="FitWorkspace.SumBlockFor"/>);
/// its sums must be the bits of the whole chunk's, also when the chunk's sums were still valid and the first changed
/// label lies in a later block (the blocks before it are then added first).
/// </summary>
public class BlockedSumsTests
{
    [Theory]
    [InlineData(4096, 32, 4096)]   // 512 KiB of planes: one block
    [InlineData(4096, 64, 2048)]
    [InlineData(4096, 100, 1280)]  // multiples of 64 within half of the cached floats
    [InlineData(4096, 128, 1024)]
    [InlineData(8192, 4096, 64)]   // never below 64
    public void Blocks_are_multiples_of_64_within_half_the_cache(int chunk, int dims, int expected)
    {
        if (!PlaneSums.CanTranspose(KMeans.BestInstructionSet, dims)) return; // no planes to keep in cache (ARM, no AVX)
        Assert.Equal(expected, FitWorkspace.SumBlockFor(chunk, dims, KMeans.BestInstructionSet));
        Assert.Equal(chunk, FitWorkspace.SumBlockFor(chunk, dims, InstructionSet.Scalar));
    }

    [Theory]
    [InlineData(64, 3000, false)]
    [InlineData(100, 1300, true)]  // the second of four blocks; a ragged coordinate tail (96 + 4)
    [InlineData(128, 4095, false)] // the chunk's last point
    public void A_change_in_a_later_block_of_a_valid_chunk_gives_the_sums_made_afresh(int dims, int moved, bool weighted)
    {
        // Points near the origin, except one far out between centres 1 and 2; moving centre 2 moves that one point only.
        const int n = 9000, k = 3;
        float[] data = FitTestData.Blobs(n, dims, 4, seed: (ulong)dims, spread: 0.1);
        for (int i = 0; i < data.Length; i++) data[i] *= 0.05f;
        for (int d = 0; d < dims; d++) data[moved * dims + d] = 100;
        float[] weights = weighted ? FitTestData.Weights(n, 3) : [];
        float[] before = Centres(dims, 0, 90, 111);
        float[] after = Centres(dims, 0, 90, 109);

        PointSet points = PointSet.FromRows(data, dims, weights, degree: 2, TestContext.Current.CancellationToken);
        points.UseChunkSize(ChunkScheduler.ChunkSizeFor(n, k, dims));
        KernelSet kernels = KernelSet.Create(null);
        var twice = new FitWorkspace(points, k, kernels, 2, TestContext.Current.CancellationToken);
        twice.AssignAll(before, accumulate: true);
        Assert.Equal(1, twice.Labels[moved]);
        var (_, changed) = twice.AssignAll(after, accumulate: true);
        Assert.Equal(1, changed);
        Assert.Equal(2, twice.Labels[moved]);

        var afresh = new FitWorkspace(points, k, kernels, 2, TestContext.Current.CancellationToken);
        afresh.AssignAll(after, accumulate: true);
        double[] expected = afresh.PartialSums.ToArray(), actual = twice.PartialSums.ToArray();
        for (int j = 0; j < expected.Length; j++)
        {
            if (BitConverter.DoubleToInt64Bits(expected[j]) != BitConverter.DoubleToInt64Bits(actual[j]))
                Assert.Fail($"slot {j}: {actual[j]:R} after two passes, {expected[j]:R} afresh (D = {dims}, point {moved} moved)");
        }
        // And the sums are the points': centre 2's weight is the moved point's.
        int chunk = moved / points.ChunkSize, stride = dims + 1;
        Assert.Equal(weighted ? weights[moved] : 1.0, actual[chunk * k * stride + 2 * stride + dims]);
    }

    [Theory]
    [InlineData(64, 12, KMeansAlgorithm.Lloyd, true)]
    [InlineData(100, 6, KMeansAlgorithm.Auto, false)]
    [InlineData(128, 5, KMeansAlgorithm.Hamerly, true)]
    public void A_fit_in_blocks_gives_the_scalar_bits_at_every_width(int dims, int k, KMeansAlgorithm algorithm, bool weighted)
    {
        const int n = 5000; // a whole chunk in blocks and a ragged one (the emulated arm64 leg runs this too)
        float[] data = FitTestData.Blobs(n, dims, k + 2, seed: (ulong)(dims + k), spread: 3);
        float[] weights = weighted ? FitTestData.Weights(n, 7) : [];
        KMeansResult Run(InstructionSet isa, int threads) => KMeans.Fit(data, dims, weights,
            new KMeansOptions { K = k, Seed = 3, Algorithm = algorithm, MaxInstructionSet = isa, MaxDegreeOfParallelism = threads, MaxIterations = 12 },
            TestContext.Current.CancellationToken);
        KMeansResult scalar = Run(InstructionSet.Scalar, 1);
        Assert.True(scalar.Iterations > 1);
        foreach (InstructionSet isa in Kernels.KernelWidths.FitCaps())
        {
            FitAssert.Identical(scalar, Run(isa, 2), $"{isa}, two threads, vs Scalar");
        }
        FitAssert.Identical(scalar, Run(KMeans.BestInstructionSet, 3), "three threads vs Scalar");
    }

    [Fact]
    public async Task Collections_during_a_fit_do_not_change_its_bits()
    {
        // A chunk's sums are added by several calls (block by block, then stored) through a pointer to a worker's
        // copies found once, at a 64-byte boundary: if the collector could move the copies in between, the sums would
        // land in the wrong place. Unpinned, this failed in 3 of 8 runs of 60 rounds. Under emulation (the arm64 legs)
        // a round costs about a second, so those legs run fewer; the four x64 legs run all 60.
        const int n = 5000, dims = 64, k = 7;
        float[] data = FitTestData.Blobs(n, dims, k, seed: 11, spread: 3);
        KMeansResult Run() => KMeans.Fit(data, dims, [], new KMeansOptions { K = k, Seed = 4, Algorithm = KMeansAlgorithm.Lloyd, MaxIterations = 15 },
            TestContext.Current.CancellationToken);
        KMeansResult quiet = Run();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        Task collector = Task.Run(() =>
        {
            var junk = new List<byte[]>();
            while (!stop.IsCancellationRequested)
            {
                for (int i = 0; i < 63 + (junk.Count & 1); i++) junk.Add(new byte[1024]); // something to compact around
                if (junk.Count > 4096) junk.RemoveRange(0, 2048);
                GC.Collect(junk.Count & 1, GCCollectionMode.Forced, blocking: true, compacting: true);
            }
        }, TestContext.Current.CancellationToken);
        try
        {
            int rounds = Environment.GetEnvironmentVariable("KMEANSPS_EMULATED") == "1" ? 12 : 60;
            for (int round = 0; round < rounds; round++) FitAssert.Identical(quiet, Run(), $"round {round}, collections running");
        }
        finally
        {
            await stop.CancelAsync();
            await collector;
        }
    }

    private static float[] Centres(int dims, float a, float b, float c)
    {
        var centres = new float[3 * dims];
        for (int d = 0; d < dims; d++)
        {
            centres[d] = a;
            centres[dims + d] = b;
            centres[2 * dims + d] = c;
        }
        return centres;
    }
}
