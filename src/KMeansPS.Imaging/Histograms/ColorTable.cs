using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Histograms;

/// <summary>
/// An open-addressing hash of packed 32-bit colours. Each slot is one ulong, (colour index + 1) &lt;&lt; 32 | colour,
/// so a probe touches one cache line; 0 marks an empty slot. Colours keep their order of first insertion.
/// <see cref="ColorHistogram.Build(Rgba32[], bool, int, CancellationToken)"/> counts with one per part.
/// <para>
/// The table holds at most <see cref="MaxEntries"/> entries, so its memory does not grow with the distinct colours
/// of a noisy image. A table that may coarsen then merges colours into cells (<see cref="ColorCells"/>): each
/// further level drops one more low bit of one channel, until the cells seen so far fit, and each cell keeps the
/// sums of its pixels so its colour is their mean. Since a level is left only when the pixels seen so far need more
/// cells than the limit, the final level is the finest at which the whole image fits, whatever the order or
/// split in which the pixels were counted. A table that may not coarsen stops counting instead.
/// </para>
/// </summary>
internal sealed class ColorTable
{
    private const int RecentBits = 14;
    private readonly ulong[] _recent = Zeroed(1 << RecentBits);
    private ulong[] _slots = new ulong[1 << 12];
    private int _shift = 32 - 12;
    private uint[] _colors = new uint[1024];
    private int[] _counts = new int[1024];
    // Once coarse: per entry, the sums of R*A, G*A, B*A and A over its pixels (see ColorCells.Add).
    private long[]? _sums;
    private int _count;
    private uint _cellMask = uint.MaxValue;
    private readonly bool _mayCoarsen;

    /// <summary>An exact table without limit (beyond memory).</summary>
    public ColorTable() : this(int.MaxValue, mayCoarsen: false)
    {
    }

    /// <param name="maxEntries">The most entries held.</param>
    /// <param name="mayCoarsen">At the limit, merge colours into coarser cells (else stop counting).</param>
    public ColorTable(int maxEntries, bool mayCoarsen)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 2);
        MaxEntries = maxEntries;
        _mayCoarsen = mayCoarsen;
    }

    /// <summary>The most entries this table holds.</summary>
    public int MaxEntries { get; }

    /// <summary>Entries held now.</summary>
    public int Count => _count;

    /// <summary>0 while every entry is one exact colour; else the cell level (<see cref="ColorCells.Mask"/>).</summary>
    public int Level { get; private set; }

    /// <summary>Bytes of the table's arrays now (for the tests of its bound).</summary>
    internal long AllocatedBytes =>
        8L * (_slots.Length + _recent.Length) + 4L * (_colors.Length + _counts.Length) + 8L * (_sums?.Length ?? 0);

    // The table's arrays come from LargeBufferCache: a 4-megapixel photo grows them to several megabytes.
    private static ulong[] Zeroed(int length)
    {
        ulong[] array = LargeBufferCache.Rent<ulong>(length);
        Array.Clear(array);
        return array;
    }

    private static T[] Resized<T>(T[] array, int length, int used) where T : unmanaged
    {
        T[] larger = LargeBufferCache.Rent<T>(length);
        array.AsSpan(0, used).CopyTo(larger);
        LargeBufferCache.Return(array);
        return larger;
    }

    /// <summary>Hands the table's arrays back once its contents are merged elsewhere.</summary>
    public void Recycle()
    {
        RecycleAllButSlots();
        LargeBufferCache.Return(_slots);
    }

    private void RecycleAllButSlots()
    {
        LargeBufferCache.Return(_recent);
        LargeBufferCache.Return(_colors);
        LargeBufferCache.Return(_counts);
        LargeBufferCache.Return(_sums);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Hash(uint color, int shift) => (int)((color * 0x9E3779B1u) >> shift);

    /// <summary>The index of <paramref name="color"/> in a table built here, or -1.</summary>
    internal static int Find(ulong[] slots, int shift, uint color)
    {
        int mask = slots.Length - 1;
        for (int h = Hash(color, shift); ; h = (h + 1) & mask)
        {
            ulong slot = slots[h];
            if (slot == 0) return -1;
            if ((uint)slot == color) return (int)(slot >> 32) - 1;
        }
    }

    /// <summary>
    /// Counts <paramref name="packed"/>, the pixels from <paramref name="offset"/> on, writing each pixel's
    /// colour index (in this table's numbering) to <paramref name="pixelIndex"/>[offset + p] when given, for as long
    /// as the table is exact (once coarse, the indices written are meaningless). Runs of equal neighbours skip the
    /// hash. Returns how many pixels were counted: all of them, unless a table that may not coarsen is full.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Add(ReadOnlySpan<uint> packed, int[]? pixelIndex, int offset, CancellationToken cancellationToken)
    {
        if (Level > 0) return AddToCells(packed, cancellationToken);
        Span<int> indices = pixelIndex is null ? default : pixelIndex.AsSpan(offset, packed.Length);
        bool keep = pixelIndex is not null;
        uint previous = 0;
        int previousIndex = -1;
        for (int p = 0; p < packed.Length; p++)
        {
            if ((p & 0xFFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
            uint c = ColorHistogram.Canonical(packed[p]);
            int index;
            if (c == previous && previousIndex >= 0)
            {
                index = previousIndex;
            }
            else
            {
                // Neighbouring pixels revisit recent colours: a small direct-mapped cache (in L2) answers most
                // lookups before the big table (megabytes, mostly cache misses) is probed.
                ref ulong cached = ref _recent[(int)((c * 0x9E3779B1u) >> (32 - RecentBits))];
                if ((uint)cached == c && cached != 0)
                {
                    index = (int)(cached >> 32) - 1;
                }
                else
                {
                    index = FindOrAdd(c);
                    if (index < 0)
                    {
                        // Full: stop here, or go on in cells from this pixel.
                        if (!_mayCoarsen) return p;
                        Coarsen();
                        return p + AddToCells(packed[p..], cancellationToken);
                    }
                    cached = ((ulong)(uint)(index + 1) << 32) | c;
                }
                previous = c;
                previousIndex = index;
            }
            _counts[index]++;
            if (keep) indices[p] = index;
        }
        return packed.Length;
    }

    /// <summary>As <see cref="Add"/> once the table is coarse: each pixel adds to its cell's count and sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int AddToCells(ReadOnlySpan<uint> packed, CancellationToken cancellationToken)
    {
        uint previous = 0;
        int previousIndex = -1;
        for (int p = 0; p < packed.Length; p++)
        {
            if ((p & 0xFFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
            uint c = ColorHistogram.Canonical(packed[p]);
            int index;
            if (c == previous && previousIndex >= 0)
            {
                index = previousIndex;
            }
            else
            {
                // The recent cache maps a pixel's own colour to its cell; it is emptied whenever cells merge.
                ref ulong cached = ref _recent[(int)((c * 0x9E3779B1u) >> (32 - RecentBits))];
                if ((uint)cached == c && cached != 0)
                {
                    index = (int)(cached >> 32) - 1;
                }
                else
                {
                    index = FindOrAddCell(c);
                    cached = ((ulong)(uint)(index + 1) << 32) | c;
                }
                previous = c;
                previousIndex = index;
            }
            _counts[index]++;
            ColorCells.Add(_sums.AsSpan(4 * index, 4), c, 1);
        }
        return packed.Length;
    }

    /// <summary>The index of the cell of <paramref name="color"/>, added if new; coarsens as often as needed.</summary>
    private int FindOrAddCell(uint color)
    {
        while (true)
        {
            int index = FindOrAdd(ColorCells.Key(color, _cellMask));
            if (index >= 0) return index;
            Coarsen();
        }
    }

    /// <summary>
    /// One level coarser: every entry goes to its cell at the next level, cells keep the order of their first
    /// entry, and their counts and sums add up. Done in place (a cell's index is never above its first entry's).
    /// </summary>
    private void Coarsen()
    {
        if (!_mayCoarsen) throw new InvalidOperationException("This table may not coarsen.");
        if (_sums is null)
        {
            _sums = LargeBufferCache.Rent<long>(4 * _colors.Length);
            for (int i = 0; i < _count; i++) ColorCells.Set(_sums.AsSpan(4 * i, 4), _colors[i], _counts[i]);
        }
        Level++;
        _cellMask = ColorCells.Mask(Level);
        Array.Clear(_slots);
        Array.Clear(_recent);
        int mask = _slots.Length - 1, cells = 0;
        for (int i = 0; i < _count; i++)
        {
            uint key = ColorCells.Key(_colors[i], _cellMask);
            int h = Hash(key, _shift);
            while (true)
            {
                ulong slot = _slots[h];
                if (slot == 0)
                {
                    int j = cells++;
                    _colors[j] = key;
                    _counts[j] = _counts[i];
                    _sums.AsSpan(4 * i, 4).CopyTo(_sums.AsSpan(4 * j, 4));
                    _slots[h] = ((ulong)(uint)(j + 1) << 32) | key;
                    break;
                }
                if ((uint)slot == key)
                {
                    int j = (int)(slot >> 32) - 1;
                    _counts[j] += _counts[i];
                    for (int q = 0; q < 4; q++) _sums[4 * j + q] += _sums[4 * i + q];
                    break;
                }
                h = (h + 1) & mask;
            }
        }
        _count = cells;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int FindOrAdd(uint color)
    {
        ulong[] slots = _slots;
        int mask = slots.Length - 1;
        for (int h = Hash(color, _shift); ; h = (h + 1) & mask)
        {
            ulong slot = slots[h];
            if (slot == 0)
            {
                if (_count == MaxEntries) return -1;
                int index = _count++;
                if (index == _colors.Length)
                {
                    int length = (int)Math.Min(2L * index, MaxEntries);
                    _colors = Resized(_colors, length, index);
                    _counts = Resized(_counts, length, index);
                    if (_sums is not null) _sums = Resized(_sums, 4 * length, 4 * index);
                }
                _colors[index] = color;
                _counts[index] = 0;
                if (_sums is not null) _sums.AsSpan(4 * index, 4).Clear();
                slots[h] = ((ulong)(uint)(index + 1) << 32) | color;
                if (_count * 2 > slots.Length) Grow();
                return index;
            }
            if ((uint)slot == color) return (int)(slot >> 32) - 1;
        }
    }

    private void Grow()
    {
        ulong[] slots = Zeroed(_slots.Length * 2);
        int shift = _shift - 1, mask = slots.Length - 1;
        for (int i = 0; i < _count; i++)
        {
            uint c = _colors[i];
            int h = Hash(c, shift);
            while (slots[h] != 0) h = (h + 1) & mask;
            slots[h] = ((ulong)(uint)(i + 1) << 32) | c;
        }
        LargeBufferCache.Return(_slots);
        _slots = slots;
        _shift = shift;
    }

    /// <summary>
    /// Appends <paramref name="later"/>'s colours not yet here (in its order) and adds its counts; returns,
    /// for each of its colour indices, the index here, or null when this table is coarse at the end (then the
    /// indices are cells, not colours). <paramref name="later"/> must be exact.
    /// </summary>
    public int[]? Merge(ColorTable later, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(later);
        if (later.Level != 0) throw new ArgumentException("Only an exact table can be merged in.", nameof(later));
        cancellationToken.ThrowIfCancellationRequested();
        var remap = new int[later._count];
        for (int i = 0; i < later._count; i++)
        {
            uint color = later._colors[i];
            int count = later._counts[i];
            if (Level == 0)
            {
                int index = FindOrAdd(color);
                if (index >= 0)
                {
                    _counts[index] += count;
                    remap[i] = index;
                    continue;
                }
                Coarsen();
            }
            int cell = FindOrAddCell(color);
            _counts[cell] += count;
            ColorCells.Add(_sums.AsSpan(4 * cell, 4), color, count);
        }
        return Level == 0 ? remap : null;
    }

    /// <summary>
    /// The histogram of what was counted. Exact: the colours, with the hash slots kept for MapPixels. Coarse: each
    /// cell as the 8-bit colour nearest to the mean of its pixels in premultiplied RGBA, and no slots (pixels are
    /// then mapped by nearest palette entry).
    /// </summary>
    public ColorHistogram ToHistogram(int[]? pixelIndex)
    {
        var colors = new Rgba32[_count];
        int[] counts = _counts.AsSpan(0, _count).ToArray();
        if (Level > 0)
        {
            for (int i = 0; i < _count; i++) colors[i] = ColorCells.Mean(_sums.AsSpan(4 * i, 4), _counts[i]);
            RecycleAllButSlots();
            LargeBufferCache.Return(_slots);
            return new ColorHistogram(colors, counts, null, null, 0, Level, MaxEntries);
        }
        MemoryMarshal.Cast<uint, Rgba32>(_colors.AsSpan(0, _count)).CopyTo(colors);
        // The slots stay with the histogram (for MapPixels); the rest of the table is done with.
        RecycleAllButSlots();
        return new ColorHistogram(colors, counts, pixelIndex, _slots, _shift, 0, MaxEntries);
    }
}
