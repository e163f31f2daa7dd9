using System.Runtime.CompilerServices;
using KMeansPS.Imaging.ColorSpaces;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Palettes;

/// <summary>
/// Floyd-Steinberg error diffusion (7/16 ahead, 3/16, 5/16, 1/16 on the next row), serpentine, in premultiplied
/// RGBA floats, from the source's 16-bit values when it has them (<see cref="RgbaImage.Wide"/>). Fully transparent
/// pixels take the transparent entry, neither receive nor pass on error. Sequential and deterministic.
/// </summary>
internal static class FloydSteinbergDither
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static byte[] Map(RgbaImage image, ReadOnlySpan<Rgba32> palette, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (palette.Length is 0 or > 256) throw new ArgumentException("A palette holds 1 to 256 entries.", nameof(palette));
        var search = new NearestPaletteSearch(palette);
        var metric = new float[palette.Length * 4];
        int transparentEntry = -1;
        for (int e = 0; e < palette.Length; e++)
        {
            MetricColor.ToMetric(palette[e], out metric[4 * e], out metric[4 * e + 1], out metric[4 * e + 2], out metric[4 * e + 3]);
            if (palette[e].A == 0 && transparentEntry < 0) transparentEntry = e;
        }

        int width = image.Width, height = image.Height;
        Rgba32[] pixels = image.Pixels;
        Rgba64[]? wide = image.Wide;
        var indices = new byte[pixels.Length];
        // Error rows with one guard cell each side, 4 channels.
        var current = new float[(width + 2) * 4];
        var next = new float[(width + 2) * 4];
        for (int y = 0; y < height; y++)
        {
            if ((y & 31) == 0) cancellationToken.ThrowIfCancellationRequested();
            bool leftToRight = (y & 1) == 0;
            int dir = leftToRight ? 1 : -1;
            Array.Clear(next);
            for (int n = 0; n < width; n++)
            {
                int x = leftToRight ? n : width - 1 - n;
                int p = y * width + x;
                // Clear as the 8-bit image shows it (a 16-bit alpha that rounds to 0 too), as the palette was fitted.
                if (pixels[p].A == 0 && transparentEntry >= 0)
                {
                    indices[p] = (byte)transparentEntry;
                    continue;
                }
                int cell = (x + 1) * 4;
                float r, g, b, a;
                if (wide is null) MetricColor.ToMetric(pixels[p], out r, out g, out b, out a);
                else WideColor.ToMetric(wide[p], out r, out g, out b, out a);
                r = Clamp(r + current[cell]);
                g = Clamp(g + current[cell + 1]);
                b = Clamp(b + current[cell + 2]);
                a = Clamp(a + current[cell + 3]);
                int e = search.Nearest(r, g, b, a);
                indices[p] = (byte)e;
                Spread(r - metric[4 * e], 0);
                Spread(g - metric[4 * e + 1], 1);
                Spread(b - metric[4 * e + 2], 2);
                Spread(a - metric[4 * e + 3], 3);

                void Spread(float error, int channel)
                {
                    current[cell + dir * 4 + channel] += error * (7f / 16);
                    next[cell - dir * 4 + channel] += error * (3f / 16);
                    next[cell + channel] += error * (5f / 16);
                    next[cell + dir * 4 + channel] += error * (1f / 16);
                }
            }
            (current, next) = (next, current);
        }
        return indices;
    }

    private static float Clamp(float v) => v < 0 ? 0 : v > 255 ? 255 : v;
}
