using System.Runtime.CompilerServices;

namespace KMeansPS.Imaging.Png.Deflate;

/// <summary>
/// Where a token stream's deflate blocks should end. Each block carries its own Huffman codes, so a stream whose
/// statistics drift (an image's rows: sky, then texture) is smaller in more blocks, as long as each block's new
/// header pays for itself: zlib's fixed block length (set by memLevel) is one guess at this, and pngquant's files
/// (zlib at memLevel 5, 1,024-symbol blocks) were 0.5-2 % smaller than ours for it (perf/README). Here the stream is
/// cut into segments and a shortest path over segment boundaries picks blocks by an estimate: the entropy of each
/// block's symbols plus a header of a few bits per symbol it uses. (Merging neighbours afterwards by their exact
/// sizes, <see cref="DeflateBlockCoder"/>, saved 117 bytes over those 18 outputs for a sixth of the time: not kept.)
/// </summary>
internal static class DeflateBlockSplitter
{
    /// <summary>Tokens in a segment at least (a block's header is 40-150 bytes; smaller blocks rarely pay).</summary>
    internal const int MinSegmentTokens = 256;

    /// <summary>
    /// Segments at most: the path weighs every pair of boundaries, so its work grows as their square (128 made the 18
    /// outputs of perf/README 0.05 % smaller than 64 and took 1.6 times as long).
    /// </summary>
    internal const int MaxSegments = 64;

    /// <summary>Header bits estimated per symbol a block uses, and per block.</summary>
    private const double HeaderBitsPerSymbol = 4.0, HeaderBitsPerBlock = 70.0;

    /// <summary>
    /// The token indices where blocks start, then the token count: [0, ..., count].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int[] Split(ReadOnlySpan<int> tokens)
    {
        int count = tokens.Length;
        int segmentTokens = Math.Max(MinSegmentTokens, (count + MaxSegments - 1) / MaxSegments);
        int segments = Math.Max(1, (count + segmentTokens - 1) / segmentTokens);
        if (segments == 1) return [0, count];

        // Symbols that occur anywhere, numbered compactly: literal/length ones first, then distances.
        Span<int> literalIndex = stackalloc int[DeflateSymbols.LiteralLengthCount];
        Span<int> distanceIndex = stackalloc int[DeflateSymbols.DistanceCount];
        literalIndex.Fill(-1);
        distanceIndex.Fill(-1);
        foreach (int token in tokens)
        {
            if (token < 256) literalIndex[token] = 0;
            else
            {
                literalIndex[DeflateSymbols.LengthSymbol(token & 511)] = 0;
                distanceIndex[DeflateSymbols.DistanceSymbol(token >> 9)] = 0;
            }
        }
        int used = 0;
        for (int s = 0; s < literalIndex.Length; s++)
            if (literalIndex[s] == 0) literalIndex[s] = used++;
        int literalsUsed = used;
        for (int s = 0; s < distanceIndex.Length; s++)
            if (distanceIndex[s] == 0) distanceIndex[s] = used++;

        // Counts of each symbol before each segment boundary (extra bits are the same however blocks fall).
        var prefix = new int[(segments + 1) * used];
        for (int g = 0; g < segments; g++)
        {
            Span<int> row = prefix.AsSpan((g + 1) * used, used);
            prefix.AsSpan(g * used, used).CopyTo(row);
            int end = Math.Min(count, (g + 1) * segmentTokens);
            for (int t = g * segmentTokens; t < end; t++)
            {
                int token = tokens[t];
                if (token < 256)
                {
                    row[literalIndex[token]]++;
                    continue;
                }
                int lengthSymbol = DeflateSymbols.LengthSymbol(token & 511), distanceSymbol = DeflateSymbols.DistanceSymbol(token >> 9);
                row[literalIndex[lengthSymbol]]++;
                row[distanceIndex[distanceSymbol]]++;
            }
        }

        // Shortest path: best[j] = the cheapest estimate of segments [0, j) in blocks.
        var best = new double[segments + 1];
        var from = new int[segments + 1];
        for (int j = 1; j <= segments; j++)
        {
            best[j] = double.MaxValue;
            ReadOnlySpan<int> end = prefix.AsSpan(j * used, used);
            for (int i = 0; i < j; i++)
            {
                double cost = best[i] + Estimate(prefix.AsSpan(i * used, used), end, literalsUsed);
                if (cost < best[j])
                {
                    best[j] = cost;
                    from[j] = i;
                }
            }
        }
        var starts = new List<int>();
        for (int j = segments; j > 0; j = from[j]) starts.Add(from[j]);
        starts.Reverse();
        starts.Add(segments);

        var result = new int[starts.Count];
        for (int b = 0; b < result.Length; b++) result[b] = Math.Min(count, starts[b] * segmentTokens);
        return result;
    }

    /// <summary>Estimated bits of the block between two boundaries' counts: entropy of its symbols and a header.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Estimate(ReadOnlySpan<int> before, ReadOnlySpan<int> after, int literalsUsed)
    {
        double literalTotal = 1, distanceTotal = 0, sumLiteral = 0, sumDistance = 0;
        int symbols = 1;
        for (int u = 0; u < literalsUsed; u++)
        {
            int f = after[u] - before[u];
            if (f == 0) continue;
            literalTotal += f;
            sumLiteral += XLog2X(f);
            symbols++;
        }
        for (int u = literalsUsed; u < after.Length; u++)
        {
            int f = after[u] - before[u];
            if (f == 0) continue;
            distanceTotal += f;
            sumDistance += XLog2X(f);
            symbols++;
        }
        double bits = literalTotal * Math.Log2(literalTotal) - sumLiteral;
        if (distanceTotal > 0) bits += distanceTotal * Math.Log2(distanceTotal) - sumDistance;
        return bits + HeaderBitsPerBlock + HeaderBitsPerSymbol * symbols;
    }

    private static readonly float[] SmallXLog2X = BuildTable();

    private static float[] BuildTable()
    {
        var table = new float[4096];
        for (int x = 1; x < table.Length; x++) table[x] = (float)(x * Math.Log2(x));
        return table;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double XLog2X(int x) => x < SmallXLog2X.Length ? SmallXLog2X[x] : x * Math.Log2(x);
}
