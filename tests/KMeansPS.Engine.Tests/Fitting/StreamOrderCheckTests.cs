using KMeansPS.Engine.Random;
using Xunit;

namespace KMeansPS.Engine.Tests.Fitting;

public class StreamOrderCheckTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Rows around <paramref name="clusters"/> random centres, each row's cluster beside it, in random order.</summary>
    private static (float[] Rows, int[] Cluster) Clustered(int n, int dims, int clusters, double spread, ulong seed)
    {
        var rng = new DeterministicRandom(seed);
        var centres = new double[clusters * dims];
        for (int i = 0; i < centres.Length; i++) centres[i] = rng.NextDouble() * 20 - 10;
        var rows = new float[n * dims];
        var cluster = new int[n];
        for (int i = 0; i < n; i++)
        {
            // Unequal sizes: cluster c drawn with weight c + 1.
            int c = (int)Math.Sqrt(rng.NextDouble() * clusters * clusters);
            cluster[i] = c;
            for (int d = 0; d < dims; d++) rows[i * dims + d] = (float)(centres[c * dims + d] + spread * rng.NextGaussian());
        }
        return (rows, cluster);
    }

    private static float[] SortedBy(float[] rows, int dims, int[] key)
    {
        int[] order = Enumerable.Range(0, key.Length).OrderBy(i => key[i]).ThenBy(i => i).ToArray();
        var sorted = new float[rows.Length];
        for (int i = 0; i < order.Length; i++) rows.AsSpan(order[i] * dims, dims).CopyTo(sorted.AsSpan(i * dims));
        return sorted;
    }

    private static MiniBatchStream Run(float[] rows, int dims, int k, int batch, float[]? weights = null, ulong seed = 3)
    {
        var stream = new MiniBatchStream(dims, new KMeansOptions { K = k, Seed = seed, MaxDegreeOfParallelism = 1 });
        int n = rows.Length / dims, start = Math.Min(n, Math.Max(3 * batch, 3 * k));
        ReadOnlySpan<float> w = weights ?? [];
        stream.Start(rows.AsSpan(0, start * dims), w.IsEmpty ? w : w[..start], Ct);
        for (int from = start; from < n; from += batch)
        {
            int count = Math.Min(batch, n - from);
            // A batch of nothing but zero weights moves no centre; Invoke-KMeans -Stream does not hand it over.
            if (!w.IsEmpty && !w.Slice(from, count).ContainsAnyExcept(0f)) continue;
            stream.PartialFit(rows.AsSpan(from * dims, count * dims), w.IsEmpty ? w : w.Slice(from, count), Ct);
        }
        return stream;
    }

    public static TheoryData<int, int, int, int, double> Shapes => new()
    {
        // dims, K asked, clusters in the data, batch, spread (1: apart; 6: overlapping)
        { 2, 3, 3, 256, 1 },
        { 2, 5, 8, 100, 6 },
        { 3, 16, 16, 1024, 1 },
        { 5, 8, 3, 64, 2 },
        { 8, 64, 40, 512, 1 },
        { 16, 32, 32, 1024, 6 },
        { 3, 256, 100, 1024, 1 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Rows_in_random_order_give_no_far_batch_and_sorted_rows_do(int dims, int k, int clusters, int batch, double spread)
    {
        for (ulong seed = 1; seed <= 4; seed++)
        {
            (float[] rows, int[] cluster) = Clustered(60_000, dims, clusters, spread, seed * 7 + (ulong)dims);
            MiniBatchStream shuffled = Run(rows, dims, k, batch, seed: seed);
            Assert.True(shuffled.Order.Batches > 10);
            Assert.True(shuffled.Order.FarBatches == 0,
                $"seed {seed}: {shuffled.Order.FarBatches} of {shuffled.Order.Batches} batches far in random order, the first {shuffled.Order.FirstFar}");

            MiniBatchStream sorted = Run(SortedBy(rows, dims, cluster), dims, k, batch, seed: seed);
            Assert.True(sorted.Order.FarBatches > 0, $"seed {seed}: rows sorted by cluster gave no far batch");
        }
    }

    [Fact]
    public void Weighted_rows_in_random_order_give_no_far_batch()
    {
        (float[] rows, _) = Clustered(40_000, 3, 6, 1, 11);
        float[] weights = FitTestData.Weights(40_000, 12);
        Assert.Equal(0, Run(rows, 3, 6, 500, weights).Order.FarBatches);
    }

    [Fact]
    public void Rows_that_drift_over_time_are_far()
    {
        // The colours of a left-to-right gradient, row after row: red rises from 0 to 255 over the stream.
        float[] rows = FitTestData.Colours(50_000, 5);
        MiniBatchStream stream = Run(rows, 3, 8, 1024);
        Assert.True(stream.Order.FarBatches > 0);
        Assert.NotNull(stream.Order.FirstFar);
        (int batch, double share, double bound) = stream.Order.FirstFar!.Value;
        Assert.InRange(batch, 1, stream.Order.Batches);
        Assert.True(share >= StreamOrderCheck.MinShare && share > bound);
    }

    [Fact]
    public void Rows_of_zero_weight_do_not_count_wherever_they_come()
    {
        // The last third of the stream weighs nothing and all lies in one place: it moves no centre, so it is no drift.
        (float[] rows, _) = Clustered(30_000, 2, 4, 1, 21);
        float[] weights = Enumerable.Repeat(1f, 30_000).ToArray();
        for (int i = 20_000; i < 30_000; i++)
        {
            weights[i] = 0;
            rows[2 * i] = 50;
            rows[2 * i + 1] = 50;
        }
        MiniBatchStream stream = Run(rows, 2, 4, 1000, weights);
        Assert.Equal(0, stream.Order.FarBatches);
        Assert.Equal(17, stream.Order.Batches); // the 10 batches of zero weight are not looked at

        // The same rows weighing 1 are a batch far from all before it.
        Array.Fill(weights, 1f);
        Assert.True(Run(rows, 2, 4, 1000, weights).Order.FarBatches > 0);
    }

    [Fact]
    public void A_batch_of_a_few_rows_is_never_far()
    {
        var check = new StreamOrderCheck(2);
        check.Begin(Enumerable.Repeat(0, 5000).ToArray(), []);
        // Every row of these batches in the cluster no earlier row was in: the largest share there is, on too few rows to tell.
        Assert.False(check.Observe([1, 1, 1, 1, 1, 1, 1, 1], []));
        Assert.Equal(0, check.FarBatches);
        Assert.True(check.Observe(Enumerable.Repeat(1, 100).ToArray(), []));
        Assert.Equal(2, check.FirstFar!.Value.Batch);
        Assert.InRange(check.FirstFar.Value.Share, 0.998, 1); // all but the 8 earlier rows of cluster 1
    }
}
