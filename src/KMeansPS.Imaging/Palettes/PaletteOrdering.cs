using System.Runtime.CompilerServices;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Palettes;

/// <summary>
/// Drops palette entries no pixel uses and orders the rest for a small PNG: entries with alpha below 255 first
/// (so tRNS stops early), then opaque entries by descending pixel count (frequent colours get small indices,
/// which deflate codes more cheaply in mostly flat images).
/// </summary>
internal static class PaletteOrdering
{
    /// <summary>Returns the compacted palette and rewrites <paramref name="indices"/> to point into it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Rgba32[] CompactAndSort(ReadOnlySpan<Rgba32> palette, Span<byte> indices)
    {
        if (palette.Length is 0 or > 256)
            throw new ArgumentException($"A palette holds 1 to 256 entries, got {palette.Length}.", nameof(palette));
        var counts = new long[palette.Length];
        foreach (byte i in indices) counts[i]++;
        var remap = new byte[256];
        Rgba32[] result = Order(palette, counts, remap);
        for (int p = 0; p < indices.Length; p++) indices[p] = remap[indices[p]];
        return result;
    }

    /// <summary>
    /// The compacted, ordered palette for entries used <paramref name="counts"/> times each, and in
    /// <paramref name="remap"/> each used entry's new index. When the counts are known without the pixels (from a
    /// histogram), pixels can be mapped straight to the new indices.
    /// </summary>
    public static Rgba32[] Order(ReadOnlySpan<Rgba32> palette, ReadOnlySpan<long> counts, Span<byte> remap)
    {
        if (palette.Length is 0 or > 256)
            throw new ArgumentException($"A palette holds 1 to 256 entries, got {palette.Length}.", nameof(palette));
        if (counts.Length != palette.Length) throw new ArgumentException("One count per palette entry is needed.", nameof(counts));
        if (remap.Length < palette.Length) throw new ArgumentException("One remap slot per palette entry is needed.", nameof(remap));
        var used = new List<int>(palette.Length);
        for (int e = 0; e < palette.Length; e++)
            if (counts[e] > 0) used.Add(e);
        if (used.Count == 0) used.Add(0); // an empty image still needs one entry

        Rgba32[] source = palette.ToArray();
        long[] uses = counts.ToArray();
        used.Sort((x, y) =>
        {
            bool xo = source[x].A == 255, yo = source[y].A == 255;
            if (xo != yo) return xo ? 1 : -1;
            if (!xo && source[x].A != source[y].A) return source[x].A.CompareTo(source[y].A);
            int byCount = uses[y].CompareTo(uses[x]);
            return byCount != 0 ? byCount : x.CompareTo(y);
        });

        var result = new Rgba32[used.Count];
        for (int n = 0; n < used.Count; n++)
        {
            result[n] = source[used[n]];
            remap[used[n]] = (byte)n;
        }
        return result;
    }
}
