using KMeansPS.Imaging.Provenance;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing.Processors.Quantization;

namespace KMeansPS.Imaging.Gif;

/// <summary>
/// Writes palette indices as a GIF through ImageSharp's encoder, given our palette as a global colour table.
/// GIF has one fully transparent index and no partial alpha: entries must have alpha 0 or 255. A
/// <see cref="OutputMarker"/> goes into a comment extension, which the encoder writes before the image.
/// </summary>
internal static class GifPaletteWriter
{
    public static void Write(Stream output, int width, int height, ReadOnlySpan<byte> indices, ReadOnlySpan<Rgba32> palette,
        CancellationToken cancellationToken = default) => Write(output, width, height, indices, palette, marker: null, cancellationToken);

    /// <summary>As the overload without <paramref name="marker"/>, with the marker as a comment when not null.</summary>
    public static void Write(Stream output, int width, int height, ReadOnlySpan<byte> indices, ReadOnlySpan<Rgba32> palette,
        OutputMarker? marker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (indices.Length != (long)width * height) throw new ArgumentException("Expected one index per pixel.", nameof(indices));
        if (palette.Length is 0 or > 256) throw new ArgumentException("A GIF palette holds 1 to 256 entries.", nameof(palette));
        var colors = new Color[palette.Length];
        for (int e = 0; e < palette.Length; e++)
        {
            if (palette[e].A is not (0 or 255))
                throw new ArgumentException($"Palette entry {e} has alpha {palette[e].A}; GIF stores only opaque or fully transparent colours.", nameof(palette));
            colors[e] = new Color(palette[e]);
        }
        var pixels = new Rgba32[indices.Length];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = palette[indices[i]];
        cancellationToken.ThrowIfCancellationRequested();
        using var image = Image.LoadPixelData<Rgba32>(pixels, width, height);
        if (marker is not null) image.Metadata.GetGifMetadata().Comments.Add(OutputMarker.GifCommentPrefix + marker.ToText());
        var encoder = new GifEncoder
        {
            ColorTableMode = GifColorTableMode.Global,
            Quantizer = new PaletteQuantizer(colors, new QuantizerOptions { Dither = null, MaxColors = colors.Length }),
        };
        cancellationToken.ThrowIfCancellationRequested();
        image.SaveAsGif(output, encoder);
    }
}
