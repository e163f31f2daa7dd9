using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests;

/// <summary>Small deterministic images made in the tests.</summary>
internal static class Fixtures
{
    /// <summary>A smooth colour field with some noise: many distinct colours, opaque.</summary>
    public static RgbaImage Gradient(int width, int height, int seed = 1)
    {
        var random = new Random(seed);
        var pixels = new Rgba32[width * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                pixels[y * width + x] = new Rgba32(
                    (byte)Math.Clamp(x * 255 / Math.Max(1, width - 1) + random.Next(-12, 13), 0, 255),
                    (byte)Math.Clamp(y * 255 / Math.Max(1, height - 1) + random.Next(-12, 13), 0, 255),
                    (byte)Math.Clamp((x + y) * 128 / Math.Max(1, width + height - 2) + random.Next(-12, 13), 0, 255), 255);
        return new RgbaImage(width, height, pixels);
    }

    /// <summary>An image whose pixels cycle through <paramref name="colors"/>.</summary>
    public static RgbaImage Cycling(int width, int height, params Rgba32[] colors)
    {
        var pixels = new Rgba32[width * height];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = colors[(i * 7 + i / width) % colors.Length];
        return new RgbaImage(width, height, pixels);
    }

    /// <summary>The gradient with a fully transparent border (with varied hidden colours) and a half-transparent band.</summary>
    public static RgbaImage WithTransparency(int width, int height)
    {
        RgbaImage image = Gradient(width, height, 7);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                ref Rgba32 p = ref image.Pixels[y * width + x];
                if (x < 3 || y < 3) p = new Rgba32((byte)(x * 10), (byte)(y * 10), 99, 0);
                else if (y >= height / 2 && y < height / 2 + 4) p.A = (byte)(40 + 20 * (x % 8));
            }
        return image;
    }

    public static Image<Rgba32> ToImage(RgbaImage image) => Image.LoadPixelData<Rgba32>(image.Pixels, image.Width, image.Height);

    public static Rgba32[] ReadPixels(string path)
    {
        using Image<Rgba32> image = Image.Load<Rgba32>(path);
        var pixels = new Rgba32[image.Width * image.Height];
        image.CopyPixelDataTo(pixels);
        return pixels;
    }

    public static Rgba32[] ReadPixels(byte[] file)
    {
        using Image<Rgba32> image = Image.Load<Rgba32>(file);
        var pixels = new Rgba32[image.Width * image.Height];
        image.CopyPixelDataTo(pixels);
        return pixels;
    }
}
