using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Histograms;

/// <summary>
/// An open-addressing hash of packed 32-bit colours. Each slot is one ulong, (colour index + 1) &lt;&lt; 32 | colour,
/// so a probe touches one cache line; 0 marks an empty slot. Colours keep their order of first insertion.
/// <see cref="ColorHistogram.Build(Rgba32[], bool, int, CancellationToken)"/> counts with one per part.
/// </summary>
internal sealed class ColorTable
{
    private const int RecentBits = 14;
    private readonly ulong[] _recent = Zeroed(1 << RecentBits);
    private ulong[] _slots = new ulong[1 << 12];
    private int _shift = 32 - 12;
    private uint[] _colors = new uint[1024];
    private int[] _counts = new int[1024];
    private int _count;

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
    /// colour index (in this table's numbering) to <paramref name="pixelIndex"/>[offset + p] when given.
    /// Runs of equal neighbours skip the hash.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(ReadOnlySpan<uint> packed, int[]? pixelIndex, int offset, CancellationToken cancellationToken)
    {
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
                    cached = ((ulong)(uint)(index + 1) << 32) | c;
                }
                previous = c;
                previousIndex = index;
            }
            _counts[index]++;
            if (keep) indices[p] = index;
        }
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
                int index = _count++;
                if (index == _colors.Length)
                {
                    _colors = Resized(_colors, index * 2, index);
                    _counts = Resized(_counts, index * 2, index);
                }
                _colors[index] = color;
                _counts[index] = 0;
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
    /// for each of its colour indices, the index here.
    /// </summary>
    public int[] Merge(ColorTable later, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var remap = new int[later._count];
        for (int i = 0; i < later._count; i++)
        {
            int index = FindOrAdd(later._colors[i]);
            _counts[index] += later._counts[i];
            remap[i] = index;
        }
        return remap;
    }

    public ColorHistogram ToHistogram(int[]? pixelIndex)
    {
        var colors = new Rgba32[_count];
        MemoryMarshal.Cast<uint, Rgba32>(_colors.AsSpan(0, _count)).CopyTo(colors);
        int[] counts = _counts.AsSpan(0, _count).ToArray();
        // The slots stay with the histogram (for MapPixels); the rest of the table is done with.
        RecycleAllButSlots();
        return new ColorHistogram(colors, counts, pixelIndex, _slots, _shift);
    }
}
