using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using KMeansPS.Imaging.Decoding;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Histograms;

/// <summary>
/// The distinct colours of an image with their pixel counts, plus, for every pixel, the index of its colour.
/// Clustering the colours weighted by their counts minimises the same objective as clustering every pixel,
/// with far fewer points. Every fully transparent pixel counts as the one colour (0,0,0,0).
/// </summary>
public sealed class ColorHistogram
{
    // The hash table of the build, kept for MapPixels when no per-pixel index was stored.
    private ulong[]? _table;
    private int _shift;

    private ColorHistogram(Rgba32[] colors, int[] counts, int[]? pixelColorIndex, ulong[] table, int shift)
    {
        Colors = colors;
        Counts = counts;
        PixelColorIndex = pixelColorIndex;
        _table = table;
        _shift = shift;
    }

    /// <summary>The distinct colours, in order of first appearance (straight alpha; transparent is (0,0,0,0)).</summary>
    public Rgba32[] Colors { get; }

    /// <summary>How many pixels have each colour.</summary>
    public int[] Counts { get; }

    /// <summary>For each pixel, the index in <see cref="Colors"/> of its colour; null when not asked for.</summary>
    public int[]? PixelColorIndex { get; private set; }

    public int Count => Colors.Length;

    /// <summary>Index of (0,0,0,0) when some pixel is fully transparent, else -1.</summary>
    public int TransparentIndex
    {
        get
        {
            for (int i = 0; i < Colors.Length; i++)
                if (Colors[i].A == 0) return i;
            return -1;
        }
    }

    /// <summary>Drops the per-pixel indices and the hash table so their memory can be reclaimed.</summary>
    public void ReleasePixelIndex() => ReleasePixelIndex(recycle: false);

    /// <summary>As <see cref="ReleasePixelIndex()"/>; <paramref name="recycle"/> hands the per-pixel indices to
    /// <see cref="LargeBufferCache"/>, for a caller that knows nothing else holds them.</summary>
    internal void ReleasePixelIndex(bool recycle)
    {
        if (recycle)
        {
            LargeBufferCache.Return(PixelColorIndex);
            LargeBufferCache.Return(_table);
        }
        PixelColorIndex = null;
        _table = null;
    }

    /// <summary>
    /// Writes <c>colorToEntry[colour index of pixel p]</c> for every pixel: from the stored per-pixel indices when
    /// present, else by looking each pixel's colour up in the hash table again.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void MapPixels(ReadOnlySpan<Rgba32> pixels, ReadOnlySpan<int> colorToEntry, Span<byte> destination, CancellationToken cancellationToken = default)
    {
        if (destination.Length != pixels.Length) throw new ArgumentException("One destination byte per pixel is needed.", nameof(destination));
        if (colorToEntry.Length != Colors.Length) throw new ArgumentException("One entry per histogram colour is needed.", nameof(colorToEntry));
        if (PixelColorIndex is { } index)
        {
            if (index.Length != pixels.Length) throw new ArgumentException("These are not the pixels the histogram was built from.", nameof(pixels));
            for (int p = 0; p < index.Length; p++) destination[p] = (byte)colorToEntry[index[p]];
            return;
        }
        ulong[] table = _table ?? throw new InvalidOperationException("The histogram's lookup table was released.");
        ReadOnlySpan<uint> packed = MemoryMarshal.Cast<Rgba32, uint>(pixels);
        uint previous = 0;
        byte previousEntry = 0;
        bool havePrevious = false;
        for (int p = 0; p < packed.Length; p++)
        {
            if ((p & 0xFFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
            uint c = Canonical(packed[p]);
            if (!havePrevious || c != previous)
            {
                int found = ColorTable.Find(table, _shift, c);
                if (found < 0) throw new ArgumentException($"Pixel {p} has a colour the histogram does not hold.", nameof(pixels));
                previousEntry = (byte)colorToEntry[found];
                previous = c;
                havePrevious = true;
            }
            destination[p] = previousEntry;
        }
    }

    /// <summary>Alpha 0: one transparent colour whatever the RGB.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Canonical(uint packed) => packed < 0x01000000u ? 0 : packed;

    /// <summary>
    /// Counts the colours of <paramref name="pixels"/> on the calling thread (see the parallel overload).
    /// Deterministic: colours come out in order of first appearance.
    /// </summary>
    public static ColorHistogram Build(ReadOnlySpan<Rgba32> pixels, bool keepPixelIndex = true, CancellationToken cancellationToken = default)
    {
        ReadOnlySpan<uint> packed = MemoryMarshal.Cast<Rgba32, uint>(pixels);
        int[]? pixelIndex = keepPixelIndex ? GC.AllocateUninitializedArray<int>(packed.Length) : null;
        var counter = new ColorTable();
        counter.Add(packed, pixelIndex, 0, cancellationToken);
        return counter.ToHistogram(pixelIndex);
    }

    /// <summary>
    /// Counts the colours of <paramref name="pixels"/> with up to <paramref name="maxDegreeOfParallelism"/>
    /// threads: consecutive parts are counted apart, then merged in part order. A colour's first appearance
    /// is in the first part holding it, so the merge gives exactly the serial result (same colour order, counts
    /// and indices) for any number of parts.
    /// </summary>
    public static ColorHistogram Build(Rgba32[] pixels, bool keepPixelIndex, int maxDegreeOfParallelism, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        return Build(pixels, keepPixelIndex, maxDegreeOfParallelism, null, cancellationToken)!;
    }

    /// <summary>Pixels per part below which another thread does not pay for its merge.</summary>
    private const int MinPartPixels = 1 << 18;

    /// <summary>
    /// As the parallel overload, while a decoder may still be writing <paramref name="pixels"/>: the leading
    /// pixels <paramref name="arrival"/> reports final are counted as they come; once all are final, the rest is
    /// split among the threads. Returns null when the decoder failed.
    /// </summary>
    internal static ColorHistogram? Build(Rgba32[] pixels, bool keepPixelIndex, int maxDegreeOfParallelism, PixelArrival? arrival,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxDegreeOfParallelism);
        int n = pixels.Length;
        int[]? pixelIndex = keepPixelIndex ? LargeBufferCache.Rent<int>(n) : null;
        var first = new ColorTable();
        int consumed = 0;
        if (arrival is not null)
        {
            // Count while the decoder works; stop streaming once everything has arrived.
            while (true)
            {
                int available = arrival.WaitBeyond(consumed, cancellationToken);
                if (available < 0) return null;
                if (available >= n) break;
                first.Add(MemoryMarshal.Cast<Rgba32, uint>(pixels.AsSpan(consumed, available - consumed)), pixelIndex, consumed, cancellationToken);
                consumed = available;
            }
        }

        int remaining = n - consumed;
        int parts = (int)Math.Clamp(remaining / MinPartPixels, 1, maxDegreeOfParallelism);
        var tables = new ColorTable[parts];
        tables[0] = first;
        for (int t = 1; t < parts; t++) tables[t] = new ColorTable();
        int per = remaining / parts;
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts, CancellationToken = cancellationToken }, t =>
        {
            int start = consumed + t * per, end = t == parts - 1 ? n : start + per;
            tables[t].Add(MemoryMarshal.Cast<Rgba32, uint>(pixels.AsSpan(start, end - start)), pixelIndex, start, cancellationToken);
        });
        if (parts == 1) return first.ToHistogram(pixelIndex);

        // Merge in part order; then rewrite each later part's pixel indices from its own numbering to the merged one.
        var remaps = new int[parts][];
        for (int t = 1; t < parts; t++)
        {
            remaps[t] = first.Merge(tables[t], cancellationToken);
            tables[t].Recycle();
        }
        if (pixelIndex is not null)
        {
            Parallel.For(1, parts, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken }, t =>
            {
                int start = consumed + t * per, end = t == parts - 1 ? n : start + per;
                int[] remap = remaps[t];
                Span<int> segment = pixelIndex.AsSpan(start, end - start);
                for (int p = 0; p < segment.Length; p++) segment[p] = remap[segment[p]];
            });
        }
        return first.ToHistogram(pixelIndex);
    }

    /// <summary>
    /// An open-addressing hash of packed 32-bit colours. Each slot is one ulong, (colour index + 1) &lt;&lt; 32 | colour,
    /// so a probe touches one cache line; 0 marks an empty slot. Colours keep their order of first insertion.
    /// </summary>
    private sealed class ColorTable
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
                uint c = Canonical(packed[p]);
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
}
