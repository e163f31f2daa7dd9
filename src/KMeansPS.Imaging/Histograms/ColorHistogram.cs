using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using KMeansPS.Imaging.Decoding;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Histograms;

/// <summary>
/// The distinct colours of an image with their pixel counts, plus, for every pixel, the index of its colour.
/// Clustering the colours weighted by their counts minimises the same objective as clustering every pixel,
/// with far fewer points. Every fully transparent pixel counts as the one colour (0,0,0,0).
/// <para>
/// Bounded: an image with more distinct colours than <see cref="MaxEntriesFor"/> allows (noise, not photographs)
/// gets a coarse histogram instead, of at most that many colour cells, each the mean colour of its pixels with their
/// count (<see cref="ColorCells"/>); it has no per-pixel index and no lookup table, so its pixels are mapped by
/// nearest palette entry. Exact or coarse, the result depends only on the pixels and the limit, not on the threads.
/// </para>
/// </summary>
internal sealed class ColorHistogram
{
    // The hash table of the build, kept for MapPixels when no per-pixel index was stored.
    private ulong[]? _table;
    private readonly int _shift;

    internal ColorHistogram(Rgba32[] colors, int[] counts, int[]? pixelColorIndex, ulong[]? table, int shift, int level, int maxEntries)
    {
        Colors = colors;
        Counts = counts;
        PixelColorIndex = pixelColorIndex;
        _table = table;
        _shift = shift;
        Level = level;
        MaxEntries = maxEntries;
    }

    /// <summary>
    /// The distinct colours, in order of first appearance (straight alpha; transparent is (0,0,0,0)); when coarse,
    /// the mean colour of each cell, in order of the cell's first appearance.
    /// </summary>
    public Rgba32[] Colors { get; }

    /// <summary>How many pixels have each colour (each cell, when coarse).</summary>
    public int[] Counts { get; }

    /// <summary>0: exact. Else the cell level of a coarse histogram (<see cref="ColorCells.Mask"/>).</summary>
    public int Level { get; }

    /// <summary>Whether every entry is one exact colour of the image.</summary>
    public bool IsExact => Level == 0;

    /// <summary>The most entries this histogram was allowed.</summary>
    public int MaxEntries { get; }

    /// <summary>Distinct colours of the image: exact, or when coarse the lower bound <see cref="MaxEntries"/> + 1.</summary>
    public long DistinctColors => IsExact ? Colors.Length : MaxEntries + 1L;

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
        if (!IsExact) throw new InvalidOperationException("A coarse histogram maps no pixels: map them by nearest palette entry.");
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
    internal static uint Canonical(uint packed) => packed < 0x01000000u ? 0 : packed;

    /// <summary>The fewest entries a histogram is allowed: more than the distinct colours of photographs of a few megapixels.</summary>
    internal const int MinMaxEntries = 1 << 18;

    /// <summary>
    /// The most entries (colours or cells) the histogram of an image of <paramref name="pixels"/> pixels holds: one
    /// per 32 pixels, at least <see cref="MinMaxEntries"/>. An entry costs about 100 bytes from counting to the end of
    /// the fit (table: colour, count, sums, slots; fit: the points and weights in the builder and the engine, labels,
    /// distances, Hamerly bounds), so the entries take about 3 bytes a pixel, within the 8 bytes a pixel that the
    /// memory budget (3 x the decoded 4 bytes a pixel, + 100 MB) leaves beside the pixels for the file's bytes,
    /// the palette indices and the encoder. Depends on the image size only, never on threads or timing.
    /// </summary>
    internal static int MaxEntriesFor(long pixels) => (int)Math.Clamp(pixels / 32, MinMaxEntries, Array.MaxLength / 4);

    /// <summary>
    /// Counts the colours of <paramref name="pixels"/> on the calling thread (see the parallel overload).
    /// Deterministic: colours come out in order of first appearance.
    /// </summary>
    public static ColorHistogram Build(ReadOnlySpan<Rgba32> pixels, bool keepPixelIndex = true, CancellationToken cancellationToken = default) =>
        Build(pixels, keepPixelIndex, MaxEntriesFor(pixels.Length), cancellationToken);

    /// <summary>As the serial overload, with at most <paramref name="maxEntries"/> entries (tests).</summary>
    internal static ColorHistogram Build(ReadOnlySpan<Rgba32> pixels, bool keepPixelIndex, int maxEntries, CancellationToken cancellationToken)
    {
        ReadOnlySpan<uint> packed = MemoryMarshal.Cast<Rgba32, uint>(pixels);
        int[]? pixelIndex = keepPixelIndex ? GC.AllocateUninitializedArray<int>(packed.Length) : null;
        var counter = new ColorTable(maxEntries, mayCoarsen: true);
        counter.Add(packed, pixelIndex, 0, cancellationToken);
        return counter.ToHistogram(counter.Level == 0 ? pixelIndex : null);
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
        ArgumentNullException.ThrowIfNull(pixels);
        return Build(pixels, keepPixelIndex, maxDegreeOfParallelism, arrival, MaxEntriesFor(pixels.Length), cancellationToken);
    }

    /// <summary>
    /// As the overload above, with at most <paramref name="maxEntries"/> entries. The first part is counted by a
    /// table that coarsens when full; each later part by an exact table of at most
    /// max(<paramref name="maxEntries"/> / parts, <see cref="MinMaxEntries"/>) colours, which stops when full. If one
    /// stops, the first table counts the rest itself, in order; else the later tables are merged into it in part
    /// order (coarsening it if need be). Either way the first table ends at the finest level at which the whole
    /// image fits, with the same cells in the same order: the result does not depend on the number of parts.
    /// </summary>
    internal static ColorHistogram? Build(Rgba32[] pixels, bool keepPixelIndex, int maxDegreeOfParallelism, PixelArrival? arrival,
        int maxEntries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxDegreeOfParallelism);
        int n = pixels.Length;
        int[]? pixelIndex = keepPixelIndex ? LargeBufferCache.Rent<int>(n) : null;
        var first = new ColorTable(maxEntries, mayCoarsen: true);
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
        // A coarse first table counts the rest alone: the later tables, exact, would only fill up.
        int parts = first.Level > 0 ? 1 : (int)Math.Clamp(remaining / MinPartPixels, 1, maxDegreeOfParallelism);
        if (parts == 1)
        {
            first.Add(MemoryMarshal.Cast<Rgba32, uint>(pixels.AsSpan(consumed)), pixelIndex, consumed, cancellationToken);
            return Finish(first, pixelIndex);
        }
        var tables = new ColorTable[parts];
        var counted = new int[parts];
        tables[0] = first;
        int partEntries = Math.Max(maxEntries / parts, MinMaxEntries);
        for (int t = 1; t < parts; t++) tables[t] = new ColorTable(partEntries, mayCoarsen: false);
        int per = remaining / parts;
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts, CancellationToken = cancellationToken }, t =>
        {
            int start = consumed + t * per, end = t == parts - 1 ? n : start + per;
            counted[t] = tables[t].Add(MemoryMarshal.Cast<Rgba32, uint>(pixels.AsSpan(start, end - start)), pixelIndex, start, cancellationToken);
        });
        bool allCounted = true;
        for (int t = 1; t < parts; t++) allCounted &= counted[t] == (t == parts - 1 ? n - (consumed + t * per) : per);
        if (!allCounted)
        {
            // A later part had more colours than its table holds: the first table counts them all, in order.
            for (int t = 1; t < parts; t++) tables[t].Recycle();
            int from = consumed + per;
            first.Add(MemoryMarshal.Cast<Rgba32, uint>(pixels.AsSpan(from)), pixelIndex, from, cancellationToken);
            return Finish(first, pixelIndex);
        }

        // Merge in part order; then rewrite each later part's pixel indices from its own numbering to the merged one.
        var remaps = new int[]?[parts];
        for (int t = 1; t < parts; t++)
        {
            remaps[t] = first.Merge(tables[t], cancellationToken);
            tables[t].Recycle();
        }
        if (first.Level > 0) return Finish(first, pixelIndex);
        if (pixelIndex is not null)
        {
            Parallel.For(1, parts, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken }, t =>
            {
                int start = consumed + t * per, end = t == parts - 1 ? n : start + per;
                int[] remap = remaps[t]!;
                Span<int> segment = pixelIndex.AsSpan(start, end - start);
                for (int p = 0; p < segment.Length; p++) segment[p] = remap[segment[p]];
            });
        }
        return first.ToHistogram(pixelIndex);
    }

    /// <summary>The histogram of a table that has counted every pixel; a coarse one keeps no per-pixel index.</summary>
    private static ColorHistogram Finish(ColorTable table, int[]? pixelIndex)
    {
        if (table.Level == 0) return table.ToHistogram(pixelIndex);
        LargeBufferCache.Return(pixelIndex);
        return table.ToHistogram(null);
    }
}
