using System.IO.Compression;
using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Quantization;

namespace KMeansPS.Imaging.Tests.Png;

/// <summary>
/// A PNG whose image data was changed inside (a byte of a stored block flipped, or bytes dropped from a compressed
/// stream, the IDAT CRC recomputed to match) can still inflate to every row; only the zlib stream's Adler-32 checksum
/// at its end shows it. Such a file was decoded into a garbled picture; it is damaged, on the fast decoders' path and on
/// the full check's.
/// </summary>
public sealed class ZlibChecksumTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kmeansps-adler-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Theory]
    [InlineData(2, 8, false)]  // RGB, the 8-bit fast decoder
    [InlineData(6, 8, false)]  // RGBA
    [InlineData(2, 16, false)] // the 16-bit decoder
    [InlineData(2, 8, true)]   // interlaced: the full check and ImageSharp
    public void AByteChangedInsideTheImageDataFailsTheChecksum(byte colorType, byte bitDepth, bool interlaced)
    {
        const int width = 40, height = 24;
        int bpp = (colorType == 6 ? 4 : 3) * bitDepth / 8;
        var random = new Random(colorType * 100 + bitDepth);
        // Enough scanline bytes for the interlaced passes too (each pass row has its filter byte): extra bytes are padding.
        byte[] raw = new byte[height * (1 + width * bpp) * 2];
        random.NextBytes(raw);
        int rowBytes = 1 + width * bpp;
        for (int i = 0; i < raw.Length; i += rowBytes) raw[i] = 0; // filter None (interlaced rows are shorter: some bytes stay as filters 0-255)
        byte[] stored = Stored(interlaced ? InterlacedRaw(width, height, bpp, random) : raw[..(height * rowBytes)]);
        byte[] whole = Png(width, height, bitDepth, colorType, interlaced, stored);
        Assert.Equal(IntegrityVerdict.Intact, FileIntegrity.Check(whole).Verdict);
        Assert.Equal(width * height, Read(whole).Image.Pixels.Length);

        byte[] changed = (byte[])stored.Clone();
        changed[stored.Length / 2] ^= 0x5A; // inside the one stored block's data
        byte[] damaged = Png(width, height, bitDepth, colorType, interlaced, changed);
        IntegrityReport report = FileIntegrity.Check(damaged);
        Assert.True(report.Verdict == IntegrityVerdict.Damaged, $"{report.Verdict}: {report.Reason}");
        Assert.Contains("checksum", report.Reason, StringComparison.Ordinal);
        var refused = Assert.Throws<InvalidImageException>(() => Read(damaged));
        Assert.Contains("checksum", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>How a zlib stream is made not to end: no final block and checksum, its checksum cut, or a header zlib refuses.</summary>
    public enum Unended
    {
        NoFinalBlock,
        ChecksumCutByOne,
        ChecksumCutByFour,
        HeaderCheckBroken,
    }

    public static TheoryData<byte, byte, Unended> UnendedStreams()
    {
        var data = new TheoryData<byte, byte, Unended>();
        foreach (Unended how in Enum.GetValues<Unended>())
        {
            data.Add(2, 8, how);  // the 8-bit fast decoder
            data.Add(2, 16, how); // the 16-bit decoder
            data.Add(3, 8, how);  // a palette of 200 entries: the full check's palette walk, then ImageSharp
        }
        return data;
    }

    /// <summary>
    /// Every row is there, but the stream does not end as zlib ends it (a flushed stream never finished, a checksum cut
    /// short) or starts as zlib starts it: .NET's inflater took the end of the input for the end of the data and
    /// ImageSharp skips the header's check bits, so these passed; libpng and libtiff refuse them. Damaged, on every path.
    /// </summary>
    [Theory]
    [MemberData(nameof(UnendedStreams))]
    public void AStreamThatDoesNotEndAsZlibEndsItIsDamaged(byte colorType, byte bitDepth, Unended how)
    {
        const int width = 36, height = 20;
        int bpp = colorType == 3 ? 1 : 3 * bitDepth / 8, rowBytes = 1 + width * bpp;
        var random = new Random(colorType + bitDepth + (int)how);
        byte[] raw = new byte[height * rowBytes];
        random.NextBytes(raw);
        for (int i = 0; i < raw.Length; i++)
            raw[i] = i % rowBytes == 0 ? (byte)0 : colorType == 3 ? (byte)(raw[i] % 200) : raw[i];
        using var packed = new MemoryStream();
        byte[] zlib;
        using (var z = new ZLibStream(packed, CompressionLevel.Optimal))
        {
            z.Write(raw);
            z.Flush(); // every byte out, the stream not yet finished
            zlib = packed.ToArray();
        }
        byte[] finished = packed.ToArray();
        zlib = how switch
        {
            Unended.NoFinalBlock => zlib,
            Unended.ChecksumCutByOne => finished[..^1],
            Unended.ChecksumCutByFour => finished[..^4],
            _ => [finished[0], (byte)(finished[1] ^ 0x01), .. finished[2..]],
        };
        byte[]? palette = colorType == 3 ? [.. Enumerable.Range(0, 600).Select(i => (byte)(i * 7))] : null;
        Assert.Equal(IntegrityVerdict.Intact, FileIntegrity.Check(Png(width, height, bitDepth, colorType, false, finished, palette)).Verdict);
        byte[] damaged = Png(width, height, bitDepth, colorType, false, zlib, palette);
        IntegrityReport report = FileIntegrity.Check(damaged);
        Assert.True(report.Verdict == IntegrityVerdict.Damaged, $"{report.Verdict}: {report.Reason}");
        Assert.Contains(how == Unended.HeaderCheckBroken ? "zlib header" : "end", report.Reason, StringComparison.Ordinal);
        Assert.Throws<InvalidImageException>(() => Read(damaged));
    }

    private ImageIntake.Intake Read(byte[] file)
    {
        string path = Path.Combine(_folder.FullName, Guid.NewGuid().ToString("N") + ".png");
        File.WriteAllBytes(path, file);
        return ImageIntake.Read(path, long.MaxValue, countColors: true, keepPixelIndexUpTo: 0, threads: 1, TestContext.Current.CancellationToken);
    }

    /// <summary>Every pass's rows, filter None, random samples.</summary>
    private static byte[] InterlacedRaw(int width, int height, int bpp, Random random)
    {
        int[] x0 = [0, 4, 0, 2, 0, 1, 0], y0 = [0, 0, 4, 0, 2, 0, 1], dx = [8, 8, 4, 4, 2, 2, 1], dy = [8, 8, 8, 4, 4, 2, 2];
        var raw = new List<byte>();
        for (int pass = 0; pass < 7; pass++)
        {
            int w = (width - x0[pass] + dx[pass] - 1) / dx[pass], h = (height - y0[pass] + dy[pass] - 1) / dy[pass];
            if (w == 0 || h == 0) continue;
            for (int y = 0; y < h; y++)
            {
                raw.Add(0);
                byte[] row = new byte[w * bpp];
                random.NextBytes(row);
                raw.AddRange(row);
            }
        }
        return [.. raw];
    }

    /// <summary>A zlib stream of stored blocks, so a byte of the data can be changed without breaking the deflate structure.</summary>
    private static byte[] Stored(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.NoCompression)) zlib.Write(raw);
        return output.ToArray();
    }

    private static byte[] Png(int width, int height, byte bitDepth, byte colorType, bool interlaced, byte[] zlib, byte[]? palette = null) =>
        PngFiles.Concat([
            PngFiles.Chunk("IHDR", PngFiles.Ihdr(width, height, bitDepth, colorType, interlaced ? (byte)1 : (byte)0)),
            .. palette is null ? Array.Empty<byte[]>() : [PngFiles.Chunk("PLTE", palette)],
            PngFiles.Chunk("IDAT", zlib),
            PngFiles.Chunk("IEND", []),
        ]);
}
