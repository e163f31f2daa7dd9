using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KMeansPS.Imaging.Png.Deflate;

/// <summary>
/// Every useful deflate match at every position of a buffer, for <see cref="NearOptimalParser"/>: a binary tree per
/// three-byte hash, of earlier positions sorted by their bytes, with the newest at the root (the structure of LZMA's
/// and libdeflate's binary-tree match finders), walked from the root and keeping each match longer than the ones met
/// before, so a position's list gives, for each length up to its longest, a near distance that reaches it. On a
/// 16-colour photo a chain of every earlier position with the same prefix had to be walked a thousand deep to
/// find what the tree finds in a few dozen steps. A match of
/// the nice length (a setting) or more ends the search there and the positions it covers get no list of their own
/// (they are still put in the trees, with a walk that records nothing), which bounds the lists on long runs and
/// repeated rows, as zlib and libdeflate do.
/// </summary>
internal sealed class Lz77MatchFinder
{
    /// <summary>Deflate's shortest and longest match, and its window (matches found are nearer than a whole window, at most 32,767 back).</summary>
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
    /// The matches of every position of <paramref name="data"/> from <paramref name="from"/> on, none reaching past its
    /// end: position i's are <paramref name="matches"/>[<paramref name="starts"/>[i - from] .. <paramref name="starts"/>[i - from + 1]],
    /// each packed as length | distance &lt;&lt; 16, lengths rising; they may reach back before <paramref name="from"/>
    /// (the window's positions before it are put in the trees first, without lists). <paramref name="starts"/> needs
    /// data.Length - from + 1 entries; <paramref name="matches"/> grows as needed (the caller keeps the array it gets back).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Find(ReadOnlySpan<byte> data, int from, Span<int> starts, ref uint[] matches, CancellationToken cancellationToken = default)
    {
        int n = data.Length;
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)from, (uint)n, nameof(from));
        int[] head = new int[1 << HashBits];
        Array.Fill(head, -1);
        // A node's two links side by side, one slot per position of the window (a position's slot is reused a window
        // later, when no walk can reach it any more): 256 KiB that stay in cache, where links for every position of a
        // band (8 MB for 1 MiB) made each step of a walk a cache miss.
        int[] links = new int[2 * Window];
        int count = 0, skipUntil = from;
        for (int i = Math.Max(0, from - Window + 1); i < n; i++)
        {
            if (i >= from) starts[i - from] = count;
            if ((i & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
            if (i + MinMatch > n) continue;
            bool record = i >= skipUntil;
            int best = Insert(data, i, head, links, record, ref matches, ref count);
            if (record && best >= niceLength) skipUntil = i + best;
        }
        starts[n - from] = count;
    }

    /// <summary>
    /// Puts position <paramref name="i"/> at the root of its hash bucket's tree, walking down from the old root: each
    /// node met is hung to the left of the new root if its bytes sort before position i's, to the right if after, so
    /// the tree stays ordered and a walk meets the positions whose bytes share the longest prefix with i's. Records
    /// each match longer than the ones before it when <paramref name="record"/>; returns the longest length.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Insert(ReadOnlySpan<byte> data, int i, int[] head, int[] links, bool record, ref uint[] matches, ref int count)
    {
        int hash = Hash(data, i);
        int node = head[hash];
        head[hash] = i;
        int limit = Math.Min(niceLength, data.Length - i);
        ReadOnlySpan<byte> here = data.Slice(i, limit);
        // Where the next node met is to hang: a left link (a smaller node) and a right link (a larger one), and the
        // prefix every node below each is known to share with position i.
        ref int hangSmaller = ref links[Left(i)], hangLarger = ref links[Left(i) + 1];
        int sharedSmaller = 0, sharedLarger = 0, best = MinMatch - 1, depth = maxChain;
        // Nearer than a whole window: the node a window back shares its slot with position i.
        while (node >= 0 && i - node < Window && depth-- > 0)
        {
            int shared = SharedPrefix(data, node, i, Math.Min(sharedSmaller, sharedLarger), limit);
            if (shared > best)
            {
                // The tree sorts by the first nice-length bytes; a match that long is followed to its whole length.
                best = shared == limit ? SharedPrefix(data, node, i, limit, Math.Min(MaxMatch, data.Length - i)) : shared;
                if (record)
                {
                    if (count == matches.Length) Array.Resize(ref matches, matches.Length * 2);
                    matches[count++] = (uint)best | ((uint)(i - node) << 16);
                }
                if (shared == limit)
                {
                    // Equal to position i for as far as the tree sorts: i takes the node's place and children.
                    hangSmaller = links[Left(node)];
                    hangLarger = links[Left(node) + 1];
                    return best;
                }
            }
            if (data[node + shared] < here[shared])
            {
                hangSmaller = node;
                hangSmaller = ref links[Left(node) + 1];
                sharedSmaller = shared;
                node = hangSmaller;
            }
            else
            {
                hangLarger = node;
                hangLarger = ref links[Left(node)];
                sharedLarger = shared;
                node = hangLarger;
            }
        }
        hangSmaller = -1;
        hangLarger = -1;
        return best;
    }

    /// <summary>
    /// How many bytes from <paramref name="a"/> and <paramref name="b"/> agree, at most <paramref name="limit"/>, given
    /// that the first <paramref name="known"/> do: eight at a time, the first difference found from the lowest set
    /// bit of their XOR. Most nodes a walk meets differ within a few bytes, where a call to the runtime's vectorised
    /// CommonPrefixLength cost more than the comparison (it was a fifth of the parse's time).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SharedPrefix(ReadOnlySpan<byte> data, int a, int b, int known, int limit)
    {
        ref byte first = ref MemoryMarshal.GetReference(data);
        int at = known;
        if (BitConverter.IsLittleEndian)
        {
            for (; at + sizeof(ulong) <= limit; at += sizeof(ulong))
            {
                ulong difference = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref first, a + at))
                    ^ Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref first, b + at));
                if (difference != 0) return at + (BitOperations.TrailingZeroCount(difference) >> 3);
            }
        }
        while (at < limit && Unsafe.Add(ref first, a + at) == Unsafe.Add(ref first, b + at)) at++;
        return at;
    }

    /// <summary>The index of a position's left link; its right link follows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Left(int position) => 2 * (position & (Window - 1));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Hash(ReadOnlySpan<byte> data, int i) =>
        (int)(((uint)data[i] << 16 | (uint)data[i + 1] << 8 | data[i + 2]) * 0x9E3779B1u >> (32 - HashBits));
}
