using KMeansPS.Imaging.ColorSpaces;
using KMeansPS.Imaging.Gif;
using KMeansPS.Imaging.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Palettes;

/// <summary>An image reduced to a palette: one index per pixel into <see cref="Palette"/>.</summary>
internal sealed class QuantizedImage
{
    internal QuantizedImage(int width, int height, byte[] indices, Rgba32[] palette, Palette fit, int sourceColors,
        double? squaredErrorOfSource = null)
    {
        SquaredErrorOfSource = squaredErrorOfSource;
        Width = width;
        Height = height;
        Indices = indices;
        Palette = palette;
        Fit = fit;
        SourceColors = sourceColors;
    }

    public int Width { get; }
    public int Height { get; }
    /// <summary>Row-major palette indices.</summary>
    public byte[] Indices { get; }
    /// <summary>Used entries only, non-opaque first, then by descending use (see <see cref="PaletteOrdering"/>).</summary>
    public Rgba32[] Palette { get; }
    /// <summary>The clustering behind the palette (iterations, convergence, seed, lossless flag).</summary>
    public Palette Fit { get; }
    /// <summary>The K the palette was fitted with (fewer than asked for under a PSNR floor); 0 when not recorded.</summary>
    public int ChosenK { get; init; }
    /// <summary>Distinct colours of the input; a lower bound when the histogram was coarse (<see cref="Histograms.ColorHistogram.DistinctColors"/>).</summary>
    public int SourceColors { get; }

    /// <summary>True when <see cref="SourceColors"/> is a lower bound: the count stopped one past the histogram's bound.</summary>
    public bool SourceColorsIsLowerBound { get; init; }

    /// <summary>
    /// GIF output made translucent pixels opaque or transparent before the palette was fitted: the palette may be
    /// lossless for that copy, but the image is not the source's.
    /// </summary>
    public bool AlphaMadeBinary { get; init; }

    /// <summary>
    /// The source holds values 8 bits cannot (<see cref="RgbaImage.Wide"/>): no 8-bit palette gives its pixels back,
    /// even one with an entry for each of its colours rounded.
    /// </summary>
    public bool PrecisionReduced { get; init; }

    /// <summary>The palette image shows the source's pixels exactly.</summary>
    public bool Lossless => Fit.Lossless && !AlphaMadeBinary && !PrecisionReduced;

    /// <summary>
    /// The sum of squared differences from the image this was made from, in <see cref="MetricColor"/> space, when
    /// the quantizer knew it from the histogram (no dithering, no alpha change); else null.
    /// </summary>
    internal double? SquaredErrorOfSource { get; }

    /// <summary>The pixels the palette image shows.</summary>
    public Rgba32[] ToPixels()
    {
        var pixels = new Rgba32[Indices.Length];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = Palette[Indices[i]];
        return pixels;
    }

    /// <summary>Writes the palette PNG (<see cref="PalettePngEncoder"/>) to a stream.</summary>
    public void WritePng(Stream output, int? maxDegreeOfParallelism = null, CancellationToken cancellationToken = default) =>
        PalettePngEncoder.Write(output, Width, Height, Indices, Palette, maxDegreeOfParallelism, cancellationToken);

    /// <summary>Writes the palette PNG with <paramref name="marker"/> (when not null) in a tEXt chunk.</summary>
    public void WritePng(Stream output, Provenance.OutputMarker? marker, int? maxDegreeOfParallelism, CancellationToken cancellationToken) =>
        PalettePngEncoder.Write(output, Width, Height, Indices, Palette, marker, maxDegreeOfParallelism, cancellationToken);

    /// <summary>Writes the palette PNG with <paramref name="marker"/> and the source's <paramref name="metadata"/> (either may be null).</summary>
    public void WritePng(Stream output, Provenance.OutputMarker? marker, Metadata.CarriedMetadata? metadata, int? maxDegreeOfParallelism,
        CancellationToken cancellationToken) =>
        PalettePngEncoder.Write(output, Width, Height, Indices, Palette, marker, metadata, maxDegreeOfParallelism, cancellationToken);

    /// <summary>As the overload without <paramref name="level"/>, deflating at that level (<see cref="PalettePngEncoder"/>; the same pixels at every level).</summary>
    public void WritePng(Stream output, Provenance.OutputMarker? marker, Metadata.CarriedMetadata? metadata, System.IO.Compression.CompressionLevel level,
        int? maxDegreeOfParallelism, CancellationToken cancellationToken) =>
        PalettePngEncoder.Write(output, Width, Height, Indices, Palette, marker, metadata, level, maxDegreeOfParallelism, cancellationToken);

    /// <summary>Writes a GIF with this exact palette (<see cref="GifPaletteWriter"/>).</summary>
    public void WriteGif(Stream output, CancellationToken cancellationToken = default) =>
        GifPaletteWriter.Write(output, Width, Height, Indices, Palette, cancellationToken);

    /// <summary>Writes the GIF with <paramref name="marker"/> (when not null) in a comment extension.</summary>
    public void WriteGif(Stream output, Provenance.OutputMarker? marker, CancellationToken cancellationToken) =>
        GifPaletteWriter.Write(output, Width, Height, Indices, Palette, marker, cancellationToken);
}
