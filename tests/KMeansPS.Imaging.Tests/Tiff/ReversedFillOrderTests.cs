using System.Buffers.Binary;
using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Tests.Corpus;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Tiff;

/// <summary>
/// FillOrder 2 (each byte's bits stored least significant first) read as libtiff reads it: the bits of each strip's
/// bytes put in order before decompressing. ImageSharp 2.1 mirrored the pixels of uncompressed 1-bit strips within each
/// byte, failed on compressed ones, and refused other depths.
/// </summary>
public class ReversedFillOrderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const int Width = 21, Height = 9, RowsPerStrip = 4;

    /// <summary>Seeded samples, one per pixel: 0/1 at 1 bit, 0-255 at 8 bits.</summary>
    private static int[] Samples(int bits, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, Width * Height).Select(_ => random.Next(1 << bits)).ToArray();
    }

    /// <summary>One strip's raw rows, packed most significant bit first, each row padded to a whole byte.</summary>
    private static byte[] Rows(int[] samples, int bits, int firstRow, int rows)
    {
        int stride = (Width * bits + 7) / 8;
        var raw = new byte[stride * rows];
        for (int y = 0; y < rows; y++)
        {
            for (int x = 0; x < Width; x++)
            {
                int v = samples[(firstRow + y) * Width + x];
                if (bits == 8) raw[y * stride + x] = (byte)v;
                else if (v != 0) raw[y * stride + x / 8] |= (byte)(0x80 >> (x % 8));
            }
        }
        return raw;
    }

    private static byte[] Compress(byte[] raw, int method) => method switch
    {
        1 => raw,
        8 => PngWriter.Zlib(raw),
        _ => TiffWriter.PackBitsLiteral(raw),
    };

    // Bit by bit, apart from the module's own reversal.
    private static byte Mirrored(byte b)
    {
        int r = 0;
        for (int i = 0; i < 8; i++) if ((b & (1 << i)) != 0) r |= 0x80 >> i;
        return (byte)r;
    }

    /// <summary>A little-endian classic TIFF: grey, MinIsBlack, one sample, strips of <see cref="RowsPerStrip"/> rows.</summary>
    private static byte[] Tiff(int[] samples, int bits, int method, int fillOrder, Func<byte[], byte[]>? lastStrip = null)
    {
        var strips = new List<byte[]>();
        for (int y = 0; y < Height; y += RowsPerStrip)
        {
            byte[] data = Compress(Rows(samples, bits, y, Math.Min(RowsPerStrip, Height - y)), method);
            if (fillOrder == 2) data = data.Select(Mirrored).ToArray();
            strips.Add(data);
        }
        if (lastStrip is not null) strips[^1] = lastStrip(strips[^1]);
        var file = new List<byte> { (byte)'I', (byte)'I', 42, 0, 0, 0, 0, 0 };
        var offsets = new List<uint>();
        foreach (byte[] strip in strips)
        {
            offsets.Add((uint)file.Count);
            file.AddRange(strip);
            if (file.Count % 2 == 1) file.Add(0);
        }
        uint offsetsAt = (uint)file.Count;
        foreach (uint o in offsets) file.AddRange(BitConverter.GetBytes(o));
        uint countsAt = (uint)file.Count;
        foreach (byte[] strip in strips) file.AddRange(BitConverter.GetBytes((uint)strip.Length));
        uint ifd = (uint)file.Count;
        var entries = new (ushort Tag, ushort Type, uint Count, uint Value)[]
        {
            (256, 3, 1, Width), (257, 3, 1, Height), (258, 3, 1, (uint)bits), (259, 3, 1, (uint)method), (262, 3, 1, 1),
            (266, 3, 1, (uint)fillOrder), (273, 4, (uint)strips.Count, offsetsAt), (277, 3, 1, 1), (278, 3, 1, RowsPerStrip),
            (279, 4, (uint)strips.Count, countsAt),
        };
        file.AddRange(BitConverter.GetBytes((ushort)entries.Length));
        foreach ((ushort tag, ushort type, uint count, uint value) in entries)
        {
            file.AddRange(BitConverter.GetBytes(tag));
            file.AddRange(BitConverter.GetBytes(type));
            file.AddRange(BitConverter.GetBytes(count));
            file.AddRange(type == 3 ? [.. BitConverter.GetBytes((ushort)value), 0, 0] : BitConverter.GetBytes(value));
        }
        file.AddRange(new byte[4]);
        byte[] bytes = file.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), ifd);
        return bytes;
    }

    private static Rgba32[] Decode(byte[] tiff) => ImageDecoder.Decode(new MemoryStream(tiff), name: "test.tif", cancellationToken: Ct).Pixels;

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 8)]
    [InlineData(1, 32773)]
    [InlineData(8, 1)]
    [InlineData(8, 8)]
    [InlineData(8, 32773)]
    public void Strips_with_their_bits_reversed_give_the_image_their_rows_hold(int bits, int method)
    {
        int[] samples = Samples(bits, seed: bits * 100 + method);
        Rgba32[] expected = samples.Select(v => bits == 1 ? (v == 0 ? new Rgba32(0, 0, 0) : new Rgba32(255, 255, 255)) : new Rgba32((byte)v, (byte)v, (byte)v)).ToArray();
        Assert.Equal(expected, Decode(Tiff(samples, bits, method, fillOrder: 1)));
        Assert.Equal(expected, Decode(Tiff(samples, bits, method, fillOrder: 2)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    public void A_compressed_strip_cut_short_with_its_bits_reversed_is_found(int bits)
    {
        int[] samples = Samples(bits, seed: 7);
        // The last strip's Deflate data cut to half, its byte count set to match.
        byte[] cut = Tiff(samples, bits, 8, fillOrder: 2, lastStrip: s => s[..(s.Length / 2)]);
        var error = Assert.Throws<InvalidImageException>(() => Decode(cut));
        Assert.Contains("TIFF strip 3", error.Message);
    }
}
