using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging;

/// <summary>
/// The distinct colours of an image with their pixel counts, plus, for every pixel, the index of its colour.
/// Clustering the colours weighted by their counts minimises the same objective as clustering every pixel,
/// with far fewer points. Every fully transparent pixel counts as the one colour (0,0,0,0).
/// </summary>
public sealed class ColorHistogram
{
    // The hash table of the build, kept for MapPixels when no per-pixel index was stored.
    private uint[]? _keys;
    private int[]? _slots;
    private int _shift;

    private ColorHistogram(Rgba32[] colors, int[] counts, int[]? pixelColorIndex, uint[] keys, int[] slots, int shift)
    {
        Colors = colors;
        Counts = counts;
        PixelColorIndex = pixelColorIndex;
        _keys = keys;
        _slots = slots;
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
    public void ReleasePixelIndex()
    {
        PixelColorIndex = null;
        _keys = null;
        _slots = null;
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
        uint[] keys = _keys ?? throw new InvalidOperationException("The histogram's lookup table was released.");
        int[] slots = _slots!;
        int mask = keys.Length - 1;
        ReadOnlySpan<uint> packed = MemoryMarshal.Cast<Rgba32, uint>(pixels);
        uint previous = 0;
        byte previousEntry = 0;
        bool havePrevious = false;
        for (int p = 0; p < packed.Length; p++)
        {
            if ((p & 0xFFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
            uint c = packed[p];
            if (c < 0x01000000u) c = 0;
            if (!havePrevious || c != previous)
            {
                int h = (int)((c * 0x9E3779B1u) >> _shift);
                while (true)
                {
                    int slot = slots[h];
                    if (slot == 0) throw new ArgumentException($"Pixel {p} has a colour the histogram does not hold.", nameof(pixels));
                    if (keys[h] == c) { previousEntry = (byte)colorToEntry[slot - 1]; break; }
                    h = (h + 1) & mask;
                }
                previous = c;
                havePrevious = true;
            }
            destination[p] = previousEntry;
        }
    }

    /// <summary>
    /// Counts the colours of <paramref name="pixels"/> with an open-addressing hash on the packed 32-bit colour.
    /// Runs of equal neighbours skip the hash. Deterministic: colours come out in order of first appearance.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ColorHistogram Build(ReadOnlySpan<Rgba32> pixels, bool keepPixelIndex = true, CancellationToken cancellationToken = default)
    {
        ReadOnlySpan<uint> packed = MemoryMarshal.Cast<Rgba32, uint>(pixels);
        int[]? pixelIndex = keepPixelIndex ? new int[packed.Length] : null;

        int capacity = 1 << 12;
        int shift = 32 - 12;
        var keys = new uint[capacity];
        var slots = new int[capacity]; // colour index + 1; 0 = empty
        var colors = new List<uint>(1024);
        var counts = new List<int>(1024);

        uint previous = 0;
        int previousIndex = -1;
        for (int p = 0; p < packed.Length; p++)
        {
            if ((p & 0xFFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
            uint c = packed[p];
            if (c < 0x01000000u) c = 0; // alpha 0: one transparent colour whatever the RGB
            int index;
            if (c == previous && previousIndex >= 0)
            {
                index = previousIndex;
            }
            else
            {
                int h = (int)((c * 0x9E3779B1u) >> shift);
                while (true)
                {
                    int s = slots[h];
                    if (s == 0)
                    {
                        index = colors.Count;
                        colors.Add(c);
                        counts.Add(0);
                        keys[h] = c;
                        slots[h] = index + 1;
                        if (colors.Count * 2 > capacity)
                        {
                            capacity <<= 1;
                            shift--;
                            Rehash(colors, capacity, shift, out keys, out slots);
                        }
                        break;
                    }
                    if (keys[h] == c) { index = s - 1; break; }
                    h = (h + 1) & (capacity - 1);
                }
                previous = c;
                previousIndex = index;
            }
            CollectionsMarshal.AsSpan(counts)[index]++;
            if (pixelIndex is not null) pixelIndex[p] = index;
        }

        var colorArray = new Rgba32[colors.Count];
        MemoryMarshal.Cast<uint, Rgba32>(CollectionsMarshal.AsSpan(colors)).CopyTo(colorArray);
        return new ColorHistogram(colorArray, counts.ToArray(), pixelIndex, keys, slots, shift);
    }

    private static void Rehash(List<uint> colors, int capacity, int shift, out uint[] keys, out int[] slots)
    {
        keys = new uint[capacity];
        slots = new int[capacity];
        ReadOnlySpan<uint> list = CollectionsMarshal.AsSpan(colors);
        for (int i = 0; i < list.Length; i++)
        {
            uint c = list[i];
            int h = (int)((c * 0x9E3779B1u) >> shift);
            while (slots[h] != 0) h = (h + 1) & (capacity - 1);
            keys[h] = c;
            slots[h] = i + 1;
        }
    }
}
