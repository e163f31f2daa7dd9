using SkiaSharp;

namespace KMeansPS.Plotting;

/// <summary>
/// Draws one line of caption text into a box as coverage bytes (0 = background, 255 = ink), for the comparison
/// figure's caption band (Imaging composes the band; it has no font library). The same bytes on every run and CPU:
/// glyphs are filled without anti-aliasing (Skia's integer scan converter, no hinting, no subpixel positioning) at
/// four times the size, on whole-pixel positions and an integer font size, and then averaged over 4 x 4 blocks here.
/// </summary>
internal static class CaptionRenderer
{
    /// <summary>Smallest font size, in output pixels, still drawn: below it the text does not fit (null).</summary>
    public const int MinFontPixels = 9;
    private const int Supersample = 4;
    private static readonly object Gate = new();
    private static SKTypeface? _typeface;

    /// <summary>
    /// <paramref name="text"/> centred in a <paramref name="width"/> x <paramref name="height"/> box, as large as fits
    /// (at most about 60% of the height), row by row; null when it would be smaller than <see cref="MinFontPixels"/>
    /// or no font is found.
    /// </summary>
    public static byte[]? Rasterize(string text, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (width <= 0 || height <= 0 || text.Length == 0) return null;
        SKTypeface? typeface = Typeface();
        if (typeface is null) return null;

        int bigWidth = width * Supersample, bigHeight = height * Supersample;
        using var font = new SKFont(typeface)
        {
            Edging = SKFontEdging.Alias,
            Hinting = SKFontHinting.None,
            Subpixel = false,
            LinearMetrics = true,
            Size = 100,
        };
        // Sizes in supersampled pixels: the largest whole size that fits 60% of the height and the width less a margin.
        float per100 = font.MeasureText(text);
        int margin = Math.Max(2, width / 20) * Supersample;
        int byHeight = height * Supersample * 6 / 10;
        int byWidth = per100 <= 0 ? byHeight : (int)Math.Floor((bigWidth - 2 * margin) * 100.0 / per100);
        int size = Math.Min(byHeight, byWidth);
        if (size < MinFontPixels * Supersample) return null;
        font.Size = size;
        int textWidth = (int)Math.Ceiling(font.MeasureText(text));
        // Cap height of DejaVu Sans is 0.73 em: centre the capitals, so the descenders hang below as in print.
        int left = Math.Max(0, (bigWidth - textWidth) / 2);
        int baseline = (bigHeight + size * 73 / 100) / 2;

        using var bitmap = new SKBitmap(new SKImageInfo(bigWidth, bigHeight, SKColorType.Alpha8, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint { Color = SKColors.Black, IsAntialias = false })
        {
            canvas.Clear(SKColors.Transparent);
            canvas.DrawText(text, left, baseline, SKTextAlign.Left, font, paint);
            canvas.Flush();
        }
        ReadOnlySpan<byte> big = bitmap.GetPixelSpan();
        int stride = bitmap.RowBytes;
        var coverage = new byte[width * height];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int sum = 0;
                for (int dy = 0; dy < Supersample; dy++)
                {
                    ReadOnlySpan<byte> row = big.Slice((y * Supersample + dy) * stride + x * Supersample, Supersample);
                    foreach (byte a in row) sum += a;
                }
                coverage[y * width + x] = (byte)((sum + Supersample * Supersample / 2) / (Supersample * Supersample));
            }
        }
        return coverage;
    }

    private static SKTypeface? Typeface()
    {
        lock (Gate)
        {
            if (_typeface is null && PlotFonts.FontFile is string file) _typeface = SKTypeface.FromFile(file);
            return _typeface;
        }
    }
}
