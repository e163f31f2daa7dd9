using System.Runtime.CompilerServices;
using KMeansPS.Imaging.ColorSpaces;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Histograms;

/// <summary>
/// The coarse cells a bounded <see cref="ColorTable"/> merges colours into. At level L the low bits of the channels
/// are dropped one channel at a time, in the order B, R, G, A (level 1 drops B's lowest bit, level 4 one bit of
/// each, level 5 a second bit of B, ...), so each level at most halves the cells. A cell keeps the sums of
/// R*A, G*A, B*A and A over its pixels (exact integers, so any order of adding gives the same cell), and stands for
/// the mean of its pixels in premultiplied RGBA, the space the palette is fitted and judged in.
/// </summary>
internal static class ColorCells
{
    /// <summary>The channels' bit offsets in a packed <see cref="Rgba32"/>, in the order their bits are dropped.</summary>
    private static readonly int[] DropOrder = [16, 0, 8, 24];

    /// <summary>The mask of the bits a key keeps at <paramref name="level"/> (0: all 32).</summary>
    public static uint Mask(int level)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        uint mask = 0;
        for (int q = 0; q < 4; q++)
        {
            int dropped = Math.Min(8, (level + 3 - q) / 4);
            mask |= ((0xFFu << dropped) & 0xFFu) << DropOrder[q];
        }
        return mask;
    }

    /// <summary>
    /// The cell of a canonical colour. A visible colour whose kept alpha bits are all zero gets alpha 1 (never a
    /// kept value once alpha has lost a bit), so visible colours never share the transparent cell 0, and keying a
    /// key again at a coarser level gives the key of the colour itself.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Key(uint color, uint mask)
    {
        uint key = color & mask;
        return key < 0x01000000u && color >= 0x01000000u ? key | 0x01000000u : key;
    }

    /// <summary>Sets the sums of <paramref name="count"/> pixels of <paramref name="color"/>.</summary>
    public static void Set(Span<long> sums, uint color, long count)
    {
        sums.Clear();
        Add(sums, color, count);
    }

    /// <summary>Adds <paramref name="count"/> pixels of <paramref name="color"/> to a cell's sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(Span<long> sums, uint color, long count)
    {
        long a = color >> 24;
        sums[0] += (color & 0xFF) * a * count;
        sums[1] += ((color >> 8) & 0xFF) * a * count;
        sums[2] += ((color >> 16) & 0xFF) * a * count;
        sums[3] += a * count;
    }

    /// <summary>The 8-bit straight colour nearest to the premultiplied mean of a cell's pixels.</summary>
    public static Rgba32 Mean(ReadOnlySpan<long> sums, long count)
    {
        if (count <= 0 || sums[3] == 0) return default;
        double n = count;
        return MetricColor.FromMetric(sums[0] / 255.0 / n, sums[1] / 255.0 / n, sums[2] / 255.0 / n, sums[3] / n);
    }
}
