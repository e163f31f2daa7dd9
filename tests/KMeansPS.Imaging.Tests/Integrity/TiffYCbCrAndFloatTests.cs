using System.Buffers.Binary;
using System.IO.Compression;
using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Integrity;
using SixLabors.ImageSharp.PixelFormats;

using KMeansPS.Imaging.Tests.Corpus;

namespace KMeansPS.Imaging.Tests.Integrity;

/// <summary>
/// TIFF layouts ImageSharp 2.1 pads or misreads without an error: a YCbCr strip cut short with its byte count set to
/// match (counted in subsampled data units, as libtiff reads them), YCbCr with a predictor (decoded without undoing it),
/// and floating-point samples of 16 or 64 bits (decoded into other values). The first is damaged, the others refused.
/// </summary>
public sealed class TiffYCbCrAndFloatTests
{
    [Theory]
    [InlineData(2, 2, 8)]
    [InlineData(2, 1, 8)]
    [InlineData(1, 1, 8)]
    [InlineData(4, 2, 32773)]
    [InlineData(2, 2, 5)]
    public void AYCbCrStripCutShortWithItsCountSetToMatchIsDamaged(int h, int v, int compression)
    {
        const int width = 37, height = 21;
        int units = (width + h - 1) / h * ((height + v - 1) / v) * (h * v + 2);
        byte[] samples = new byte[units];
        new Random(h * 10 + v).NextBytes(samples);
        byte[] whole = YCbCr(width, height, h, v, compression, samples, predictor: 1);
        IntegrityReport intact = FileIntegrity.Check(whole);
        Assert.True(intact.Verdict == IntegrityVerdict.Intact, $"{intact.Verdict}: {intact.Reason}");
        byte[] cut = YCbCr(width, height, h, v, compression, samples, predictor: 1, keep: 0.5);
        IntegrityReport report = FileIntegrity.Check(cut);
        Assert.True(report.Verdict == IntegrityVerdict.Damaged, $"{report.Verdict}: {report.Reason}");
        Assert.Contains($"of the {units:N0} bytes its rows need", report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void YCbCrWithAPredictorIsRefused()
    {
        byte[] file = YCbCr(16, 8, 2, 2, 8, new byte[8 * 4 * 6], predictor: 2);
        IntegrityReport report = FileIntegrity.Check(file);
        Assert.True(report.Verdict == IntegrityVerdict.Unsupported, $"{report.Verdict}: {report.Reason}");
        Assert.Contains("predictor", report.Reason, StringComparison.Ordinal);
    }

    /// <summary>h x v subsamplings TIFF 6.0 allows (no more rows than columns to a block) and libtiff reads.</summary>
    public static TheoryData<int, int> Subsamplings() => new() { { 1, 1 }, { 2, 1 }, { 2, 2 }, { 4, 1 }, { 4, 2 }, { 4, 4 } };

    /// <summary>
    /// Uncompressed strips hold the same data units as compressed ones (libtiff's TIFFVStripSize): they were sized as
    /// full rows and refused as short. Read, they give the pixels of the same units in Deflate strips (the pixels
    /// libtiff's tiff2rgba gives, but for one in several hundred a level apart in YCbCr-to-RGB rounding).
    /// </summary>
    [Theory]
    [MemberData(nameof(Subsamplings))]
    public void UncompressedSubsampledYCbCrIsReadAsItsDeflatedStrips(int h, int v)
    {
        const int width = 37, height = 21, rowsPerStrip = 8;
        byte[][] strips = StripUnits(width, height, rowsPerStrip, h, v, seed: 100 + h * 10 + v);
        byte[] raw = Tiff(width, height, rowsPerStrip, YCbCrTags(h, v, 1), strips);
        byte[] deflated = Tiff(width, height, rowsPerStrip, YCbCrTags(h, v, 8), [.. strips.Select(Zlib)]);
        IntegrityReport report = FileIntegrity.Check(raw);
        Assert.True(report.Verdict == IntegrityVerdict.Intact, $"{report.Verdict}: {report.Reason}");
        CancellationToken ct = TestContext.Current.CancellationToken;
        Rgba32[] expected = ImageDecoder.Decode(new MemoryStream(deflated), cancellationToken: ct).Pixels[..(width * height)];
        Assert.Equal(expected, ImageDecoder.Decode(new MemoryStream(raw), cancellationToken: ct).Pixels[..(width * height)]);
    }

    /// <summary>An uncompressed YCbCr strip a byte short of its data units, or cut by the end of the file, is damaged.</summary>
    [Theory]
    [MemberData(nameof(Subsamplings))]
    public void AnUncompressedYCbCrStripShortOfItsDataUnitsIsDamaged(int h, int v)
    {
        const int width = 37, height = 21, rowsPerStrip = 8;
        byte[][] strips = StripUnits(width, height, rowsPerStrip, h, v, seed: 200 + h * 10 + v);
        int units = strips[^1].Length;
        byte[][] short1 = [.. strips[..^1], strips[^1][..^1]];
        IntegrityReport report = FileIntegrity.Check(Tiff(width, height, rowsPerStrip, YCbCrTags(h, v, 1), short1));
        Assert.True(report.Verdict == IntegrityVerdict.Damaged, $"{report.Verdict}: {report.Reason}");
        Assert.Contains($"holds {units - 1:N0} bytes of the {units:N0} its rows need", report.Reason, StringComparison.Ordinal);

        // The last strip's bytes sit just before the directory: a file cut there has its directory moved to the cut.
        byte[] whole = Tiff(width, height, rowsPerStrip, YCbCrTags(h, v, 1), strips);
        int lastStrip = whole.AsSpan().LastIndexOf(strips[^1]);
        byte[] cut = CutInside(whole, lastStrip + units / 4);
        int held = cut.Length - lastStrip, band = (width + h - 1) / h * (h * v + 2);
        Assert.True(held < units, "the cut leaves the strip whole");
        report = FileIntegrity.Check(cut);
        Assert.True(report.Verdict == IntegrityVerdict.Damaged, $"{report.Verdict}: {report.Reason}");
        Assert.Contains($"the file ends inside TIFF strip 3: the image data ends after {2 * rowsPerStrip + held / band * v} of {height} rows",
            report.Reason, StringComparison.Ordinal);
    }

    /// <summary>More rows than columns to a block: TIFF 6.0 does not allow it, ImageSharp 2.1 fails on it; refused as such, not as damage.</summary>
    [Theory]
    [InlineData(1, 2, 1)]
    [InlineData(2, 4, 1)]
    [InlineData(1, 4, 8)]
    public void YCbCrWithMoreRowsThanColumnsToABlockIsUnsupported(int h, int v, int compression)
    {
        const int width = 37, height = 21, rowsPerStrip = 8;
        byte[][] strips = StripUnits(width, height, rowsPerStrip, h, v, seed: 300 + h * 10 + v);
        if (compression == 8) strips = [.. strips.Select(Zlib)];
        IntegrityReport report = FileIntegrity.Check(Tiff(width, height, rowsPerStrip, YCbCrTags(h, v, compression), strips));
        Assert.True(report.Verdict == IntegrityVerdict.Unsupported, $"{report.Verdict}: {report.Reason}");
        Assert.Contains($"subsampled {h} x {v}", report.Reason, StringComparison.Ordinal);
    }

    private static (int, int, int, int)[] YCbCrTags(int h, int v, int compression) =>
        [(258, 3, 3, 8), (259, 3, 1, compression), (262, 3, 1, 6), (277, 3, 1, 3), (530, 3, 2, h | v << 16)];

    /// <summary>Seeded data units for each strip: (h x v luma samples and two chroma samples) a block, blocks of partial rows and columns included.</summary>
    private static byte[][] StripUnits(int width, int height, int rowsPerStrip, int h, int v, int seed)
    {
        var random = new Random(seed);
        var strips = new List<byte[]>();
        for (int top = 0; top < height; top += rowsPerStrip)
        {
            int rows = Math.Min(rowsPerStrip, height - top);
            var units = new byte[(width + h - 1) / h * ((rows + v - 1) / v) * (h * v + 2)];
            random.NextBytes(units);
            strips.Add(units);
        }
        return [.. strips];
    }

    /// <summary>The file cut at <paramref name="length"/> bytes, with its directory (and what follows it) moved to the cut.</summary>
    private static byte[] CutInside(byte[] file, int length)
    {
        int ifd = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(4));
        int at = length + (length & 1);
        var cut = new byte[at + file.Length - ifd];
        file.AsSpan(0, length).CopyTo(cut);
        file.AsSpan(ifd).CopyTo(cut.AsSpan(at));
        BinaryPrimitives.WriteUInt32LittleEndian(cut.AsSpan(4), (uint)at);
        // Values outside the entries moved by the same distance.
        int shift = at - ifd, count = BinaryPrimitives.ReadUInt16LittleEndian(cut.AsSpan(at));
        for (int i = 0; i < count; i++)
        {
            Span<byte> entry = cut.AsSpan(at + 2 + 12 * i, 12);
            int size = BinaryPrimitives.ReadUInt16LittleEndian(entry[2..]) == 3 ? 2 : 4;
            if (size * BinaryPrimitives.ReadUInt32LittleEndian(entry[4..]) > 4)
                BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], (uint)(BinaryPrimitives.ReadUInt32LittleEndian(entry[8..]) + shift));
        }
        return cut;
    }

    [Theory]
    [InlineData(16, false)]
    [InlineData(64, false)]
    [InlineData(32, true)]
    public void FloatingPointSamplesOf16Or64BitsAreRefused(int bits, bool read)
    {
        const int width = 5, height = 3;
        byte[] data = new byte[width * height * bits / 8];
        byte[] file = Tiff(width, height, [(258, 3, 1, bits), (259, 3, 1, 1), (262, 3, 1, 1), (277, 3, 1, 1), (339, 3, 1, 3)], data);
        IntegrityReport report = FileIntegrity.Check(file);
        Assert.True((report.Verdict == IntegrityVerdict.Intact) == read, $"{report.Verdict}: {report.Reason}");
        if (!read) Assert.Contains("floating-point", report.Reason, StringComparison.Ordinal);
    }

    /// <summary>A one-strip YCbCr TIFF of 8-bit samples in data units; <paramref name="keep"/> cuts the compressed strip.</summary>
    private static byte[] YCbCr(int width, int height, int h, int v, int compression, byte[] units, int predictor, double keep = 1)
    {
        byte[] strip = compression switch
        {
            8 => Zlib(units),
            32773 => TiffWriter.PackBitsLiteral(units),
            5 => Lzw(units),
            _ => units,
        };
        strip = strip[..Math.Max(1, (int)(strip.Length * keep))];
        return Tiff(width, height,
            [(258, 3, 3, 8), (259, 3, 1, compression), (262, 3, 1, 6), (277, 3, 1, 3), (317, 3, 1, predictor), (530, 3, 2, h | v << 16)], strip);
    }

    /// <summary>A little-endian TIFF of one strip right after the header, then one directory.</summary>
    private static byte[] Tiff(int width, int height, (int Tag, int Type, int Count, int Value)[] extra, byte[] strip) =>
        Tiff(width, height, height, extra, [strip]);

    /// <summary>
    /// A little-endian TIFF: the strips right after the header, then one directory, then the values that do not fit in
    /// their entries. An extra entry of 3 SHORTs repeats its value (BitsPerSample); of 2 SHORTs, its value holds both.
    /// </summary>
    private static byte[] Tiff(int width, int height, int rowsPerStrip, (int Tag, int Type, int Count, int Value)[] extra, IReadOnlyList<byte[]> strips)
    {
        var data = new List<byte>("II*\0\0\0\0\0"u8.ToArray());
        var offsets = new List<int>();
        foreach (byte[] strip in strips)
        {
            offsets.Add(data.Count);
            data.AddRange(strip);
            if ((data.Count & 1) != 0) data.Add(0);
        }
        var entries = new List<(int Tag, int Type, int[] Values)>
        {
            (256, 4, [width]), (257, 4, [height]), (273, 4, [.. offsets]), (278, 4, [rowsPerStrip]), (279, 4, [.. strips.Select(s => s.Length)]),
        };
        foreach ((int tag, int type, int count, int value) in extra)
            entries.Add((tag, type, count switch { 3 => [value, value, value], 2 => [value & 0xFFFF, value >> 16], _ => [value] }));
        entries.Sort((a, b) => a.Tag.CompareTo(b.Tag));
        int ifd = data.Count;
        int outside = ifd + 2 + 12 * entries.Count + 4;
        var file = new byte[outside + entries.Sum(e => e.Values.Length * 4)];
        data.CopyTo(file);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), (uint)ifd);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(ifd), (ushort)entries.Count);
        for (int i = 0; i < entries.Count; i++)
        {
            (int tag, int type, int[] values) = entries[i];
            Span<byte> entry = file.AsSpan(ifd + 2 + 12 * i, 12);
            BinaryPrimitives.WriteUInt16LittleEndian(entry, (ushort)tag);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[2..], (ushort)type);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], (uint)values.Length);
            int size = type == 3 ? 2 : 4;
            Span<byte> at = entry[8..];
            if (size * values.Length > 4)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(at, (uint)outside);
                at = file.AsSpan(outside);
                outside += size * values.Length;
            }
            for (int v = 0; v < values.Length; v++)
            {
                if (size == 2) BinaryPrimitives.WriteUInt16LittleEndian(at[(2 * v)..], (ushort)values[v]);
                else BinaryPrimitives.WriteUInt32LittleEndian(at[(4 * v)..], (uint)values[v]);
            }
        }
        return file;
    }

    private static byte[] Zlib(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true)) zlib.Write(data);
        return output.ToArray();
    }


    /// <summary>TIFF LZW without any string reuse: a clear code, every byte as its own 9-bit code, the end code.</summary>
    private static byte[] Lzw(byte[] data)
    {
        var output = new List<byte>();
        int buffer = 0, bits = 0, width = 9, next = 258;
        void Put(int code)
        {
            buffer = (buffer << width) | code;
            bits += width;
            while (bits >= 8)
            {
                output.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        Put(256);
        foreach (byte b in data)
        {
            Put(b);
            // Each code after the first adds a table entry; clear before the codes would widen.
            if (++next == 510)
            {
                Put(256);
                next = 258;
            }
        }
        Put(257);
        if (bits > 0) output.Add((byte)(buffer << (8 - bits)));
        return [.. output];
    }
}
