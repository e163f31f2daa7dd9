using System.Runtime.CompilerServices;

namespace KMeansPS.Imaging.Png.Deflate;

/// <summary>
/// Optimal code lengths under a length limit (package-merge): the fewest total bits for the given frequencies with
/// no code longer than the limit. Deterministic: ties go by symbol. Reuses its scratch between calls (one instance
/// per thread).
/// </summary>
internal sealed class HuffmanCodeLengths
{
    private readonly int[] symbols = new int[DeflateSymbols.LiteralLengthCount + 2];
    private readonly long[] sortKeys = new long[DeflateSymbols.LiteralLengthCount + 2];
    private readonly long[] leafWeights = new long[DeflateSymbols.LiteralLengthCount + 2];
    private long[] current = new long[2 * (DeflateSymbols.LiteralLengthCount + 2)];
    private long[] next = new long[2 * (DeflateSymbols.LiteralLengthCount + 2)];
    private readonly bool[][] isLeaf = new bool[15][];
    private readonly int[] listLength = new int[15];

    public HuffmanCodeLengths()
    {
        for (int j = 0; j < isLeaf.Length; j++) isLeaf[j] = new bool[2 * (DeflateSymbols.LiteralLengthCount + 2)];
    }

    /// <summary>
    /// Lengths for <paramref name="frequencies"/> into <paramref name="lengths"/> (0 for unused symbols). One used
    /// symbol gets length 1; deflate wants complete codes, so callers give at least two symbols a frequency.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Compute(ReadOnlySpan<int> frequencies, int limit, Span<byte> lengths)
    {
        lengths[..frequencies.Length].Clear();
        int n = 0;
        for (int s = 0; s < frequencies.Length; s++)
            if (frequencies[s] > 0) symbols[n++] = s;
        if (n == 0) return;
        if (n == 1)
        {
            lengths[symbols[0]] = 1;
            return;
        }
        // By frequency, then symbol (frequencies fit in 32 bits, symbols in 9).
        for (int i = 0; i < n; i++) sortKeys[i] = ((long)frequencies[symbols[i]] << 9) | (uint)symbols[i];
        Array.Sort(sortKeys, 0, n);
        for (int i = 0; i < n; i++) symbols[i] = (int)(sortKeys[i] & 511);
        for (int i = 0; i < n; i++) leafWeights[i] = frequencies[symbols[i]];

        // List at depth `limit` (index limit - 1) is the leaves; each shallower list merges the leaves with the
        // pairs of the deeper list, leaves first among equals.
        int deepest = limit - 1;
        for (int i = 0; i < n; i++)
        {
            current[i] = leafWeights[i];
            isLeaf[deepest][i] = true;
        }
        listLength[deepest] = n;
        for (int level = deepest - 1; level >= 0; level--)
        {
            int pairs = listLength[level + 1] / 2, a = 0, b = 0, k = 0;
            bool[] flags = isLeaf[level];
            while (a < n || b < pairs)
            {
                long pair = b < pairs ? current[2 * b] + current[2 * b + 1] : long.MaxValue;
                if (a < n && leafWeights[a] <= pair)
                {
                    next[k] = leafWeights[a++];
                    flags[k++] = true;
                }
                else
                {
                    next[k] = pair;
                    flags[k++] = false;
                    b++;
                }
            }
            listLength[level] = k;
            (current, next) = (next, current);
        }

        // The first 2n - 2 items of the top list; a leaf among the first m items of a list gains one bit, and the
        // p pairs among them take the first 2p items of the list below.
        int take = 2 * n - 2;
        for (int level = 0; level < limit && take > 0; level++)
        {
            int leaves = 0;
            bool[] flags = isLeaf[level];
            for (int i = 0; i < take; i++)
                if (flags[i]) leaves++;
            for (int i = 0; i < leaves; i++) lengths[symbols[i]]++;
            take = 2 * (take - leaves);
        }
    }
}
