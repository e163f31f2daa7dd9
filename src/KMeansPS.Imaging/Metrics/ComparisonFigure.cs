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
/// With a <see cref="CaptionRasterizer"/> a white band above the panels names them ("Original", "K colours",
/// "Difference (x8)", or shorter forms where a panel is narrow); its height follows the panel width (at least
/// <see cref="MinCaptionBand"/> pixels) so captions stay readable on small images, and the panels' pixels are those
/// of the figure without captions, moved down by the band. ImageSharp 2.1 draws no text without SixLabors.Fonts,
/// hence the delegate.
/// </summary>
internal static class ComparisonFigure
{
    public const int DefaultMaxWidth = 1600;
    public const int DifferenceGain = 8;
    private const int Separator = 4;
    /// <summary>Smallest caption band, in pixels: room for a 9-pixel font.</summary>
    public const int MinCaptionBand = 16;
    private const int MaxCaptionBand = 40;
    private static readonly Rgba32 SeparatorColor = new(128, 128, 128, 255);

    public static void Write(string path, RgbaImage original, ReadOnlySpan<Rgba32> compressed, int maxWidth = DefaultMaxWidth,
        AtomicWriteOptions? options = null, CancellationToken cancellationToken = default) =>
        Write(path, original, compressed, maxWidth, options, marker: null, cancellationToken);

    /// <summary>As the overload without <paramref name="marker"/>, with the marker (when not null) in a tEXt chunk.</summary>
    public static void Write(string path, RgbaImage original, ReadOnlySpan<Rgba32> compressed, int maxWidth,
        AtomicWriteOptions? options, Provenance.OutputMarker? marker, CancellationToken cancellationToken) =>
        Write(path, original, compressed, maxWidth, options, marker, captions: null, colors: 0, cancellationToken);

    /// <summary>As the overload without <paramref name="captions"/>, with a caption band when it is not null (<paramref name="colors"/>: the palette's size).</summary>
    public static void Write(string path, RgbaImage original, ReadOnlySpan<Rgba32> compressed, int maxWidth,
        AtomicWriteOptions? options, Provenance.OutputMarker? marker, CaptionRasterizer? captions, int colors, CancellationToken cancellationToken)
    {
        using Image<Rgba32> figure = Render(original, compressed, maxWidth, captions, colors, cancellationToken);
        if (marker is not null) figure.Metadata.GetPngMetadata().TextData.Add(new PngTextData(Provenance.OutputMarker.Keyword, marker.ToText(), string.Empty, string.Empty));
        var encoder = new PngEncoder { ColorType = PngColorType.RgbWithAlpha, CompressionLevel = PngCompressionLevel.DefaultCompression };
        AtomicFileWriter.Write(path, stream => figure.SaveAsPng(stream, encoder), options, cancellationToken);
    }

    /// <summary>The figure as an image, without captions (the caller disposes it).</summary>
    public static Image<Rgba32> Render(RgbaImage original, ReadOnlySpan<Rgba32> compressed, int maxWidth = DefaultMaxWidth,
        CancellationToken cancellationToken = default) => Render(original, compressed, maxWidth, captions: null, colors: 0, cancellationToken);

    /// <summary>The figure as an image, with a caption band when <paramref name="captions"/> is not null (the caller disposes it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Image<Rgba32> Render(RgbaImage original, ReadOnlySpan<Rgba32> compressed, int maxWidth,
        CaptionRasterizer? captions, int colors, CancellationToken cancellationToken)
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

        int band = captions is null ? 0 : CaptionBandHeight(pw);
        var canvas = new Image<Rgba32>(3 * pw + 2 * Separator, ph + band, SeparatorColor);
        try
        {
            DrawPanel(canvas, original.Pixels, w, h, pw, ph, 0, band);
            cancellationToken.ThrowIfCancellationRequested();
            DrawPanel(canvas, compressed.ToArray(), w, h, pw, ph, pw + Separator, band);
            cancellationToken.ThrowIfCancellationRequested();
            DrawPanel(canvas, difference, w, h, pw, ph, 2 * (pw + Separator), band);
            if (captions is not null)
            {
                string[][] texts =
                [
                    ["Original", "Orig."],
                    [colors == 1 ? "1 colour" : $"{colors} colours", $"K={colors}", $"{colors}"],
                    [$"Difference (x{DifferenceGain})", $"Diff. x{DifferenceGain}", $"x{DifferenceGain}"],
                ];
                DrawCaptionBand(canvas, captions, texts, pw, band);
            }
            return canvas;
        }
        catch
        {
            canvas.Dispose();
            throw;
        }
    }

    /// <summary>The caption band's height for panels <paramref name="panelWidth"/> wide: a tenth of it, within 16..40 pixels.</summary>
    public static int CaptionBandHeight(int panelWidth) => Math.Clamp(panelWidth / 10, MinCaptionBand, MaxCaptionBand);

    // White band, black text blended by coverage (integer arithmetic: the same bytes everywhere). Each panel's caption
    // is the first of its forms the rasterizer can draw legibly in the panel's width; none fits: left blank.
    private static void DrawCaptionBand(Image<Rgba32> canvas, CaptionRasterizer captions, string[][] texts, int pw, int band)
    {
        byte[]?[] coverages = texts.Select(forms => forms.Select(text => captions(text, pw, band)).FirstOrDefault(c => c is not null)).ToArray();
        if (coverages.Any(c => c is not null && c.Length != pw * band))
            throw new InvalidOperationException("The caption rasterizer returned a box of another size.");
        canvas.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < band; y++)
            {
                Span<Rgba32> row = rows.GetRowSpan(y);
                row.Fill(new Rgba32(255, 255, 255, 255));
                for (int panel = 0; panel < coverages.Length; panel++)
                {
                    if (coverages[panel] is not { } coverage) continue;
                    Span<Rgba32> box = row.Slice(panel * (pw + Separator), pw);
                    for (int x = 0; x < pw; x++)
                    {
                        byte ink = (byte)(255 - coverage[y * pw + x]);
                        box[x] = new Rgba32(ink, ink, ink, 255);
                    }
                }
            }
        });
    }

    private static void DrawPanel(Image<Rgba32> canvas, Rgba32[] pixels, int w, int h, int pw, int ph, int left, int top)
    {
        using Image<Rgba32> panel = Image.LoadPixelData<Rgba32>(pixels, w, h);
        if (pw != w || ph != h) panel.Mutate(c => c.Resize(pw, ph, KnownResamplers.Bicubic));
        // Copied row by row (not blended) so the panel's own alpha is kept.
        panel.ProcessPixelRows(canvas, (source, target) =>
        {
            for (int y = 0; y < ph; y++)
                source.GetRowSpan(y).CopyTo(target.GetRowSpan(top + y).Slice(left, pw));
        });
    }
}
