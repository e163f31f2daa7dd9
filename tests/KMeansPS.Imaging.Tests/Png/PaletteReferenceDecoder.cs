using System.Buffers.Binary;
using System.IO.Compression;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Png;

/// <summary>
/// A plain reading of an indexed-colour PNG by the specification (inflate, undo each row's filter, unpack 1/2/4/8-bit
/// indices, look them up in PLTE and tRNS), independent of the encoder and of ImageSharp.
/// </summary>
internal static class PaletteReferenceDecoder
{
    public sealed record Decoded(int Width, int Height, int BitDepth, byte[] Filters, byte[] Indices, Rgba32[] Pixels);

    public static Decoded Decode(byte[] png)
    {
        List<PngChunk> chunks = PngChunk.Parse(png);
        byte[] ihdr = chunks[0].Data;
        Assert.Equal("IHDR", chunks[0].Type);
        int width = BinaryPrimitives.ReadInt32BigEndian(ihdr), height = BinaryPrimitives.ReadInt32BigEndian(ihdr.AsSpan(4));
        int depth = ihdr[8];
        Assert.Equal(3, ihdr[9]);
        byte[] plte = chunks.Single(c => c.Type == "PLTE").Data;
        byte[] trns = chunks.SingleOrDefault(c => c.Type == "tRNS")?.Data ?? [];
        byte[] idat = [.. chunks.Where(c => c.Type == "IDAT").SelectMany(c => c.Data)];
        using var inflate = new ZLibStream(new MemoryStream(idat), CompressionMode.Decompress);
        var rawStream = new MemoryStream();
        inflate.CopyTo(rawStream);
        byte[] raw = rawStream.ToArray();

        int rowBytes = (width * depth + 7) / 8;
        Assert.Equal((long)(rowBytes + 1) * height, raw.Length);
        var filters = new byte[height];
        var previous = new byte[rowBytes];
        var row = new byte[rowBytes];
        var indices = new byte[width * height];
        for (int y = 0; y < height; y++)
        {
            filters[y] = raw[y * (rowBytes + 1)];
            for (int x = 0; x < rowBytes; x++)
            {
                int left = x > 0 ? row[x - 1] : 0, up = previous[x], upLeft = x > 0 ? previous[x - 1] : 0;
                int predictor = filters[y] switch
                {
                    0 => 0,
                    1 => left,
                    2 => up,
                    3 => (left + up) / 2,
                    4 => Paeth(left, up, upLeft),
                    _ => throw new InvalidDataException($"Filter type {filters[y]} on row {y}."),
                };
                row[x] = (byte)(raw[y * (rowBytes + 1) + 1 + x] + predictor);
            }
            for (int x = 0; x < width; x++)
            {
                int bit = x * depth;
                indices[y * width + x] = (byte)((row[bit / 8] >> (8 - depth - bit % 8)) & ((1 << depth) - 1));
            }
            (previous, row) = (row, previous);
        }

        var pixels = new Rgba32[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            int e = indices[i];
            Assert.True(3 * e + 2 < plte.Length, $"Index {e} is outside PLTE.");
            pixels[i] = new Rgba32(plte[3 * e], plte[3 * e + 1], plte[3 * e + 2], e < trns.Length ? trns[e] : (byte)255);
        }
        return new Decoded(width, height, depth, filters, indices, pixels);
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
