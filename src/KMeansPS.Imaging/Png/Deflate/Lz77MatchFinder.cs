using System.Runtime.CompilerServices;

namespace KMeansPS.Imaging.Png.Deflate;

/// <summary>
/// Every useful deflate match at every position of a buffer, for <see cref="NearOptimalParser"/>: a binary tree per
/// three-byte hash, of earlier positions sorted by their bytes, with the newest at the root (the structure of LZMA's
/// and libdeflate's binary-tree match finders), walked from the root and keeping each match longer than the ones met
/// before, so a position's list gives, for each length up to its longest, a near distance that reaches it. On a
/// 16-colour photo a chain of every earlier position with the same prefix had to be walked a thousand deep to
/// find what the tree finds in a few dozen steps. A match of
/// the nice length (a setting) or more ends the search there and the positions it covers get no list of their own (only
/// their hashes), which bounds the work on long runs and repeated rows, as zlib and libdeflate do.
/// </summary>
internal sealed class Lz77MatchFinder
{
    /// <summary>Deflate's shortest and longest match, and its window.</summary>
    internal const int MinMatch = 3, MaxMatch = 258, Window = 32768;

    private const int HashBits = 16;

    private readonly int maxChain;
    private readonly int niceLength;

    /// <summary>
    /// A walk meets at most <paramref name="maxChain"/> earlier positions; a match of <paramref name="niceLength"/> or
    /// more is taken as it is.
    /// </summary>
    public Lz77MatchFinder(int maxChain, int niceLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxChain);
        ArgumentOutOfRangeException.ThrowIfLessThan(niceLength, MinMatch);
        this.maxChain = maxChain;
        this.niceLength = Math.Min(niceLength, MaxMatch);
    }

    /// <summary>
    /// The matches of every position of <paramref name="data"/>: position i's are
    /// <paramref name="matches"/>[<paramref name="starts"/>[i] .. <paramref name="starts"/>[i + 1]], each packed as
    /// length | distance &lt;&lt; 16, lengths rising. <paramref name="starts"/> needs data.Length + 1 entries;
    /// <paramref name="matches"/> grows as needed (the caller keeps the array it gets back).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Find(ReadOnlySpan<byte> data, Span<int> starts, ref uint[] matches, CancellationToken cancellationToken = default)
    {
        int n = data.Length;
        int[] head = new int[1 << HashBits];
        Array.Fill(head, -1);
        int[] left = LargeBufferCache.Rent<int>(Math.Max(1, n));
        int[] right = LargeBufferCache.Rent<int>(Math.Max(1, n));
        try
        {
            int count = 0, skipUntil = 0;
            for (int i = 0; i < n; i++)
            {
                starts[i] = count;
                if ((i & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
                if (i + MinMatch > n) continue;
                bool record = i >= skipUntil;
                int best = Insert(data, i, head, left, right, record, ref matches, ref count);
                if (record && best >= niceLength) skipUntil = i + best;
            }
            starts[n] = count;
        }
        finally
        {
            LargeBufferCache.Return(left);
            LargeBufferCache.Return(right);
        }
    }

    /// <summary>
    /// Puts position <paramref name="i"/> at the root of its hash bucket's tree, walking down from the old root: each
    /// node met is hung to the left of the new root if its bytes sort before position i's, to the right if after, so
    /// the tree stays ordered and a walk meets the positions whose bytes share the longest prefix with i's. Records
    /// each match longer than the ones before it when <paramref name="record"/>; returns the longest length.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Insert(ReadOnlySpan<byte> data, int i, int[] head, int[] left, int[] right, bool record, ref uint[] matches, ref int count)
    {
        int hash = Hash(data, i);
        int node = head[hash];
        head[hash] = i;
        int limit = Math.Min(niceLength, data.Length - i);
        ReadOnlySpan<byte> here = data.Slice(i, limit);
        // Where the next node met is to hang: a left link (a smaller node) and a right link (a larger one), and the
        // prefix every node below each is known to share with position i.
        ref int hangSmaller = ref left[i], hangLarger = ref right[i];
        int sharedSmaller = 0, sharedLarger = 0, best = MinMatch - 1, depth = maxChain;
        while (node >= 0 && i - node <= Window && depth-- > 0)
        {
            int shared = Math.Min(sharedSmaller, sharedLarger);
            shared += here[shared..].CommonPrefixLength(data.Slice(node + shared, limit - shared));
            if (shared > best)
            {
                best = shared;
                if (record)
                {
                    if (count == matches.Length) Array.Resize(ref matches, matches.Length * 2);
                    matches[count++] = (uint)shared | ((uint)(i - node) << 16);
                }
                if (shared == limit)
                {
                    // As long as position i for as far as the tree sorts: i takes the node's place and children.
                    hangSmaller = left[node];
                    hangLarger = right[node];
                    return best;
                }
            }
            if (shared == limit) break; // equal up to the limit but no longer than a match already found
            if (data[node + shared] < here[shared])
            {
                hangSmaller = node;
                hangSmaller = ref right[node];
                sharedSmaller = shared;
                node = right[node];
            }
            else
            {
                hangLarger = node;
                hangLarger = ref left[node];
                sharedLarger = shared;
                node = left[node];
            }
        }
        hangSmaller = -1;
        hangLarger = -1;
        return best;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Hash(ReadOnlySpan<byte> data, int i) =>
        (int)(((uint)data[i] << 16 | (uint)data[i + 1] << 8 | data[i + 2]) * 0x9E3779B1u >> (32 - HashBits));
}
