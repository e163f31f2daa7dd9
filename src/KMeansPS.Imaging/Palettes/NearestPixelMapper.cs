using System.Runtime.CompilerServices;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Palettes;

/// <summary>
/// Maps every pixel to its nearest palette entry (<see cref="NearestPaletteSearch"/>, premultiplied RGBA), for
/// images whose histogram is coarse and so cannot give each pixel's entry. As <see cref="PaletteBuilder"/> maps
/// colours: fully transparent pixels take the transparent entry; visible pixels take the nearest visible entry, or
/// the nearest of all entries when the palette has partial alpha. Each pixel is mapped on its own, so the result
/// does not depend on the threads.
/// </summary>
internal static class NearestPixelMapper
{
    private const int BandPixels = 1 << 16;

    /// <summary>Writes the index in <paramref name="palette"/> of each pixel's entry to <paramref name="destination"/>.</summary>
    public static void Map(Rgba32[] pixels, Rgba32[] palette, byte[] destination, int? maxDegreeOfParallelism,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(palette);
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.Length != pixels.Length) throw new ArgumentException("One destination byte per pixel is needed.", nameof(destination));
        if (palette.Length is 0 or > 256) throw new ArgumentException($"A palette holds 1 to 256 entries, got {palette.Length}.", nameof(palette));

        int transparent = Array.FindIndex(palette, e => e.A == 0);
        bool partialAlpha = Array.Exists(palette, e => e.A is > 0 and < 255);
        var candidates = new List<int>(palette.Length);
        for (int e = 0; e < palette.Length; e++)
            if (partialAlpha || e != transparent) candidates.Add(e);
        if (candidates.Count == 0) candidates.Add(transparent);
        var entries = new Rgba32[candidates.Count];
        for (int c = 0; c < entries.Length; c++) entries[c] = palette[candidates[c]];
        var search = new NearestPaletteSearch(entries);
        byte[] toPalette = candidates.Select(e => (byte)e).ToArray();
        byte transparentEntry = (byte)(transparent >= 0 ? transparent : toPalette[search.Nearest(default)]);

        int bands = (pixels.Length + BandPixels - 1) / BandPixels;
        var options = new ParallelOptions
        {
            MaxDegreeOfParallelism = maxDegreeOfParallelism ?? Environment.ProcessorCount,
            CancellationToken = cancellationToken,
        };
        Parallel.For(0, bands, options, band =>
        {
            int start = band * BandPixels, end = Math.Min(pixels.Length, start + BandPixels);
            MapBand(pixels.AsSpan(start, end - start), destination.AsSpan(start, end - start), search, toPalette, transparentEntry);
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MapBand(ReadOnlySpan<Rgba32> pixels, Span<byte> destination, NearestPaletteSearch search, byte[] toPalette,
        byte transparentEntry)
    {
        Rgba32 previous = default;
        byte previousEntry = transparentEntry;
        for (int p = 0; p < pixels.Length; p++)
        {
            Rgba32 c = pixels[p];
            if (c.A == 0)
            {
                destination[p] = transparentEntry;
                continue;
            }
            if (c != previous)
            {
                previous = c;
                previousEntry = toPalette[search.Nearest(c)];
            }
            destination[p] = previousEntry;
        }
    }
}
