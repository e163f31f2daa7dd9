using System.Buffers.Binary;
using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Tests.Corpus;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Integrity;

/// <summary>
/// Lossless WebP data walked to its end (<see cref="Vp8LDataCheck"/>): every file the encoder writes is read whole,
/// and the same data cut short (with the RIFF and chunk sizes set to match, so only the data shows it) or under a
/// header that claims more rows is damaged. ImageSharp 2.1 pads both into a picture.
/// </summary>
public sealed class WebpLosslessDataTests
{
    public static TheoryData<string, int, int, int> Images() => new()
    {
        // kind, width, height, seed: noise (literals), few colours (the colour-indexing transform, pixel bundling),
        // alpha, runs (backward references and the colour cache), sizes of one pixel and odd ones
        { "noise", 53, 31, 1 }, { "few2", 61, 17, 2 }, { "few4", 40, 40, 3 }, { "few16", 33, 21, 4 }, { "few200", 70, 50, 5 },
        { "alpha", 45, 29, 6 }, { "runs", 120, 80, 7 }, { "noise", 1, 1, 8 }, { "few2", 1, 9, 9 }, { "noise", 300, 200, 10 },
    };

    [Theory]
    [MemberData(nameof(Images))]
    public void EveryFileTheEncoderWritesIsReadWhole(string kind, int width, int height, int seed)
    {
        foreach (int method in new[] { 0, 4, 6 })
        {
            byte[] file = Lossless(kind, width, height, seed, method);
            IntegrityReport report = FileIntegrity.Check(file);
            Assert.True(report.Verdict == IntegrityVerdict.Intact, $"method {method}: {report.Verdict}: {report.Reason}");
        }
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void DataCutShortWithItsSizesSetToMatchIsDamaged(string kind, int width, int height, int seed)
    {
        byte[] file = Lossless(kind, width, height, seed, method: 4);
        int data = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(16)) - 5; // the VP8L chunk less its header
        int cuts = 0;
        foreach (double part in new[] { 0.0, 0.2, 0.5, 0.8, 0.95 })
        {
            int keep = 5 + (int)(data * part);
            if (keep >= 5 + data - 1) continue; // the last byte may hold only padding bits
            IntegrityReport report = FileIntegrity.Check(Cut(file, keep));
            Assert.True(report.Verdict == IntegrityVerdict.Damaged, $"cut to {keep} bytes: {report.Verdict}: {report.Reason}");
            Assert.Contains("lossless data", report.Reason, StringComparison.Ordinal);
            cuts++;
        }
        Assert.True(cuts >= 1);
    }

    /// <summary>
    /// Not the 1 x 1 image: its one colour takes prefix codes of one symbol each, which cost no bits, so a second row of
    /// it costs none either and libwebp reads the taller file as well. Nor the 1 x 9 image of two colours: its chunk is
    /// of odd size, and the zero pad byte after it, which libwebp and ImageSharp read as data, holds its nine more
    /// pixels of a bit or less each (dwebp decodes the taller file, 1 x 18).
    /// </summary>
    public static TheoryData<string, int, int, int> Taller() =>
        new(Images().Select(row => ((string, int, int, int))row.Data).Where(r => r.Item2 * r.Item3 > 1 && (r.Item1, r.Item2) != ("few2", 1)));

    [Theory]
    [MemberData(nameof(Taller))]
    public void AHeaderClaimingMoreRowsIsDamaged(string kind, int width, int height, int seed)
    {
        byte[] file = Lossless(kind, width, height, seed, method: 4);
        uint header = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(21));
        uint taller = (header & ~(0x3FFFu << 14)) | ((uint)(2 * height - 1) << 14);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(21), taller);
        IntegrityReport report = FileIntegrity.Check(file);
        Assert.True(report.Verdict == IntegrityVerdict.Damaged, $"{report.Verdict}: {report.Reason}");
        Assert.Equal(2L * height, report.Height);
    }

    [Fact]
    public void ThePadByteOfAnOddSizedChunkMayBeRead()
    {
        // libwebp and ImageSharp both read an odd-sized chunk's pad byte as data: a chunk cut by one byte to an odd size
        // is whole when its data's last byte held only padding bits, as libwebp finds it.
        int whole = 0;
        foreach (int seed in Enumerable.Range(1, 12))
        {
            byte[] file = Lossless("noise", 20 + seed, 9, seed, method: 4);
            int data = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(16));
            if ((data & 1) != 0) continue;
            byte[] cut = Cut(file, data - 1);
            bool readWithPad = Vp8LDataCheck.Problem([.. cut.AsSpan(20, data - 1), 0], long.MaxValue) is null;
            Assert.Equal(readWithPad, FileIntegrity.Check(cut).Verdict == IntegrityVerdict.Intact);
            if (readWithPad) whole++;
        }
        Assert.True(whole > 0, "no seed's last byte was padding only");
    }

    [Theory]
    [InlineData(45, 29, 6)]
    [InlineData(120, 80, 7)]
    [InlineData(300, 200, 10)]
    public void LosslessAlphaOfALossyImageIsWalkedToo(int width, int height, int seed)
    {
        // ImageSharp 2.1 writes alpha uncompressed, so the losslessly compressed ALPH chunk is made here the way libwebp
        // makes it: the alpha as the green channel of a VP8L image, its stream without the 5-byte header.
        using Image<Rgba32> image = CorpusImages.Noisy(width, height, seed, alpha: true);
        List<(string Type, byte[] Data)> chunks = Chunks(Encode(image, WebpFileFormatType.Lossy));
        int alpha = chunks.FindIndex(c => c.Type == "ALPH");
        Assert.True(alpha >= 0);
        using Image<Rgba32> green = image.Clone();
        green.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
                foreach (ref Rgba32 p in rows.GetRowSpan(y)) p = new Rgba32(0, p.A, 0, 255);
        });
        byte[] stream = Chunks(Encode(green, WebpFileFormatType.Lossless)).Single(c => c.Type == "VP8L").Data;
        chunks[alpha] = ("ALPH", [0x01, .. stream.AsSpan(5)]);
        IntegrityReport whole = FileIntegrity.Check(Assemble(chunks));
        Assert.True(whole.Verdict == IntegrityVerdict.Intact, $"{whole.Verdict}: {whole.Reason}");
        foreach (double part in new[] { 0.1, 0.5, 0.9 })
        {
            var cut = new List<(string, byte[])>(chunks);
            byte[] data = chunks[alpha].Data;
            cut[alpha] = ("ALPH", data[..Math.Max(2, (int)(data.Length * part))]);
            IntegrityReport report = FileIntegrity.Check(Assemble(cut));
            Assert.True(report.Verdict == IntegrityVerdict.Damaged, $"alpha cut to {part:P0}: {report.Verdict}: {report.Reason}");
            Assert.Contains("alpha data", report.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void UncompressedAlphaShorterThanItsPixelsIsDamaged()
    {
        using Image<Rgba32> image = CorpusImages.Noisy(45, 29, 3, alpha: true);
        List<(string Type, byte[] Data)> chunks = Chunks(Encode(image, WebpFileFormatType.Lossy));
        int alpha = chunks.FindIndex(c => c.Type == "ALPH");
        Assert.Equal(0, chunks[alpha].Data[0] & 3);
        Assert.Equal(IntegrityVerdict.Intact, FileIntegrity.Check(Assemble(chunks)).Verdict);
        chunks[alpha] = ("ALPH", chunks[alpha].Data[..^45]);
        IntegrityReport report = FileIntegrity.Check(Assemble(chunks));
        Assert.True(report.Verdict == IntegrityVerdict.Damaged, $"{report.Verdict}: {report.Reason}");
        Assert.Contains("alpha data", report.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x20, false)] // pre-processing 2
    [InlineData(0x30, false)] // pre-processing 3
    [InlineData(0x40, false)] // a reserved bit
    [InlineData(0x80, false)]
    [InlineData(0x10, true)]  // pre-processing 1 (level reduction): valid
    [InlineData(0x0C, true)]  // filtering 3: valid
    public void AnAlphaHeaderLibwebpRefusesIsDamaged(int bits, bool valid)
    {
        using Image<Rgba32> image = CorpusImages.Noisy(45, 29, 3, alpha: true);
        List<(string Type, byte[] Data)> chunks = Chunks(Encode(image, WebpFileFormatType.Lossy));
        int alpha = chunks.FindIndex(c => c.Type == "ALPH");
        chunks[alpha].Data[0] |= (byte)bits;
        IntegrityReport report = FileIntegrity.Check(Assemble(chunks));
        Assert.True((report.Verdict == IntegrityVerdict.Intact) == valid, $"{report.Verdict}: {report.Reason}");
    }

    private static byte[] Encode(Image<Rgba32> image, WebpFileFormatType format)
    {
        using var stream = new MemoryStream();
        image.Save(stream, new WebpEncoder { FileFormat = format });
        return stream.ToArray();
    }

    private static List<(string Type, byte[] Data)> Chunks(byte[] file)
    {
        var chunks = new List<(string, byte[])>();
        for (int p = 12; p + 8 <= file.Length;)
        {
            int size = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(p + 4));
            chunks.Add((System.Text.Encoding.ASCII.GetString(file, p, 4), file.AsSpan(p + 8, size).ToArray()));
            p += 8 + size + (size & 1);
        }
        return chunks;
    }

    private static byte[] Assemble(List<(string Type, byte[] Data)> chunks)
    {
        var body = new List<byte>("WEBP"u8.ToArray());
        foreach ((string type, byte[] data) in chunks)
        {
            body.AddRange(System.Text.Encoding.ASCII.GetBytes(type));
            body.AddRange(BitConverter.GetBytes((uint)data.Length));
            body.AddRange(data);
            if ((data.Length & 1) != 0) body.Add(0);
        }
        return [.. "RIFF"u8.ToArray(), .. BitConverter.GetBytes((uint)body.Count), .. body];
    }

    private static byte[] Lossless(string kind, int width, int height, int seed, int method)
    {
        using Image<Rgba32> image = CorpusImages.OfKind(kind, width, height, seed);
        using var stream = new MemoryStream();
        image.Save(stream, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless, Method = (WebpEncodingMethod)method });
        byte[] file = stream.ToArray();
        Assert.Equal("VP8L", System.Text.Encoding.ASCII.GetString(file, 12, 4)); // a simple file: its one chunk is the image
        return file;
    }

    /// <summary>The file with its VP8L chunk cut to <paramref name="keep"/> bytes, the chunk and RIFF sizes set to match.</summary>
    private static byte[] Cut(byte[] file, int keep)
    {
        var cut = new List<byte>(file.AsSpan(0, 20 + keep).ToArray());
        if ((keep & 1) != 0) cut.Add(0);
        byte[] bytes = cut.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(16), (uint)keep);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)(bytes.Length - 8));
        return bytes;
    }
}
