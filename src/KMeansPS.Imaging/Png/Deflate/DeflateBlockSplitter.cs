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
    internal const int MinSegmentTokens = 512;

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
    public static int[] Split(ReadOnlySpan<uint> tokens)
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
        foreach (uint token in tokens)
        {
            literalIndex[DeflateToken.LiteralLengthSymbol(token)] = 0;
            if (!DeflateToken.IsLiteral(token)) distanceIndex[DeflateToken.DistanceSymbol(token)] = 0;
        }
        int used = 0;
        for (int s = 0; s < literalIndex.Length; s++)
            if (literalIndex[s] == 0) literalIndex[s] = used++;
        int literalsUsed = used;
        for (int s = 0; s < distanceIndex.Length; s++)
            if (distanceIndex[s] == 0) distanceIndex[s] = used++;

        // Each segment's symbols as (compact symbol, count) pairs, the nonzero ones only (extra bits are the same
        // however blocks fall, so they are left out).
        // Within a segment the literal/length pairs come first, up to distanceStart.
        var pairStart = new int[segments + 1];
        var distanceStart = new int[segments];
        var literalCounts = new int[segments];
        var distanceCounts = new int[segments];
        var pairSymbols = new int[segments * used];
        var pairCounts = new int[segments * used];
        int pairCount = 0;
        var counts = new int[used];
        for (int g = 0; g < segments; g++)
        {
            int end = Math.Min(count, (g + 1) * segmentTokens);
            for (int t = g * segmentTokens; t < end; t++)
            {
                uint token = tokens[t];
                counts[literalIndex[DeflateToken.LiteralLengthSymbol(token)]]++;
                if (!DeflateToken.IsLiteral(token)) counts[distanceIndex[DeflateToken.DistanceSymbol(token)]]++;
            }
            for (int u = 0; u < used; u++)
            {
                if (u == literalsUsed) distanceStart[g] = pairCount;
                if (counts[u] == 0) continue;
                if (u < literalsUsed) literalCounts[g] += counts[u];
                else distanceCounts[g] += counts[u];
                pairSymbols[pairCount] = u;
                pairCounts[pairCount++] = counts[u];
                counts[u] = 0;
            }
            if (used == literalsUsed) distanceStart[g] = pairCount;
            pairStart[g + 1] = pairCount;
        }

        // Shortest path: best[j] = the cheapest estimate of segments [0, j) in blocks. From each start i (whose best
        // is final once every earlier start has been tried) the block grows a segment at a time, its entropy terms
        // updated for that segment's symbols only.
        var best = new double[segments + 1];
        var from = new int[segments + 1];
        Array.Fill(best, double.MaxValue);
        best[0] = 0;
        var terms = new double[used]; // each symbol's f log2 f in the growing block
        for (int i = 0; i < segments; i++)
        {
            Array.Clear(counts);
            Array.Clear(terms);
            int literalTotal = 1, distanceTotal = 0; // the end-of-block symbol counted
            double literalSum = 0, distanceSum = 0;
            int symbols = 1;
            for (int j = i + 1; j <= segments; j++)
            {
                int g = j - 1;
                for (int p = pairStart[g]; p < distanceStart[g]; p++)
                {
                    int u = pairSymbols[p], before = counts[u], after = before + pairCounts[p];
                    counts[u] = after;
                    symbols += before == 0 ? 1 : 0;
                    double term = XLog2X(after);
                    literalSum += term - terms[u];
                    terms[u] = term;
                }
                for (int p = distanceStart[g]; p < pairStart[j]; p++)
                {
                    int u = pairSymbols[p], before = counts[u], after = before + pairCounts[p];
                    counts[u] = after;
                    symbols += before == 0 ? 1 : 0;
                    double term = XLog2X(after);
                    distanceSum += term - terms[u];
                    terms[u] = term;
                }
                literalTotal += literalCounts[g];
                distanceTotal += distanceCounts[g];
                double bits = XLog2X(literalTotal) - literalSum + HeaderBitsPerBlock + HeaderBitsPerSymbol * symbols;
                if (distanceTotal > 0) bits += XLog2X(distanceTotal) - distanceSum;
                double cost = best[i] + bits;
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

    /// <summary>
    /// log2(1 + i / 4096): with an integer's exponent, its log2 to about 12 bits, enough for an estimate. Built from
    /// the atanh series with IEEE additions, multiplications and divisions only, and read without calling the C
    /// library's log2, whose last bit may differ between platforms: the blocks, and so the file, are the same
    /// everywhere.
    /// </summary>
    private static readonly double[] Log2Fraction = BuildLog2Fraction();

    private static double[] BuildLog2Fraction()
    {
        const double TwoOverLn2 = 2.8853900817779268; // 2 / ln 2
        var table = new double[4096];
        for (int i = 0; i < table.Length; i++)
        {
            double f = i / 4096.0, z = f / (2 + f), z2 = z * z, term = z, sum = 0;
            for (int k = 0; k < 40; k++)
            {
                sum += term / (2 * k + 1);
                term *= z2;
            }
            table[i] = TwoOverLn2 * sum;
        }
        return table;
    }

    /// <summary>x log2 x for x >= 0 (0 for 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double XLog2X(int x)
    {
        if (x <= 1) return 0;
        int exponent = 31 - System.Numerics.BitOperations.LeadingZeroCount((uint)x);
        int fraction = exponent >= 12 ? (x >> (exponent - 12)) & 4095 : (x << (12 - exponent)) & 4095;
        return x * (exponent + Log2Fraction[fraction]);
    }
}
