using System.Runtime.CompilerServices;

namespace KMeansPS.Imaging.Png.Deflate;

/// <summary>
/// An LZ77 parse of a buffer into deflate tokens (<see cref="DeflateToken"/>) that is near the fewest bits, where
/// zlib's is greedy with one step of look-ahead: every match of every position (<see cref="Lz77MatchFinder"/>) and
/// every length of it is weighed by a shortest path from the end of the buffer, each token costed by a model of
/// the codes (bits per literal, length and distance symbol, and their extra bits). The first model comes from the
/// longest-match parse, each later one from the previous parse's own symbol counts, as libdeflate's near-optimal
/// levels and zopfli do; the codes that are finally written are the block coder's (<see cref="DeflateBlockCoder"/>).
/// Deterministic: the tokens depend only on the bytes and the settings. Costs are in sixteenths of a bit.
/// </summary>
internal sealed class NearOptimalParser
{
    private const int Scale = 16;

    /// <summary>
    /// Tree nodes a match search meets at most. A walk cut short drops the older part of its tree, which on flat
    /// images (long runs make the trees deep) cost far more than it saved: the debian logo's 16-colour scanlines were
    /// 37,895 bytes at 128 and 33,858 at 512 (zlib's with redrawn blocks: 35,776), in about the same time, because
    /// walks that long are rare elsewhere (`KMeansPS.Benchmarks deflate`, perf/README).
    /// </summary>
    internal const int DefaultDepth = 512;

    /// <summary>What a symbol that the model's parse did not use is taken to cost, in bits.</summary>
    private const int UnusedSymbolBits = 14;

    private readonly Lz77MatchFinder finder;
    private readonly int passes;
    private readonly HuffmanCodeLengths huffman = new();
    private readonly int[] literalCost = new int[256];
    private readonly int[] lengthCost = new int[Lz77MatchFinder.MaxMatch + 1];
    private readonly int[] distanceSymbolCost = new int[DeflateSymbols.DistanceCount];
    private readonly int[] literalFrequencies = new int[DeflateSymbols.LiteralLengthCount];
    private readonly int[] distanceFrequencies = new int[DeflateSymbols.DistanceCount];
    private readonly byte[] literalLengths = new byte[DeflateSymbols.LiteralLengthCount];
    private readonly byte[] distanceLengths = new byte[DeflateSymbols.DistanceCount];

    /// <summary>
    /// A parser whose match search walks <paramref name="maxChain"/> positions at most, takes a match of
    /// <paramref name="niceLength"/> as found, and costs the tokens <paramref name="passes"/> times (each pass after
    /// the first with the codes of the one before).
    /// </summary>
    public NearOptimalParser(int maxChain = DefaultDepth, int niceLength = Lz77MatchFinder.MaxMatch, int passes = 3)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(passes);
        finder = new Lz77MatchFinder(maxChain, niceLength);
        this.passes = passes;
    }

    /// <summary>
    /// Bytes parsed apart, so a band's parse runs on several threads: each part is parsed with the window before it
    /// in the match trees, so only matches across a part's end are lost (each part's first model its own counts).
    /// The parts depend only on the length, so the tokens are the same on any number of threads.
    /// </summary>
    internal const int PartBytes = 1 << 18;

    /// <summary>
    /// The tokens of the first <paramref name="length"/> bytes of <paramref name="buffer"/>, in order, parsed in parts
    /// of <see cref="PartBytes"/> on up to <paramref name="threads"/> threads; they stand for exactly those bytes.
    /// </summary>
    public static uint[] ParseParts(byte[] buffer, int length, int threads, CancellationToken cancellationToken = default)
    {
        int parts = Math.Max(1, (length + PartBytes - 1) / PartBytes);
        var tokens = new uint[parts][];
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads), CancellationToken = cancellationToken };
        Parallel.For(0, parts, options, part =>
        {
            int from = part * PartBytes, to = Math.Min(length, from + PartBytes);
            tokens[part] = new NearOptimalParser().Parse(buffer.AsSpan(0, to), from, cancellationToken);
        });
        if (parts == 1) return tokens[0];
        var all = new uint[tokens.Sum(t => t.Length)];
        int at = 0;
        foreach (uint[] part in tokens)
        {
            part.CopyTo(all, at);
            at += part.Length;
        }
        return all;
    }

    /// <summary>
    /// The most bytes one <see cref="Parse(ReadOnlySpan{byte}, int, CancellationToken)"/> takes: a path's cost, at most
    /// 256 sixteenths of a bit a byte (a 15-bit literal, or a 48-bit match of 3 bytes), stays within an int.
    /// </summary>
    internal const int MaxBytes = 1 << 23;

    /// <summary>The tokens of <paramref name="data"/>, in order; they stand for exactly its bytes.</summary>
    public uint[] Parse(ReadOnlySpan<byte> data, CancellationToken cancellationToken = default) => Parse(data, 0, cancellationToken);

    /// <summary>
    /// The tokens of <paramref name="data"/> from <paramref name="from"/> on, in order; they stand for exactly those
    /// bytes, and their matches may reach back into the bytes before <paramref name="from"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public uint[] Parse(ReadOnlySpan<byte> data, int from, CancellationToken cancellationToken = default)
    {
        int n = data.Length - from;
        if (n <= 0) return [];
        ArgumentOutOfRangeException.ThrowIfGreaterThan(n, MaxBytes, nameof(data));
        ReadOnlySpan<byte> part = data[from..];
        int[] starts = LargeBufferCache.Rent<int>(n + 1);
        // Find may grow the list into an array of its own: only the rented one goes back to the cache.
        uint[] rented = LargeBufferCache.Rent<uint>(Math.Max(1024, n));
        uint[] matches = rented;
        int[] cost = LargeBufferCache.Rent<int>(n + 1);
        uint[] choice = LargeBufferCache.Rent<uint>(n); // length | distance << 16, or 1 for a literal
        try
        {
            finder.Find(data, from, starts, ref matches, cancellationToken);

            // The first model: the counts of the parse that always takes the longest match.
            Array.Clear(literalFrequencies);
            Array.Clear(distanceFrequencies);
            for (int i = 0; i < n;)
            {
                int first = starts[i], end = starts[i + 1];
                if (end == first)
                {
                    literalFrequencies[part[i]]++;
                    i++;
                    continue;
                }
                uint longest = matches[end - 1];
                CountMatch((int)(longest & 0xFFFF), (int)(longest >> 16));
                i += (int)(longest & 0xFFFF);
            }

            for (int pass = 0; pass < passes; pass++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                BuildModel();
                ShortestPath(part, starts, matches, cost, choice);
                if (pass + 1 == passes) break;
                Array.Clear(literalFrequencies);
                Array.Clear(distanceFrequencies);
                for (int i = 0; i < n;)
                {
                    uint c = choice[i];
                    int length = (int)(c & 0xFFFF);
                    if (length == 1) literalFrequencies[part[i]]++;
                    else CountMatch(length, (int)(c >> 16));
                    i += length;
                }
            }

            int tokens = 0;
            for (int i = 0; i < n; i += (int)(choice[i] & 0xFFFF)) tokens++;
            var result = new uint[tokens];
            tokens = 0;
            for (int i = 0; i < n;)
            {
                uint c = choice[i];
                int length = (int)(c & 0xFFFF);
                result[tokens++] = length == 1 ? part[i] : DeflateToken.Match(length, (int)(c >> 16));
                i += length;
            }
            return result;
        }
        finally
        {
            LargeBufferCache.Return(starts);
            LargeBufferCache.Return(rented);
            LargeBufferCache.Return(cost);
            LargeBufferCache.Return(choice);
        }
    }

    private void CountMatch(int length, int distance)
    {
        literalFrequencies[DeflateSymbols.LengthSymbol(length)]++;
        distanceFrequencies[DeflateSymbols.DistanceSymbol(distance)]++;
    }

    /// <summary>Bits per literal, per match length and per distance symbol from the counts, as Huffman codes would spend them.</summary>
    private void BuildModel()
    {
        literalFrequencies[DeflateSymbols.EndOfBlock] = 1;
        huffman.Compute(literalFrequencies, 15, literalLengths);
        huffman.Compute(distanceFrequencies, 15, distanceLengths);
        for (int b = 0; b < 256; b++) literalCost[b] = Bits(literalLengths[b]) * Scale;
        for (int length = Lz77MatchFinder.MinMatch; length <= Lz77MatchFinder.MaxMatch; length++)
        {
            int symbol = DeflateSymbols.LengthSymbol(length);
            lengthCost[length] = (Bits(literalLengths[symbol]) + DeflateSymbols.LengthExtra[symbol - 257]) * Scale;
        }
        for (int s = 0; s < DeflateSymbols.DistanceCount; s++)
            distanceSymbolCost[s] = (Bits(distanceLengths[s]) + DeflateSymbols.DistanceExtra[s]) * Scale;

        static int Bits(byte length) => length == 0 ? UnusedSymbolBits : length;
    }

    /// <summary>
    /// cost[i]: the fewest bits from position i to the end under the model; choice[i]: the token that starts the path
    /// (a literal as 1, a match as its length and distance).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ShortestPath(ReadOnlySpan<byte> data, int[] starts, uint[] matches, int[] cost, uint[] choice)
    {
        int n = data.Length;
        ReadOnlySpan<int> lengths = lengthCost;
        cost[n] = 0;
        for (int i = n - 1; i >= 0; i--)
        {
            int best = literalCost[data[i]] + cost[i + 1];
            uint bestChoice = 1;
            int shorter = Lz77MatchFinder.MinMatch - 1;
            for (int m = starts[i], end = starts[i + 1]; m < end; m++)
            {
                uint match = matches[m];
                int longest = (int)(match & 0xFFFF), distance = (int)(match >> 16);
                int distanceCost = distanceSymbolCost[DeflateSymbols.DistanceSymbol(distance)];
                for (int length = shorter + 1; length <= longest; length++)
                {
                    int c = lengths[length] + distanceCost + cost[i + length];
                    if (c < best)
                    {
                        best = c;
                        bestChoice = (uint)length | ((uint)distance << 16);
                    }
                }
                shorter = longest;
            }
            cost[i] = best;
            choice[i] = bestChoice;
        }
    }
}
