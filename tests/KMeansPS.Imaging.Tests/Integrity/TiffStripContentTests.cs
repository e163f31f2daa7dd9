using System.Buffers.Binary;
using System.IO.Compression;
using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Tests.Corpus;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Tiff.Constants;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Integrity;

/// <summary>
/// TIFFs that ImageSharp 2.1 decodes without an error into other pixels: LZW strips whose codes end before the rows
/// the header claims (padded with black), samples in separate planes with a predictor (wrong colours), CCITT fax data
/// whose 0 means black (inverted). Each is refused, and the same files told the truth are read.
/// </summary>
public sealed class TiffStripContentTests
{
    public static TheoryData<int, int, int, bool> Shapes() => new()
    {
        // width, height, seed, predictor
        { 53, 31, 1, false }, { 53, 31, 2, true }, { 200, 150, 3, false }, { 200, 150, 4, true }, { 7, 3, 5, false },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void LzwStripsThatHoldTheirRowsAreRead(int width, int height, int seed, bool predictor)
    {
        foreach (TiffBitsPerPixel bits in new[] { TiffBitsPerPixel.Bit24, TiffBitsPerPixel.Bit8 })
        {
            byte[] file = Lzw(width, height, seed, predictor, bits);
            IntegrityReport report = FileIntegrity.Check(file);
            Assert.True(report.Verdict == IntegrityVerdict.Intact, $"{bits}: {report.Verdict}: {report.Reason}");
        }
    }

    /// <summary>Images of one strip (ImageSharp writes strips of about 8 KB).</summary>
    public static TheoryData<int, int, int, bool> OneStrip() => new()
    {
        { 53, 31, 1, false }, { 53, 31, 2, true }, { 80, 30, 3, false }, { 40, 60, 4, true }, { 7, 3, 5, false },
    };

    [Theory]
    [MemberData(nameof(OneStrip))]
    public void LzwStripsShorterThanTheirRowsAreDamaged(int width, int height, int seed, bool predictor)
    {
        byte[] file = Lzw(width, height, seed, predictor, TiffBitsPerPixel.Bit24);
        Assert.Equal(1, Entry(file, 273).Count); // one strip, so one byte count to rewrite below

        // Taller, and all rows in the one strip; wider; the strip cut and its byte count set to match, at several points.
        var lies = new List<(string What, byte[] File)>
        {
            ("taller", Patched(file, (257, (uint)height * 2), (278, (uint)height * 2))),
            ("wider", Patched(file, (256, (uint)width + 1))),
        };
        uint length = (uint)Entry(file, 279).Value;
        foreach (double part in new[] { 0.1, 0.5, 0.9 })
            lies.Add(($"cut to {part:P0}", Patched(file, (279, (uint)(length * part)))));
        foreach ((string what, byte[] lying) in lies)
        {
            IntegrityReport report = FileIntegrity.Check(lying);
            Assert.True(report.Verdict == IntegrityVerdict.Damaged, $"{what}: {report.Verdict}: {report.Reason}");
            Assert.Contains("decompresses to", report.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void DeflateStripsWithAChangedByteAreRefusedUnlessTheyStillInflateToTheirOwnRows()
    {
        // One strip, Deflate: every byte after the zlib header changed in turn (its Adler-32 included). A strip that
        // still inflates, checksum and all, to the very rows it held is the same image; any other is refused, as
        // libtiff refuses it ("ZIPDecode: Decoding error"), where checking its length alone let other rows through.
        byte[] file = Handmade(width: 24, height: 10, samples: 3, compression: 8, photometric: 2, planar: 1, predictor: 1);
        Assert.Equal(IntegrityVerdict.Intact, FileIntegrity.Check(file).Verdict);
        int start = (int)Entry(file, 273).Value, length = (int)Entry(file, 279).Value;
        byte[] rows = Inflated(file.AsSpan(start, length).ToArray())!;
        var random = new Random(8);
        int refused = 0;
        for (int at = start + 2; at < start + length; at++)
        {
            byte[] changed = [.. file];
            changed[at] ^= (byte)(1 << random.Next(8));
            IntegrityReport report = FileIntegrity.Check(changed);
            byte[]? inflated = Inflated(changed.AsSpan(start, length).ToArray());
            if (inflated is not null && inflated.AsSpan().SequenceEqual(rows)) continue;
            Assert.True(report.Verdict == IntegrityVerdict.Damaged, $"byte {at - start} of the strip: {report.Verdict}: {report.Reason}");
            refused++;
        }
        Assert.True(refused > length / 2, $"{refused} of {length - 2}");
    }

    /// <summary>
    /// A Deflate strip that holds every row but does not end as zlib ends it (its byte count cut into the checksum, so
    /// .NET's inflater took the end of the strip for the end of the data), or whose header's check bits are wrong (which
    /// ImageSharp skips): libtiff fails such a strip, or leaves its last bytes unwritten. Damaged.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(0)]
    public void DeflateStripsThatDoNotEndOrStartAsZlibDoesAreDamaged(int cut)
    {
        byte[] file = Handmade(width: 20, height: 9, samples: 3, compression: 8, photometric: 2, planar: 1, predictor: 1);
        int start = (int)Entry(file, 273).Value, countAt = Find(file, 279) + 8;
        byte[] changed = [.. file];
        if (cut > 0) BinaryPrimitives.WriteUInt32LittleEndian(changed.AsSpan(countAt), (uint)(Entry(file, 279).Value - cut));
        else changed[start + 1] ^= 0x01; // FCHECK no longer makes the header a multiple of 31
        IntegrityReport report = FileIntegrity.Check(changed);
        Assert.True(report.Verdict == IntegrityVerdict.Damaged, $"{report.Verdict}: {report.Reason}");
        Assert.Contains(cut > 0 ? "end" : "damaged zlib header", report.Reason, StringComparison.Ordinal);
    }

    /// <summary>
    /// A tag given twice counts the first time, as libtiff, ImageSharp and the decoder read it: here the first
    /// ImageWidth says 200 and the Compression entry has turned into a second ImageWidth of 20. Uncompressed at the
    /// first width, the strip is far too short for its rows; checking the last width passed it (its Deflate bytes
    /// cover 20 columns), and ImageSharp showed them as pixels at 200.
    /// </summary>
    [Fact]
    public void ATagGivenTwiceCountsTheFirstTime()
    {
        byte[] file = Handmade(width: 20, height: 9, samples: 3, compression: 8, photometric: 2, planar: 1, predictor: 1);
        int widthAt = Find(file, 256), compressionAt = Find(file, 259);
        byte[] changed = [.. file];
        BinaryPrimitives.WriteUInt16LittleEndian(changed.AsSpan(widthAt + 8), 200);
        BinaryPrimitives.WriteUInt16LittleEndian(changed.AsSpan(compressionAt), 256);
        BinaryPrimitives.WriteUInt16LittleEndian(changed.AsSpan(compressionAt + 8), 20);
        IntegrityReport report = FileIntegrity.Check(changed);
        Assert.True(report.Verdict == IntegrityVerdict.Damaged, $"{report.Verdict}: {report.Reason}");
        Assert.Equal(200, report.Width);
    }

    /// <summary>
    /// More strips than the rows need with the last needed one partly used (a height cut after the strips were
    /// written): ImageSharp 2.1 left that strip's rows black, so it is refused; with the last one whole it is read.
    /// </summary>
    [Theory]
    [InlineData(11, false)]
    [InlineData(9, false)]
    [InlineData(12, true)]
    public void ExtraStripsAfterAPartlyUsedOneAreRefused(int height, bool read)
    {
        const int width = 8;
        var rgb = new byte[width * 16 * 3];
        new Random(height).NextBytes(rgb);
        byte[] file = TiffWriter.Write([new TiffWriter.Page(width, 16, rgb, 4)]);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(Find(file, 257) + 8), (ushort)height);
        IntegrityReport report = FileIntegrity.Check(file);
        Assert.True((report.Verdict == IntegrityVerdict.Intact) == read, $"{report.Verdict}: {report.Reason}");
        if (!read) Assert.Contains("partly used", report.Reason, StringComparison.Ordinal);
        if (!read) return;
        RgbaImage image = KMeansPS.Imaging.Decoding.ImageDecoder.Decode(new MemoryStream(file), cancellationToken: TestContext.Current.CancellationToken);
        for (int i = 0; i < width * height; i++)
            Assert.Equal(new Rgba32(rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2], 255), image.Pixels[i]);
    }

    /// <summary>RGB of fewer than three samples a pixel, which libtiff refuses; ImageSharp read it by its BitsPerSample count.</summary>
    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    public void RgbOfFewerThanThreeSamplesIsDamaged(int samples)
    {
        byte[] file = Handmade(width: 16, height: 8, samples: 3, compression: 8, photometric: 2, planar: 1, predictor: 1);
        Assert.Equal(IntegrityVerdict.Intact, FileIntegrity.Check(file).Verdict);
        byte[] changed = [.. file];
        BinaryPrimitives.WriteUInt16LittleEndian(changed.AsSpan(Find(file, 277) + 8), (ushort)samples);
        IntegrityReport report = FileIntegrity.Check(changed);
        Assert.True(report.Verdict == IntegrityVerdict.Damaged, $"{report.Verdict}: {report.Reason}");
        Assert.Contains($"says RGB but gives {samples} sample", report.Reason, StringComparison.Ordinal);
    }

    /// <summary>
    /// An entry that says how to read the pixels but is not one whole number (ASCII, or two values): ImageSharp took it
    /// for missing (a Compression entry so gave compressed bytes as pixels); libtiff refuses it or drops it.
    /// </summary>
    [Theory]
    [InlineData(259, 2, 1)] // Compression as ASCII
    [InlineData(259, 3, 2)] // Compression of two values
    [InlineData(317, 3, 2)] // Predictor of two values
    [InlineData(284, 5, 1)] // PlanarConfiguration as a RATIONAL
    public void AnEntryThatIsNotOneWholeNumberIsDamaged(ushort tag, ushort type, uint count)
    {
        byte[] file = Handmade(width: 16, height: 8, samples: 3, compression: 8, photometric: 2, planar: 1, predictor: 2);
        int at = Find(file, tag);
        byte[] changed = [.. file];
        BinaryPrimitives.WriteUInt16LittleEndian(changed.AsSpan(at + 2), type);
        BinaryPrimitives.WriteUInt32LittleEndian(changed.AsSpan(at + 4), count);
        if (type == 5) BinaryPrimitives.WriteUInt32LittleEndian(changed.AsSpan(at + 8), 8); // a RATIONAL's offset: the header's bytes
        IntegrityReport report = FileIntegrity.Check(changed);
        Assert.True(report.Verdict == IntegrityVerdict.Damaged, $"{report.Verdict}: {report.Reason}");
        Assert.Contains("is not one whole number", report.Reason, StringComparison.Ordinal);
    }

    /// <summary>A predictor libtiff's LZW and Deflate decoders refuse; ImageSharp decoded the data without undoing it.</summary>
    [Theory]
    [InlineData(130, 8, "unknown Predictor")]
    [InlineData(3, 8, "unknown Predictor")] // floating-point differencing of integer samples
    [InlineData(2, 4, "Predictor 2) of 4-bit samples")]
    public void PredictorsLibtiffRefusesAreDamaged(int predictor, int bits, string words)
    {
        byte[] file = Handmade(width: 16, height: 8, samples: 1, compression: 8, photometric: 1, planar: 1, predictor, bits);
        IntegrityReport report = FileIntegrity.Check(file);
        Assert.True(report.Verdict == IntegrityVerdict.Damaged, $"{report.Verdict}: {report.Reason}");
        Assert.Contains(words, report.Reason, StringComparison.Ordinal);
    }

    /// <summary>What a zlib stream inflates to with its checksum checked, or null when zlib refuses it.</summary>
    private static byte[]? Inflated(byte[] zlib)
    {
        try
        {
            using var source = new ZLibStream(new MemoryStream(zlib), CompressionMode.Decompress);
            using var output = new MemoryStream();
            source.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    [Theory]
    [InlineData(2, 2)]
    [InlineData(2, 1)]
    [InlineData(1, 2)]
    [InlineData(1, 1)]
    public void SeparatePlanesWithAPredictorAreRefused(int planar, int predictor)
    {
        byte[] file = Handmade(width: 16, height: 8, samples: 3, compression: 8, photometric: 2, planar, predictor);
        IntegrityReport report = FileIntegrity.Check(file);
        if (planar == 2 && predictor == 2)
        {
            Assert.True(report.Verdict == IntegrityVerdict.Unsupported, $"{report.Verdict}: {report.Reason}");
            Assert.Contains("separate planes with a predictor", report.Reason, StringComparison.Ordinal);
        }
        else
        {
            Assert.True(report.Verdict == IntegrityVerdict.Intact, $"{report.Verdict}: {report.Reason}");
        }
    }

    [Theory]
    [InlineData(3, 1, true)]
    [InlineData(4, 1, true)]
    [InlineData(2, 1, true)]
    [InlineData(4, 0, false)]
    [InlineData(3, 0, false)]
    public void FaxDataWhoseZeroIsBlackIsRefused(int compression, int photometric, bool refused)
    {
        byte[] file = Handmade(width: 64, height: 16, samples: 1, compression, photometric, planar: 1, predictor: 1, bits: 1);
        IntegrityReport report = FileIntegrity.Check(file);
        // Refused before its codes are read; otherwise the random bytes are walked as fax codes, which they are not.
        Assert.True(report.Verdict == (refused ? IntegrityVerdict.Unsupported : IntegrityVerdict.Damaged), $"{report.Verdict}: {report.Reason}");
        Assert.Contains(refused ? "MinIsBlack" : "fax codes", report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void StripsStoredWithTheirBitsReversedAreNotExpanded()
    {
        // FillOrder 2: each byte's bits reversed, which the counters do not undo; a decoder that honours the tag reads it.
        byte[] file = Handmade(width: 16, height: 8, samples: 3, compression: 8, photometric: 2, planar: 1, predictor: 1, reversedBits: true);
        IntegrityReport report = FileIntegrity.Check(file);
        Assert.True(report.Verdict == IntegrityVerdict.Intact, $"{report.Verdict}: {report.Reason}");
    }

    [Fact]
    public void TheCounterCountsWhatTheEncoderWrote()
    {
        // Noise makes the table fill and clear again, so every code width from 9 to 12 bits is read.
        for (int seed = 1; seed <= 6; seed++)
        {
            byte[] file = Lzw(300, 200, seed, predictor: seed % 2 == 0, TiffBitsPerPixel.Bit24);
            long strips = Entry(file, 273).Count, rowsPerStrip = Entry(file, 278).Value;
            Assert.True(strips > 1);
            long produced = 0;
            for (int s = 0; s < strips; s++)
            {
                long offset = Value(file, 273, s), count = Value(file, 279, s);
                long rows = Math.Min(rowsPerStrip, 200 - s * rowsPerStrip);
                long strip = KMeansPS.Imaging.Tiff.TiffLzwDecoder.Count(file.AsSpan((int)offset, (int)count), long.MaxValue, out bool corrupt);
                Assert.False(corrupt);
                Assert.Equal(rows * 300 * 3, strip);
                produced += strip;
            }
            Assert.Equal(300L * 200 * 3, produced);
        }
    }

    private static byte[] Lzw(int width, int height, int seed, bool predictor, TiffBitsPerPixel bits)
    {
        using Image<Rgba32> image = CorpusImages.Noisy(width, height, seed);
        using var stream = new MemoryStream();
        image.Save(stream, new TiffEncoder
        {
            Compression = TiffCompression.Lzw, BitsPerPixel = bits,
            HorizontalPredictor = predictor ? TiffPredictor.Horizontal : TiffPredictor.None,
        });
        return stream.ToArray();
    }

    /// <summary>A little-endian TIFF of one strip per plane, Deflate data, or random bytes as fax data.</summary>
    private static byte[] Handmade(int width, int height, int samples, int compression, int photometric, int planar, int predictor, int bits = 8,
        bool reversedBits = false)
    {
        int planes = planar == 2 ? samples : 1;
        int stride = (width * (planar == 2 ? 1 : samples) * bits + 7) / 8;
        var strips = new List<byte[]>();
        var random = new Random(width * 31 + height);
        for (int p = 0; p < planes; p++)
        {
            byte[] raw = new byte[stride * height];
            random.NextBytes(raw);
            if (compression == 8)
            {
                using var packed = new MemoryStream();
                using (var z = new ZLibStream(packed, CompressionLevel.Optimal)) z.Write(raw);
                byte[] strip = packed.ToArray();
                if (reversedBits)
                    for (int i = 0; i < strip.Length; i++) strip[i] = (byte)((strip[i] * 0x0202020202UL & 0x010884422010UL) % 1023);
                strips.Add(strip);
            }
            else
            {
                strips.Add(raw[..Math.Max(4, raw.Length / 4)]);
            }
        }
        var file = new List<byte>("II"u8.ToArray()) { 42, 0, 0, 0, 0, 0 };
        var offsets = new List<uint>();
        foreach (byte[] strip in strips)
        {
            offsets.Add((uint)file.Count);
            file.AddRange(strip);
            if ((file.Count & 1) != 0) file.Add(0);
        }
        uint Table(IEnumerable<uint> values)
        {
            uint at = (uint)file.Count;
            foreach (uint v in values) file.AddRange(BitConverter.GetBytes(v));
            return at;
        }
        uint bitsAt = (uint)file.Count;
        for (int s = 0; s < samples; s++) file.AddRange(BitConverter.GetBytes((ushort)bits));
        uint offsetsAt = Table(offsets), countsAt = Table(strips.Select(s => (uint)s.Length));
        var entries = new List<(ushort Tag, ushort Type, uint Count, uint Value)>
        {
            (256, 3, 1, (uint)width), (257, 3, 1, (uint)height),
            (258, 3, (uint)samples, samples <= 2 ? (uint)bits | (samples == 2 ? (uint)bits << 16 : 0) : bitsAt),
            (259, 3, 1, (uint)compression), (262, 3, 1, (uint)photometric),
            (273, 4, (uint)planes, planes == 1 ? offsets[0] : offsetsAt), (277, 3, 1, (uint)samples), (278, 3, 1, (uint)height),
            (279, 4, (uint)planes, planes == 1 ? (uint)strips[0].Length : countsAt), (284, 3, 1, (uint)planar),
        };
        if (predictor != 1) entries.Add((317, 3, 1, (uint)predictor));
        if (reversedBits) entries.Add((266, 3, 1, 2)); // FillOrder 2
        entries.Sort((a, b) => a.Tag.CompareTo(b.Tag));
        uint ifd = (uint)file.Count;
        file.AddRange(BitConverter.GetBytes((ushort)entries.Count));
        foreach ((ushort tag, ushort type, uint count, uint value) in entries)
        {
            file.AddRange(BitConverter.GetBytes(tag));
            file.AddRange(BitConverter.GetBytes(type));
            file.AddRange(BitConverter.GetBytes(count));
            file.AddRange(BitConverter.GetBytes(value));
        }
        file.AddRange(new byte[4]);
        byte[] bytes = file.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), ifd);
        return bytes;
    }

    /// <summary>A tag of the first directory (little-endian, as ImageSharp writes): its value count and first value.</summary>
    private static (long Count, long Value) Entry(byte[] file, ushort tag)
    {
        int at = Find(file, tag);
        ushort type = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(at + 2));
        long count = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 4));
        long value = type == 3 ? BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(at + 8)) : BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 8));
        return (count, value);
    }

    /// <summary>Value <paramref name="index"/> of a LONG table (or the one value held in the entry).</summary>
    private static long Value(byte[] file, ushort tag, int index)
    {
        (long count, long value) = Entry(file, tag);
        if (count == 1) return value;
        int at = Find(file, tag);
        Assert.Equal(4, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(at + 2)));
        return BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan((int)value + 4 * index));
    }

    /// <summary>A copy with one-value tags set, each written as a LONG.</summary>
    private static byte[] Patched(byte[] file, params (ushort Tag, uint Value)[] values)
    {
        byte[] copy = file.ToArray();
        foreach ((ushort tag, uint value) in values)
        {
            int at = Find(copy, tag);
            BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(at + 2), 4);
            BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(at + 8), value);
        }
        return copy;
    }

    private static int Find(byte[] file, ushort tag)
    {
        Assert.Equal((byte)'I', file[0]);
        int ifd = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(4));
        int count = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(ifd));
        for (int i = 0; i < count; i++)
        {
            int at = ifd + 2 + i * 12;
            if (BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(at)) == tag) return at;
        }
        throw new InvalidOperationException($"no tag {tag}");
    }
}
