using System.Globalization;
using KMeansPS.Engine.Random;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Benchmarks;

/// <summary>
/// Writes the seeded images of perf/memory-bounds.ps1: <c>memory-cases OUTDIR [SIZE] [SEED]</c> makes, SIZE x SIZE
/// (default 8000), photo-noise.png (a smooth opaque colour field plus uniform noise of +-12 per channel: tens of
/// millions of distinct colours, like a noisy photo), noise.png (every RGBA byte random: nearly one colour a pixel)
/// and alpha-noise.png (the photo-like field with a noisy alpha ramp: partial transparency everywhere). Each row
/// draws from its own generator seeded from SEED and the row, so the bytes do not depend on the thread count.
/// </summary>
public static class MemoryCases
{
    public static int Run(string[] args)
    {
        if (args.Length is < 2 or > 4)
        {
            Console.Error.WriteLine("usage: memory-cases OUTDIR [SIZE] [SEED]");
            return 2;
        }
        string folder = Directory.CreateDirectory(args[1]).FullName;
        int size = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8000;
        ulong seed = args.Length > 3 ? ulong.Parse(args[3], CultureInfo.InvariantCulture) : 1;
        Write(Path.Combine(folder, "photo-noise.png"), size, seed, PhotoNoise, PngColorType.Rgb);
        Write(Path.Combine(folder, "noise.png"), size, seed, Noise, PngColorType.RgbWithAlpha);
        Write(Path.Combine(folder, "alpha-noise.png"), size, seed, AlphaNoise, PngColorType.RgbWithAlpha);
        return 0;
    }

    private delegate Rgba32 PixelRule(int x, int y, int size, DeterministicRandom random);

    private static void Write(string path, int size, ulong seed, PixelRule rule, PngColorType colorType)
    {
        using var image = new Image<Rgba32>(size, size);
        var rows = new Rgba32[size][];
        Parallel.For(0, size, y =>
        {
            var random = new DeterministicRandom(seed * 0x9E3779B97F4A7C15UL + (ulong)y);
            var row = new Rgba32[size];
            for (int x = 0; x < size; x++) row[x] = rule(x, y, size, random);
            rows[y] = row;
        });
        image.ProcessPixelRows(access =>
        {
            for (int y = 0; y < size; y++)
            {
                rows[y].CopyTo(access.GetRowSpan(y));
                rows[y] = null!;
            }
        });
        image.SaveAsPng(path, new PngEncoder { ColorType = colorType, BitDepth = PngBitDepth.Bit8, CompressionLevel = PngCompressionLevel.BestSpeed });
        Console.WriteLine($"{path} {size}x{size}");
    }

    /// <summary>A smooth field: a few slow waves per channel, like the large shapes of a photograph.</summary>
    private static (double R, double G, double B) Field(int x, int y, int size)
    {
        double u = (double)x / size, v = (double)y / size;
        double r = 128 + 90 * Math.Sin(6.1 * u + 2.3 * v) + 30 * Math.Cos(11.0 * v);
        double g = 120 + 80 * Math.Sin(4.7 * v - 3.1 * u + 1.0) + 35 * Math.Sin(9.0 * u * v);
        double b = 110 + 85 * Math.Cos(5.3 * u + 4.1 * v) + 25 * Math.Sin(13.0 * u);
        return (r, g, b);
    }

    private static byte Clamp(double value) => (byte)Math.Clamp(Math.Round(value), 0, 255);

    private static int Jitter(DeterministicRandom random) => random.NextInt(25) - 12;

    private static Rgba32 PhotoNoise(int x, int y, int size, DeterministicRandom random)
    {
        (double r, double g, double b) = Field(x, y, size);
        return new Rgba32(Clamp(r + Jitter(random)), Clamp(g + Jitter(random)), Clamp(b + Jitter(random)), 255);
    }

    private static Rgba32 Noise(int x, int y, int size, DeterministicRandom random)
    {
        uint packed = (uint)random.NextUInt64();
        return new Rgba32(packed);
    }

    private static Rgba32 AlphaNoise(int x, int y, int size, DeterministicRandom random)
    {
        Rgba32 c = PhotoNoise(x, y, size, random);
        c.A = Clamp(255.0 * x / size + Jitter(random));
        return c;
    }
}
