using System.Buffers.Binary;
using System.IO.Compression;
using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Tests.Corpus;
using KMeansPS.Imaging.Tiff;

namespace KMeansPS.Imaging.Tests.Tiff;

/// <summary>
/// 32-bit floating-point samples with horizontal differencing (Predictor 2) in LZW or Deflate strips are read as
/// libtiff reads them, each sample's word added to its left neighbour's as an unsigned integer in the file's byte
/// order (horAcc32): the same pixels as the samples stored plainly. ImageSharp 2.1 decoded the differences
/// themselves, a nearly black picture, without an error.
/// </summary>
public sealed class DifferencedFloatsTests
{
    private const int Width = 45, Height = 21, RowsPerStrip = 8;
    private const ushort Short = TiffEntriesWriter.Short;

    public static TheoryData<int, bool, int> Layouts()
    {
        var layouts = new TheoryData<int, bool, int>();
        foreach (int samples in new[] { 1, 3 })
            foreach (bool bigEndian in new[] { false, true })
                foreach (int compression in new[] { 5, 8 })
                    layouts.Add(samples, bigEndian, compression);
        return layouts;
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void DifferencedFloatsGiveThePixelsOfTheSamplesStoredPlainly(int samples, bool bigEndian, int compression)
    {
        byte[][] rows = Rows(samples, bigEndian, seed: samples * 4 + (bigEndian ? 2 : 0) + compression);
        byte[] plain = Tiff(samples, bigEndian, 1, 1, Strips(rows, strip => strip));
        byte[] differenced = Tiff(samples, bigEndian, compression, 2, Strips(rows, strip => Compress(Differenced(strip, samples, bigEndian), compression)));
        Assert.Equal(IntegrityVerdict.Intact, FileIntegrity.Check(differenced).Verdict);
        RgbaImage expected = Decode(plain), decoded = Decode(differenced);
        Assert.Equal(expected.Pixels[..(Width * Height)], decoded.Pixels[..(Width * Height)]);
        Assert.Equal(expected.Wide?[..(Width * Height)], decoded.Wide?[..(Width * Height)]);
    }

    /// <summary>The copy ImageSharp is handed holds the samples' very bytes, uncompressed, in the strips it names.</summary>
    [Theory]
    [MemberData(nameof(Layouts))]
    public void TheCopysStripsHoldTheSamplesBytes(int samples, bool bigEndian, int compression)
    {
        byte[][] rows = Rows(samples, bigEndian, seed: 50 + samples * 4 + (bigEndian ? 2 : 0) + compression);
        byte[] copy = DifferencedFloats.Undone(Tiff(samples, bigEndian, compression, 2, Strips(rows, strip => Compress(Differenced(strip, samples, bigEndian), compression))));
        TiffFirstDirectory directory = TiffFirstDirectory.Read(copy)!;
        Assert.Equal(1, directory.Value(259));
        Assert.False(directory.Has(317));
        byte[] expected = [.. rows.SelectMany(row => row)];
        byte[] held = [.. Enumerable.Range(0, (int)directory.Count(273))
            .SelectMany(s => copy.AsSpan((int)directory.Value(273, s)!.Value, (int)directory.Value(279, s)!.Value).ToArray())];
        Assert.Equal(expected, held);
    }

    private static RgbaImage Decode(byte[] file) =>
        ImageDecoder.Decode(new MemoryStream(file), name: "floats.tif", cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>
    /// Seeded samples' rows in the file's byte order: levels in [0, 1] with a few outside it, and rows of one colour
    /// (their differences zeros, long LZW strings) between them.
    /// </summary>
    private static byte[][] Rows(int samples, bool bigEndian, int seed)
    {
        var random = new Random(seed);
        var rows = new byte[Height][];
        for (int y = 0; y < Height; y++)
        {
            rows[y] = new byte[Width * samples * 4];
            float flat = random.NextSingle();
            for (int i = 0; i < Width * samples; i++)
            {
                float value = y % 3 == 1 ? flat : random.Next(20) == 0 ? random.NextSingle() * 4 - 2 : random.NextSingle();
                int bitsOfValue = BitConverter.SingleToInt32Bits(value);
                if (bigEndian) BinaryPrimitives.WriteInt32BigEndian(rows[y].AsSpan(4 * i), bitsOfValue);
                else BinaryPrimitives.WriteInt32LittleEndian(rows[y].AsSpan(4 * i), bitsOfValue);
            }
        }
        return rows;
    }

    /// <summary>Each strip's rows, made into its data by <paramref name="code"/>.</summary>
    private static List<byte[]> Strips(byte[][] rows, Func<byte[], byte[]> code)
    {
        var strips = new List<byte[]>();
        for (int top = 0; top < Height; top += RowsPerStrip)
            strips.Add(code([.. rows.Skip(top).Take(RowsPerStrip).SelectMany(row => row)]));
        return strips;
    }

    private static byte[] Compress(byte[] raw, int compression)
    {
        if (compression == 5) return TiffLzwEncoder.Encode(raw);
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true)) zlib.Write(raw);
        return output.ToArray();
    }

    /// <summary>
    /// Horizontal differencing as libtiff's encoder applies it (horDiff32): in each row, from the right, every sample's
    /// 32-bit word less the same sample's of the pixel to its left, as unsigned integers in the file's byte order.
    /// </summary>
    private static byte[] Differenced(byte[] strip, int samples, bool bigEndian)
    {
        byte[] result = strip.ToArray();
        int stride = Width * samples * 4;
        for (int row = 0; row < result.Length; row += stride)
        {
            for (int at = row + stride - 4; at >= row + 4 * samples; at -= 4)
            {
                uint word = Word(result, at, bigEndian) - Word(result, at - 4 * samples, bigEndian);
                if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(result.AsSpan(at), word);
                else BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(at), word);
            }
        }
        return result;
    }

    private static uint Word(byte[] data, int at, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(at)) : BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(at));

    /// <summary>A float TIFF (grey or RGB) of the given strips, already coded.</summary>
    private static byte[] Tiff(int samples, bool bigEndian, int compression, int predictor, List<byte[]> strips) =>
        TiffEntriesWriter.Write(bigEndian, strips,
        [
            (256, Short, [Width]), (257, Short, [Height]), (258, Short, [.. Enumerable.Repeat(32u, samples)]), (259, Short, [(uint)compression]),
            (262, Short, [samples == 1 ? 1u : 2u]), (277, Short, [(uint)samples]), (278, Short, [RowsPerStrip]), (284, Short, [1]),
            (317, Short, [(uint)predictor]), (339, Short, [.. Enumerable.Repeat(3u, samples)]),
        ]);
}
