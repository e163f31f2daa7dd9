using System.Runtime.CompilerServices;
using KMeansPS.Imaging.ColorSpaces;
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
        var candidates = new Candidates(palette, destination, pixels.Length);
        Bands(pixels.Length, maxDegreeOfParallelism, (start, end) =>
            MapBand(pixels.AsSpan(start, end - start), destination.AsSpan(start, end - start), candidates), cancellationToken);
    }

    /// <summary>
    /// As the 8-bit overload, for pixels at 16 bits a channel (<see cref="RgbaImage.Wide"/>): each takes the entry
    /// nearest to its own value (<see cref="WideColor"/>), so pixels that round to the same 8-bit colour may take
    /// different entries.
    /// </summary>
    public static void Map(Rgba64[] pixels, Rgba32[] palette, byte[] destination, int? maxDegreeOfParallelism,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        var candidates = new Candidates(palette, destination, pixels.Length);
        Bands(pixels.Length, maxDegreeOfParallelism, (start, end) =>
            MapBand(pixels.AsSpan(start, end - start), destination.AsSpan(start, end - start), candidates), cancellationToken);
    }

    private static void Bands(int length, int? maxDegreeOfParallelism, Action<int, int> map, CancellationToken cancellationToken)
    {
        int bands = (length + BandPixels - 1) / BandPixels;
        var options = new ParallelOptions
        {
            MaxDegreeOfParallelism = maxDegreeOfParallelism ?? Environment.ProcessorCount,
            CancellationToken = cancellationToken,
        };
        Parallel.For(0, bands, options, band =>
        {
            int start = band * BandPixels;
            map(start, Math.Min(length, start + BandPixels));
        });
    }

    /// <summary>The entries a visible pixel may take, searched, and the entry of fully transparent pixels.</summary>
    private sealed class Candidates
    {
        public Candidates(Rgba32[] palette, byte[] destination, int pixels)
        {
            ArgumentNullException.ThrowIfNull(palette);
            ArgumentNullException.ThrowIfNull(destination);
            if (destination.Length != pixels) throw new ArgumentException("One destination byte per pixel is needed.", nameof(destination));
            if (palette.Length is 0 or > 256) throw new ArgumentException($"A palette holds 1 to 256 entries, got {palette.Length}.", nameof(palette));

            int transparent = Array.FindIndex(palette, e => e.A == 0);
            bool partialAlpha = Array.Exists(palette, e => e.A is > 0 and < 255);
            var candidates = new List<int>(palette.Length);
            for (int e = 0; e < palette.Length; e++)
                if (partialAlpha || e != transparent) candidates.Add(e);
            if (candidates.Count == 0) candidates.Add(transparent);
            var entries = new Rgba32[candidates.Count];
            for (int c = 0; c < entries.Length; c++) entries[c] = palette[candidates[c]];
            Search = new NearestPaletteSearch(entries);
            ToPalette = candidates.Select(e => (byte)e).ToArray();
            TransparentEntry = (byte)(transparent >= 0 ? transparent : ToPalette[Search.Nearest(default)]);
        }

        public NearestPaletteSearch Search { get; }
        public byte[] ToPalette { get; }
        public byte TransparentEntry { get; }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MapBand(ReadOnlySpan<Rgba32> pixels, Span<byte> destination, Candidates candidates)
    {
        NearestPaletteSearch search = candidates.Search;
        byte[] toPalette = candidates.ToPalette;
        byte transparentEntry = candidates.TransparentEntry;
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MapBand(ReadOnlySpan<Rgba64> pixels, Span<byte> destination, Candidates candidates)
    {
        NearestPaletteSearch search = candidates.Search;
        byte[] toPalette = candidates.ToPalette;
        byte transparentEntry = candidates.TransparentEntry;
        Rgba64 previous = default;
        byte previousEntry = transparentEntry;
        for (int p = 0; p < pixels.Length; p++)
        {
            Rgba64 c = pixels[p];
            // Clear as the histogram counted it: an alpha that rounds to 0 at 8 bits (the palette was fitted so; a
            // palette without translucent entries leaves the transparent one out of the search below).
            if (WideColor.RoundsToClear(c))
            {
                destination[p] = transparentEntry;
                continue;
            }
            if (c != previous)
            {
                previous = c;
                WideColor.ToMetric(c, out float r, out float g, out float b, out float a);
                previousEntry = toPalette[search.Nearest(r, g, b, a)];
            }
            destination[p] = previousEntry;
        }
    }
}
