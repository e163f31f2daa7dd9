using System.Buffers.Binary;
using System.IO.Compression;
using KMeansPS.Imaging.Integrity;

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

    /// <summary>A little-endian TIFF: the strip right after the header, then one directory (values fit in their entries).</summary>
    private static byte[] Tiff(int width, int height, (int Tag, int Type, int Count, int Value)[] extra, byte[] strip)
    {
        var entries = new List<(int Tag, int Type, int Count, int Value)>
        {
            (256, 4, 1, width), (257, 4, 1, height), (273, 4, 1, 8), (278, 4, 1, height), (279, 4, 1, strip.Length),
        };
        entries.AddRange(extra);
        entries.Sort((a, b) => a.Tag.CompareTo(b.Tag));
        // BitsPerSample of 3 SHORTs does not fit in 4 bytes: its values go after the directory.
        int ifd = 8 + strip.Length + (strip.Length & 1);
        int outside = ifd + 2 + 12 * entries.Count + 4;
        byte[] file = new byte[outside + 6];
        "II"u8.CopyTo(file);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(2), 42);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), (uint)ifd);
        strip.CopyTo(file, 8);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(ifd), (ushort)entries.Count);
        for (int i = 0; i < entries.Count; i++)
        {
            (int tag, int type, int count, int value) = entries[i];
            Span<byte> entry = file.AsSpan(ifd + 2 + 12 * i, 12);
            BinaryPrimitives.WriteUInt16LittleEndian(entry, (ushort)tag);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[2..], (ushort)type);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], (uint)count);
            if (type == 3 && count == 3)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], (uint)outside);
                for (int s = 0; s < 3; s++) BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(outside + 2 * s), (ushort)value);
            }
            else if (type == 3)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(entry[8..], (ushort)value);
                BinaryPrimitives.WriteUInt16LittleEndian(entry[10..], (ushort)(value >> 16));
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], (uint)value);
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
