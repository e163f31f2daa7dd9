using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using KMeansPS.Imaging.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Png;

/// <summary>Writes PNG files chunk by chunk, independently of any encoder, and makes the pixels and scanlines in them.</summary>
internal static class PngFiles
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static byte[] Ihdr(int width, int height, byte bitDepth, byte colorType, byte interlace)
    {
        byte[] data = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(data, width);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(4), height);
        data[8] = bitDepth;
        data[9] = colorType;
        data[12] = interlace;
        return data;
    }

    public static byte[] Chunk(string type, byte[] data)
    {
        byte[] chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(chunk, 4);
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32.Compute(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    public static byte[] Zlib(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal)) zlib.Write(raw);
        return output.ToArray();
    }

    public static byte[] Concat(IEnumerable<byte[]> chunks) => [.. Signature, .. chunks.SelectMany(c => c)];

    /// <summary>
    /// A file whose zlib stream is split over several IDAT chunks of random sizes (the first holds at least the
    /// zlib header, which ImageSharp 2.1 needs).
    /// </summary>
    public static byte[] Build(int width, int height, int colorType, byte[] raw, Random random)
    {
        byte[] zlib = Zlib(raw);
        var chunks = new List<byte[]> { Chunk("IHDR", Ihdr(width, height, 8, (byte)colorType, 0)) };
        int p = 0;
        while (p < zlib.Length)
        {
            int n = Math.Min(zlib.Length - p, random.Next(p == 0 ? 2 : 1, 64));
            chunks.Add(Chunk("IDAT", zlib[p..(p + n)]));
            p += n;
        }
        chunks.Add(Chunk("IEND", []));
        return Concat(chunks);
    }

    /// <summary>Random colours and alphas: filters see every byte value, and wrap-around happens.</summary>
    public static RgbaImage Noise(int width, int height, int seed)
    {
        var random = new Random(seed);
        var pixels = new Rgba32[width * height];
        for (int i = 0; i < pixels.Length; i++)
        {
            // Half smooth (so the encoder's filters predict something), half noise.
            int x = i % width, y = i / width;
            pixels[i] = random.Next(2) == 0
                ? new Rgba32((byte)(x * 7 + y), (byte)(y * 5), (byte)(x * y), (byte)(255 - x))
                : new Rgba32((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
        }
        return new RgbaImage(width, height, pixels);
    }

    /// <summary>Filtered scanlines as a PNG stores them: a filter type byte from <paramref name="filters"/>, then random bytes.</summary>
    public static byte[] RandomScanlines(Random random, int width, int height, int bpp, byte[] filters)
    {
        int stride = width * bpp + 1;
        byte[] raw = new byte[stride * height];
        random.NextBytes(raw);
        for (int y = 0; y < height; y++) raw[y * stride] = filters[random.Next(filters.Length)];
        return raw;
    }
}
