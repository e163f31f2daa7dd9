using System.Runtime.CompilerServices;
using KMeansPS.Imaging.ColorSpaces;
using KMeansPS.Imaging.IO;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace KMeansPS.Imaging.Metrics;

/// <summary>
/// A PNG with three panels left to right: the original, the compressed image, and the absolute difference of
/// premultiplied colour amplified <see cref="DifferenceGain"/> times (black = identical), separated by grey bars.
/// Wide images are scaled down (bicubic) so the figure is at most <see cref="DefaultMaxWidth"/> pixels wide.
/// No text: ImageSharp 2.1 draws none without SixLabors.Fonts.
/// </summary>
internal static class ComparisonFigure
{
    public const int DefaultMaxWidth = 1600;
    public const int DifferenceGain = 8;
    private const int Separator = 4;
    private static readonly Rgba32 SeparatorColor = new(128, 128, 128, 255);

    public static void Write(string path, RgbaImage original, ReadOnlySpan<Rgba32> compressed, int maxWidth = DefaultMaxWidth,
        AtomicWriteOptions? options = null, CancellationToken cancellationToken = default) =>
        Write(path, original, compressed, maxWidth, options, marker: null, cancellationToken);

    /// <summary>As the overload without <paramref name="marker"/>, with the marker (when not null) in a tEXt chunk.</summary>
    public static void Write(string path, RgbaImage original, ReadOnlySpan<Rgba32> compressed, int maxWidth,
        AtomicWriteOptions? options, Provenance.OutputMarker? marker, CancellationToken cancellationToken)
    {
        using Image<Rgba32> figure = Render(original, compressed, maxWidth, cancellationToken);
        if (marker is not null) figure.Metadata.GetPngMetadata().TextData.Add(new PngTextData(Provenance.OutputMarker.Keyword, marker.ToText(), string.Empty, string.Empty));
        var encoder = new PngEncoder { ColorType = PngColorType.RgbWithAlpha, CompressionLevel = PngCompressionLevel.DefaultCompression };
        AtomicFileWriter.Write(path, stream => figure.SaveAsPng(stream, encoder), options, cancellationToken);
    }

    /// <summary>The figure as an image (the caller disposes it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Image<Rgba32> Render(RgbaImage original, ReadOnlySpan<Rgba32> compressed, int maxWidth = DefaultMaxWidth,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(original);
        if (compressed.Length != original.Pixels.Length) throw new ArgumentException("The images differ in size.", nameof(compressed));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWidth, 3 + 2 * Separator);
        int w = original.Width, h = original.Height;
        double scale = Math.Min(1.0, (maxWidth - 2.0 * Separator) / (3.0 * w));
        // Floor the width so the three panels and two bars never exceed maxWidth.
        int pw = Math.Max(1, (int)Math.Floor(w * scale + 1e-9)), ph = Math.Max(1, (int)Math.Round(h * scale));

        var difference = new Rgba32[compressed.Length];
        for (int i = 0; i < difference.Length; i++)
        {
            MetricColor.ToMetric(original.Pixels[i], out float r0, out float g0, out float b0, out float a0);
            MetricColor.ToMetric(compressed[i], out float r1, out float g1, out float b1, out float a1);
            float da = Math.Abs(a0 - a1);
            difference[i] = new Rgba32(
                MetricColor.ToByte((Math.Abs(r0 - r1) + da) * DifferenceGain),
                MetricColor.ToByte((Math.Abs(g0 - g1) + da) * DifferenceGain),
                MetricColor.ToByte((Math.Abs(b0 - b1) + da) * DifferenceGain), 255);
        }
        cancellationToken.ThrowIfCancellationRequested();

        var canvas = new Image<Rgba32>(3 * pw + 2 * Separator, ph, SeparatorColor);
        try
        {
            DrawPanel(canvas, original.Pixels, w, h, pw, ph, 0);
            cancellationToken.ThrowIfCancellationRequested();
            DrawPanel(canvas, compressed.ToArray(), w, h, pw, ph, pw + Separator);
            cancellationToken.ThrowIfCancellationRequested();
            DrawPanel(canvas, difference, w, h, pw, ph, 2 * (pw + Separator));
            return canvas;
        }
        catch
        {
            canvas.Dispose();
            throw;
        }
    }

    private static void DrawPanel(Image<Rgba32> canvas, Rgba32[] pixels, int w, int h, int pw, int ph, int left)
    {
        using Image<Rgba32> panel = Image.LoadPixelData<Rgba32>(pixels, w, h);
        if (pw != w || ph != h) panel.Mutate(c => c.Resize(pw, ph, KnownResamplers.Bicubic));
        // Copied row by row (not blended) so the panel's own alpha is kept.
        panel.ProcessPixelRows(canvas, (source, target) =>
        {
            for (int y = 0; y < ph; y++)
                source.GetRowSpan(y).CopyTo(target.GetRowSpan(y).Slice(left, pw));
        });
    }
}
