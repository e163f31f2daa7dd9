using System.Globalization;
using KMeansPS.Engine.Random;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Benchmarks;

/// <summary>
/// Writes the seeded small images of perf/small-images.ps1: <c>small-images OUTDIR [SEED]</c> makes
/// gui-translucent-769x784.png (a window screenshot with rounded corners on a transparent background: a soft drop
/// shadow, a title bar gradient, buttons, lines of anti-aliased "text", a translucent overlay panel and a small
/// photo-like thumbnail, so a few thousand colours with partial alpha) and photo-640x427.png (a smooth colour field
/// with soft-edged shapes and fine grain whose strength varies over the picture: tens of thousands of colours, like a
/// small JPEG photograph). Each row draws from its own generator seeded from SEED and the row.
/// </summary>
public static class SmallImages
{
    public static int Run(string[] args)
    {
        if (args.Length is < 2 or > 3)
        {
            Console.Error.WriteLine("usage: small-images OUTDIR [SEED]");
            return 2;
        }
        string folder = Directory.CreateDirectory(args[1]).FullName;
        ulong seed = args.Length > 2 ? ulong.Parse(args[2], CultureInfo.InvariantCulture) : 1;
        Write(Path.Combine(folder, "gui-translucent-769x784.png"), 769, 784, seed, Gui, PngColorType.RgbWithAlpha);
        Write(Path.Combine(folder, "photo-640x427.png"), 640, 427, seed, Photo, PngColorType.Rgb);
        return 0;
    }

    private delegate Rgba32 PixelRule(int x, int y, DeterministicRandom random);

    private static void Write(string path, int width, int height, ulong seed, PixelRule rule, PngColorType colorType)
    {
        using var image = new Image<Rgba32>(width, height);
        image.ProcessPixelRows(access =>
        {
            for (int y = 0; y < height; y++)
            {
                var random = new DeterministicRandom(seed * 0x9E3779B97F4A7C15UL + (ulong)y);
                Span<Rgba32> row = access.GetRowSpan(y);
                for (int x = 0; x < width; x++) row[x] = rule(x, y, random);
            }
        });
        image.SaveAsPng(path, new PngEncoder { ColorType = colorType, BitDepth = PngBitDepth.Bit8 });
        Console.WriteLine($"{path} {width}x{height}");
    }

    private static byte Clamp(double value) => (byte)Math.Clamp(Math.Round(value), 0, 255);

    private static double Smooth(double edge0, double edge1, double x)
    {
        double t = Math.Clamp((x - edge0) / (edge1 - edge0), 0, 1);
        return t * t * (3 - 2 * t);
    }

    /// <summary>Signed distance from (x, y) to a rounded rectangle (negative inside).</summary>
    private static double RoundedBox(double x, double y, double left, double top, double right, double bottom, double radius)
    {
        double cx = (left + right) / 2, cy = (top + bottom) / 2;
        double hx = (right - left) / 2 - radius, hy = (bottom - top) / 2 - radius;
        double qx = Math.Abs(x - cx) - hx, qy = Math.Abs(y - cy) - hy;
        double outside = Math.Sqrt(Math.Max(qx, 0) * Math.Max(qx, 0) + Math.Max(qy, 0) * Math.Max(qy, 0));
        return outside + Math.Min(Math.Max(qx, qy), 0) - radius;
    }

    /// <summary>Straight-alpha "over": <paramref name="top"/> with coverage <paramref name="alpha"/> over <paramref name="under"/>.</summary>
    private static (double R, double G, double B, double A) Over((double R, double G, double B) top, double alpha,
        (double R, double G, double B, double A) under)
    {
        double a = alpha + under.A * (1 - alpha);
        if (a <= 0) return (0, 0, 0, 0);
        double Mix(double t, double u) => (t * alpha + u * under.A * (1 - alpha)) / a;
        return (Mix(top.R, under.R), Mix(top.G, under.G), Mix(top.B, under.B), a);
    }

    private static Rgba32 Gui(int x, int y, DeterministicRandom random)
    {
        const double Left = 40, Top = 32, Right = 729, Bottom = 744, Radius = 12;
        double px = x + 0.5, py = y + 0.5;
        // The shadow: a soft fall-off below and around the window, black at up to 45 % opacity.
        double shadowDistance = RoundedBox(px, py - 10, Left, Top, Right, Bottom, Radius);
        double shadow = 0.45 * (1 - Smooth(-8, 30, shadowDistance));
        (double R, double G, double B, double A) c = (0, 0, 0, shadow);
        double window = Math.Clamp(0.5 - RoundedBox(px, py, Left, Top, Right, Bottom, Radius), 0, 1);
        if (window <= 0) return new Rgba32(0, 0, 0, Clamp(255 * c.A));

        (double R, double G, double B) body;
        if (py < Top + 36)
        {
            // Title bar: a vertical gradient, three round buttons at the left.
            double t = (py - Top) / 36;
            body = (236 - 24 * t, 238 - 22 * t, 242 - 18 * t);
            for (int b = 0; b < 3; b++)
            {
                double bx = Left + 22 + 22 * b, by = Top + 18;
                double cover = Math.Clamp(6.5 - Math.Sqrt((px - bx) * (px - bx) + (py - by) * (py - by)), 0, 1);
                (double, double, double) color = b switch { 0 => (237, 95, 87), 1 => (245, 190, 79), _ => (98, 197, 84) };
                body = Lerp(body, color, cover);
            }
        }
        else if (px < Left + 190)
        {
            // Sidebar: translucent (the desktop shows through), with list rows and a highlighted one.
            body = (224, 228, 236);
            int rowIndex = (int)((py - Top - 48) / 28);
            if (rowIndex == 3) body = Lerp(body, (60, 120, 215), Math.Clamp(0.5 - RoundedBox(px, py, Left + 8, Top + 48 + 28 * 3 + 2, Left + 182, Top + 48 + 28 * 4 - 2, 6), 0, 1));
            body = Lerp(body, rowIndex == 3 ? (255, 255, 255) : (40, 44, 52), Text(px - Left - 36, py - Top - 48 - 28 * rowIndex - 9, 110, random));
            window *= 0.82;
        }
        else
        {
            body = (250, 250, 252);
            // A thumbnail: a small photo-like field with grain.
            if (px > Left + 220 && px < Left + 420 && py > Top + 70 && py < Top + 220)
            {
                double u = (px - Left - 220) / 200, v = (py - Top - 70) / 150;
                body = (120 + 90 * Math.Sin(5 * u + 1) + random.NextInt(9) - 4, 140 + 70 * Math.Cos(4 * v + 2 * u) + random.NextInt(9) - 4,
                    150 + 60 * Math.Sin(3 * u * v + 2) + random.NextInt(9) - 4);
            }
            // Paragraphs of text.
            int line = (int)((py - Top - 250) / 22);
            if (py > Top + 250 && line < 14)
                body = Lerp(body, (30, 30, 34), Text(px - Left - 220, py - Top - 250 - 22 * line - 6, 430 - 37 * (line % 4), random));
            // Buttons with a soft gradient and a border.
            for (int b = 0; b < 3; b++)
            {
                double bl = Left + 300 + 130 * b, bt = Bottom - 70;
                double d = RoundedBox(px, py, bl, bt, bl + 110, bt + 34, 8);
                double t = (py - bt) / 34;
                (double, double, double) face = b == 2 ? (52 - 10 * t, 120 - 20 * t, 220 - 20 * t) : (246 - 16 * t, 246 - 16 * t, 248 - 14 * t);
                body = Lerp(body, (150, 150, 158), Math.Clamp(1.0 - Math.Abs(d + 0.5), 0, 1));
                body = Lerp(body, face, Math.Clamp(-0.5 - d, 0, 1));
            }
            // A translucent popover with its own shadow over the content.
            double pd = RoundedBox(px, py, Left + 460, Top + 90, Left + 660, Top + 330, 10);
            body = Lerp(body, (0, 0, 0), 0.25 * (1 - Smooth(-4, 18, RoundedBox(px, py - 6, Left + 460, Top + 90, Left + 660, Top + 330, 10))));
            body = Lerp(body, (245, 247, 255), 0.78 * Math.Clamp(0.5 - pd, 0, 1));
        }
        c = Over(body, window, c);
        return new Rgba32(Clamp(c.R), Clamp(c.G), Clamp(c.B), Clamp(255 * c.A));
    }

    private static (double R, double G, double B) Lerp((double R, double G, double B) from, (double R, double G, double B) to, double t) =>
        (from.R + (to.R - from.R) * t, from.G + (to.G - from.G) * t, from.B + (to.B - from.B) * t);

    /// <summary>
    /// Coverage of a line of anti-aliased "text" at (x, y) from the line's top-left corner: glyph-sized strokes with
    /// soft edges, words separated by gaps, <paramref name="length"/> pixels long.
    /// </summary>
    private static double Text(double x, double y, double length, DeterministicRandom random)
    {
        if (x < 0 || x > length || y < 0 || y > 11) return 0;
        int glyph = (int)(x / 7);
        if (glyph % 6 == 5) return 0;
        double gx = x - 7 * glyph;
        double stem = Math.Clamp(1.6 - Math.Abs(gx - 2 - (glyph * 7919 % 3)), 0, 1);
        double bar = Math.Clamp(1.3 - Math.Abs(y - 3 - (glyph * 104729 % 6)), 0, 1) * (gx < 5.5 ? 1 : 0);
        return Math.Min(1, Math.Max(stem, bar) * (0.85 + 0.01 * random.NextInt(16)));
    }

    private static Rgba32 Photo(int x, int y, DeterministicRandom random)
    {
        double u = x / 640.0, v = y / 427.0;
        // Sky to ground, a low sun glow, two soft hills and a round object in front.
        double r = 90 + 120 * v + 40 * Math.Sin(3.1 * u + 1.2), g = 130 + 50 * Math.Sin(2.3 * v + 0.4) + 20 * Math.Cos(5 * u), b = 200 - 140 * v;
        double glow = Math.Exp(-((u - 0.7) * (u - 0.7) + (v - 0.3) * (v - 0.3)) * 30);
        (r, g, b) = (r + 100 * glow, g + 70 * glow, b + 20 * glow);
        double hill = Smooth(-0.01, 0.01, v - (0.55 + 0.08 * Math.Sin(7 * u)));
        (r, g, b) = (r * (1 - hill) + (70 + 40 * Math.Sin(13 * u + 9 * v)) * hill, g * (1 - hill) + (110 + 30 * Math.Cos(11 * u)) * hill, b * (1 - hill) + (50 + 20 * v) * hill);
        double ball = Smooth(0.005, -0.005, Math.Sqrt((u - 0.3) * (u - 0.3) * 2.2 + (v - 0.62) * (v - 0.62)) - 0.14);
        double shade = 0.6 + 0.4 * Math.Cos(9 * (u - 0.26) + 6 * (v - 0.56));
        (r, g, b) = (r * (1 - ball) + 210 * shade * ball, g * (1 - ball) + 60 * shade * ball, b * (1 - ball) + 40 * shade * ball);
        // Grain: stronger in the foreground, and correlated between channels like sensor noise after demosaicing.
        double grain = 3 + 9 * v;
        double common = (random.NextInt(2001) - 1000) / 1000.0 * grain;
        return new Rgba32(Clamp(r + common + random.NextInt(5) - 2), Clamp(g + common + random.NextInt(5) - 2), Clamp(b + common + random.NextInt(5) - 2), 255);
    }
}
