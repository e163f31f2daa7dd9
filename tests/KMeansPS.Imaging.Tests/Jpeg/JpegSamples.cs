using System.Buffers.Binary;
using KMeansPS.Imaging.Jpeg;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Jpeg;

/// <summary>Test images for the JPEG decoder, JPEGs made from them, and surgery on JPEG marker segments.</summary>
internal static class JpegSamples
{
    /// <summary>
    /// A photo-like image: smooth gradients with noise, a few hard edges and saturated patches, so that every kind
    /// of coefficient, large and small, and the clamping of colour conversion all occur.
    /// </summary>
    public static RgbaImage Photo(int width, int height, int seed = 1)
    {
        var random = new Random(seed);
        var pixels = new Rgba32[width * height];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                double fx = x / Math.Max(1.0, width - 1), fy = y / Math.Max(1.0, height - 1);
                int r = (int)(255 * fx) + random.Next(-20, 21), g = (int)(255 * fy) + random.Next(-20, 21), b = (int)(128 + 120 * Math.Sin(6 * fx + 4 * fy)) + random.Next(-20, 21);
                if ((x / 7 + y / 5) % 5 == 0) (r, g, b) = (255 - r, g / 2, 255);
                if (x > width / 2 && y < height / 3) (r, g, b) = (250, 10, 5);
                pixels[y * width + x] = new Rgba32((byte)Math.Clamp(r, 0, 255), (byte)Math.Clamp(g, 0, 255), (byte)Math.Clamp(b, 0, 255), 255);
            }
        }
        return new RgbaImage(width, height, pixels);
    }

    /// <summary>ImageSharp 2.1's baseline encoder (JpegColorType YCbCrRatio444, YCbCrRatio420, Luminance, Rgb).</summary>
    public static byte[] ImageSharpJpeg(RgbaImage image, JpegColorType colorType, int quality = 85)
    {
        using var stream = new MemoryStream();
        using (Image<Rgba32> img = Fixtures.ToImage(image)) img.Save(stream, new JpegEncoder { Quality = quality, ColorType = colorType });
        return stream.ToArray();
    }

    /// <summary>A marker segment: offset of its 0xFF, marker code, total length including the marker (entropy data not included).</summary>
    public readonly record struct Segment(int Offset, int Marker, int Length);

    /// <summary>The marker segments of a well-formed JPEG up to the first SOS (inclusive).</summary>
    public static List<Segment> HeaderSegments(byte[] jpeg)
    {
        var list = new List<Segment> { new(0, 0xD8, 2) };
        int p = 2;
        while (p + 4 <= jpeg.Length && jpeg[p] == 0xFF)
        {
            int marker = jpeg[p + 1];
            int length = BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(p + 2));
            list.Add(new Segment(p, marker, 2 + length));
            if (marker == 0xDA) break;
            p += 2 + length;
        }
        return list;
    }

    public static Segment First(byte[] jpeg, int marker) => HeaderSegments(jpeg).First(s => s.Marker == marker);

    /// <summary>The file with <paramref name="insert"/> placed at <paramref name="offset"/>.</summary>
    public static byte[] Insert(byte[] jpeg, int offset, byte[] insert) => [.. jpeg.AsSpan(0, offset), .. insert, .. jpeg.AsSpan(offset)];

    /// <summary>The file without the bytes from <paramref name="offset"/> to offset + length.</summary>
    public static byte[] Remove(byte[] jpeg, int offset, int length) => [.. jpeg.AsSpan(0, offset), .. jpeg.AsSpan(offset + length)];

    /// <summary>A marker segment with the given payload.</summary>
    public static byte[] MakeSegment(int marker, ReadOnlySpan<byte> payload)
    {
        var segment = new byte[4 + payload.Length];
        segment[0] = 0xFF;
        segment[1] = (byte)marker;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(payload.Length + 2));
        payload.CopyTo(segment.AsSpan(4));
        return segment;
    }

    /// <summary>The file with a segment inserted right after SOI.</summary>
    public static byte[] WithSegmentAfterSoi(byte[] jpeg, int marker, ReadOnlySpan<byte> payload) => Insert(jpeg, 2, MakeSegment(marker, payload));

    /// <summary>
    /// The file with every 8-bit quantization table's entries multiplied by <paramref name="factor"/> (at most 255): over
    /// a file coded at quality 100 its coefficients then put samples far outside 0..255, as no encoder does.
    /// </summary>
    public static byte[] WithQuantizationScaled(byte[] jpeg, int factor)
    {
        byte[] scaled = (byte[])jpeg.Clone();
        foreach (Segment dqt in HeaderSegments(scaled).Where(s => s.Marker == 0xDB))
            for (int p = dqt.Offset + 5; p < dqt.Offset + dqt.Length; p += 65)
                for (int k = 0; k < 64; k++) scaled[p + k] = (byte)Math.Min(255, scaled[p + k] * factor);
        return scaled;
    }

    /// <summary>Decodes with the given kernels into a fresh array.</summary>
    public static Rgba32[] Decode(byte[] jpeg, JpegKernel kernel = JpegKernel.Scalar)
    {
        JpegHeader header = ExactJpegDecoder.ReadHeader(jpeg);
        var pixels = new Rgba32[header.PixelCount];
        ExactJpegDecoder.DecodeWith(kernel, jpeg, pixels, null, TestContext.Current.CancellationToken);
        return pixels;
    }

    /// <summary>The first differing pixel, for failure messages.</summary>
    public static string FirstDifference(Rgba32[] expected, Rgba32[] actual, int width)
    {
        for (int i = 0; i < Math.Min(expected.Length, actual.Length); i++)
            if (expected[i] != actual[i]) return $"first difference at ({i % width}, {i / width}): expected {expected[i]}, got {actual[i]}";
        return expected.Length == actual.Length ? "identical" : $"lengths {expected.Length} and {actual.Length}";
    }
}
