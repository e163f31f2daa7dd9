using KMeansPS.Imaging.Png.Deflate;

namespace KMeansPS.Imaging.Tests.Png.Deflate;

/// <summary>Length-limited code lengths: complete, within the limit, and as short in total as an unlimited Huffman code when the limit does not bind.</summary>
public class HuffmanCodeLengthsTests
{
    public static TheoryData<int, int> Seeds() => new() { { 1, 286 }, { 2, 30 }, { 3, 19 }, { 4, 2 }, { 5, 3 }, { 6, 100 } };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Lengths_are_a_complete_code_of_least_total_bits(int seed, int symbols)
    {
        var random = new Random(seed);
        var frequencies = new int[symbols];
        for (int s = 0; s < symbols; s++) frequencies[s] = random.Next(4) == 0 ? 0 : random.Next(1, 1 + (1 << random.Next(6)));
        frequencies[0] = Math.Max(1, frequencies[0]);
        frequencies[^1] = Math.Max(1, frequencies[^1]);
        var lengths = new byte[symbols];
        new HuffmanCodeLengths().Compute(frequencies, 15, lengths);

        Assert.Equal(1.0, Kraft(lengths), 12);
        for (int s = 0; s < symbols; s++) Assert.Equal(frequencies[s] == 0, lengths[s] == 0);
        long unlimited = HuffmanCost(frequencies, out int depth);
        Assert.True(depth <= 15); // frequencies within a factor of 64 never need more
        Assert.Equal(unlimited, Cost(frequencies, lengths));
    }

    [Fact]
    public void A_binding_limit_is_kept_and_the_code_stays_complete()
    {
        // Fibonacci frequencies make a Huffman code as deep as there are symbols.
        var frequencies = new int[19];
        frequencies[0] = frequencies[1] = 1;
        for (int s = 2; s < frequencies.Length; s++) frequencies[s] = frequencies[s - 1] + frequencies[s - 2];
        var lengths = new byte[19];
        new HuffmanCodeLengths().Compute(frequencies, 7, lengths);
        Assert.True(lengths.Max() <= 7);
        Assert.Equal(1.0, Kraft(lengths), 12);
        HuffmanCost(frequencies, out int depth);
        Assert.True(depth > 7);
        // No code within the limit is shorter: against every way to lengthen the unlimited code's deepest leaves,
        // checked here by a simple bound: the limited cost is at least the unlimited one and within 10 % of it.
        long limited = Cost(frequencies, lengths), unlimited = HuffmanCost(frequencies, out _);
        Assert.InRange(limited, unlimited + 1, unlimited * 11 / 10);
    }

    [Fact]
    public void One_symbol_gets_one_bit_and_none_gets_nothing()
    {
        var lengths = new byte[5];
        var coder = new HuffmanCodeLengths();
        coder.Compute(new[] { 0, 0, 7, 0, 0 }, 15, lengths);
        Assert.Equal(new byte[] { 0, 0, 1, 0, 0 }, lengths);
        coder.Compute(new int[5], 15, lengths);
        Assert.All(lengths, l => Assert.Equal(0, l));
    }

    private static double Kraft(byte[] lengths) => lengths.Where(l => l > 0).Sum(l => Math.Pow(2, -l));

    private static long Cost(int[] frequencies, byte[] lengths) => frequencies.Select((f, s) => (long)f * lengths[s]).Sum();

    /// <summary>An unlimited Huffman code's total bits (the sum of its merged weights) and its depth.</summary>
    private static long HuffmanCost(int[] frequencies, out int depth)
    {
        var queue = new PriorityQueue<(long Weight, int Depth), long>();
        foreach (int f in frequencies.Where(f => f > 0)) queue.Enqueue((f, 0), f);
        long total = 0;
        depth = 0;
        while (queue.Count > 1)
        {
            var a = queue.Dequeue();
            var b = queue.Dequeue();
            long w = a.Weight + b.Weight;
            total += w;
            int d = Math.Max(a.Depth, b.Depth) + 1;
            depth = Math.Max(depth, d);
            queue.Enqueue((w, d), w);
        }
        return total;
    }
}
