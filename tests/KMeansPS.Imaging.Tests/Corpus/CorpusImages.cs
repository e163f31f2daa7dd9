using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Corpus;

/// <summary>
/// Seeded images for the corpus. Every pixel differs from its neighbours, so a decoder that fills missing data
/// with grey or black gives a visibly different result, which is what the truncation tests compare.
/// </summary>
internal static class CorpusImages
{
    /// <summary>Noise over a gradient, with varying alpha when <paramref name="alpha"/>.</summary>
    public static Image<Rgba32> Noisy(int width, int height, int seed, bool alpha = false)
    {
        var random = new Random(seed);
        var image = new Image<Rgba32>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                Span<Rgba32> row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                    row[x] = new Rgba32((byte)random.Next(256), (byte)(x * 255 / Math.Max(1, width - 1) ^ random.Next(64)),
                        (byte)(y * 255 / Math.Max(1, height - 1) ^ random.Next(64)), alpha ? (byte)random.Next(1, 256) : (byte)255);
            }
        });
        return image;
    }

    /// <summary>
    /// An image named by its kind, as the WebP tests name them: "noise", "alpha" (noise with varied alpha), "runs" (40
    /// colours in runs), or "fewN" (at most N colours).
    /// </summary>
    public static Image<Rgba32> OfKind(string kind, int width, int height, int seed) => kind switch
    {
        "noise" => Noisy(width, height, seed),
        "alpha" => Noisy(width, height, seed, alpha: true),
        "runs" => FewColors(width, height, seed, 40),
        _ => FewColors(width, height, seed, int.Parse(kind[3..], System.Globalization.CultureInfo.InvariantCulture)),
    };

    /// <summary>At most <paramref name="colors"/> distinct colours (1 to 256), in runs, for palette formats and RLE.</summary>
    public static Image<Rgba32> FewColors(int width, int height, int seed, int colors)
    {
        var random = new Random(seed);
        Rgba32[] palette = Palette(colors, seed);
        var image = new Image<Rgba32>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                Span<Rgba32> row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length;)
                {
                    Rgba32 color = palette[random.Next(colors)];
                    int run = random.Next(1, 6);
                    for (int i = 0; i < run && x < row.Length; i++, x++) row[x] = color;
                }
            }
        });
        return image;
    }

    /// <summary>Distinct, well separated colours.</summary>
    public static Rgba32[] Palette(int colors, int seed)
    {
        var random = new Random(seed * 31 + 7);
        var palette = new Rgba32[colors];
        var seen = new HashSet<uint>();
        for (int i = 0; i < colors;)
        {
            var c = new Rgba32((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), 255);
            if (seen.Add(c.PackedValue)) palette[i++] = c;
        }
        return palette;
    }

    /// <summary>Random palette indices (below <paramref name="colors"/>) in short runs.</summary>
    public static byte[] Indices(int width, int height, int seed, int colors)
    {
        var random = new Random(seed);
        var indices = new byte[width * height];
        for (int i = 0; i < indices.Length;)
        {
            byte index = (byte)random.Next(colors);
            int run = random.Next(1, 6);
            for (int k = 0; k < run && i < indices.Length; k++) indices[i++] = index;
        }
        return indices;
    }
}
