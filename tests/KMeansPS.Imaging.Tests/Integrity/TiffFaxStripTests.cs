using System.Buffers.Binary;
using KMeansPS.Imaging.Integrity;

namespace KMeansPS.Imaging.Tests.Integrity;

/// <summary>
/// CCITT fax strips (Modified Huffman, T.4 one-dimensional, T.6) cut short with their byte counts set to match:
/// ImageSharp 2.1 padded the missing rows with white. The strips are written here by a small encoder (codes from
/// <see cref="FaxCodes"/>, whose entries are pinned against ITU-T T.4 below); every whole strip counts all its rows,
/// every cut one is damaged, and the rules for MinIsBlack fax data and for pages above the pixel limit stay as they were.
/// </summary>
public sealed class TiffFaxStripTests
{
    public enum Coding
    {
        ModifiedHuffman = 2,
        T4 = 3,
        T4WithEolFill = 30,
        T6 = 4,
    }

    [Fact]
    public void TheCodeTablesHoldEveryRunOnceAsT4GivesThem()
    {
        foreach ((int[] table, string colour) in new[] { (FaxCodes.White, "white"), (FaxCodes.Black, "black") })
        {
            var runs = new HashSet<int>();
            foreach ((int code, int length, int run) in Codes(table)) Assert.True(runs.Add(run), $"{colour} {run} twice ({code}/{length})");
            IEnumerable<int> expected = Enumerable.Range(0, 64).Concat(Enumerable.Range(1, 40).Select(k => k * 64));
            Assert.Equal(expected.Order(), runs.Order());
        }
        // A sample of T.4 tables 2, 3 and 3a, written out from the recommendation.
        (string Code, int Run)[] white = [("00110101", 0), ("000111", 1), ("1111", 7), ("0000011", 22), ("00110100", 63), ("11011", 64), ("011000", 1664), ("010011011", 1728), ("00000001000", 1792), ("000000011111", 2560)];
        (string Code, int Run)[] black = [("0000110111", 0), ("010", 1), ("11", 2), ("000011000", 15), ("000001100111", 63), ("0000001111", 64), ("000011001000", 128), ("0000001100101", 1728), ("00000001101", 1920), ("000000011110", 2496)];
        foreach ((string code, int run) in white) Assert.Equal(run, Lookup(FaxCodes.White, code));
        foreach ((string code, int run) in black) Assert.Equal(run, Lookup(FaxCodes.Black, code));
    }

    public static TheoryData<Coding, int> Shapes()
    {
        var data = new TheoryData<Coding, int>();
        foreach (Coding coding in Enum.GetValues<Coding>())
            foreach (int width in new[] { 1, 7, 8, 100, 1728, 2000, 2700 })
                data.Add(coding, width);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void WholeStripsCountAllTheirRows(Coding coding, int width)
    {
        bool[][] image = Picture(width, 23, seed: width * 7 + (int)coding);
        foreach (int rowsPerStrip in new[] { 1, 4, 23 })
        {
            foreach (bool reversed in new[] { false, true })
            {
                List<byte[]> strips = Strips(image, coding, rowsPerStrip, reversed);
                for (int s = 0; s < strips.Count; s++)
                {
                    int rows = Math.Min(rowsPerStrip, image.Length - s * rowsPerStrip);
                    long held = FaxRowCounter.Count(strips[s], width, rows, Counted(coding), reversed, out string? error);
                    Assert.True(held == rows && error is null, $"strip {s}: {held} of {rows} rows ({error})");
                }
                byte[] file = Tiff(width, image.Length, rowsPerStrip, coding, reversed, strips);
                IntegrityReport report = FileIntegrity.Check(file);
                Assert.True(report.Verdict == IntegrityVerdict.Intact, $"{rowsPerStrip} rows per strip, reversed {reversed}: {report.Verdict}: {report.Reason}");
            }
        }
    }

    public static TheoryData<Coding, int, bool> CutShapes()
    {
        var data = new TheoryData<Coding, int, bool>();
        foreach (Coding coding in Enum.GetValues<Coding>())
        {
            data.Add(coding, 1, false);
            data.Add(coding, 61, true);
            data.Add(coding, 1728, false);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(CutShapes))]
    public void EveryCutOfAStripWithItsCountSetToMatchIsDamaged(Coding coding, int width, bool reversed)
    {
        bool[][] image = Picture(width, 9, seed: width + (int)coding);
        const int rowsPerStrip = 4;
        List<byte[]> strips = Strips(image, coding, rowsPerStrip, reversed);
        for (int s = 0; s < strips.Count; s++)
        {
            byte[] whole = strips[s];
            for (int keep = 1; keep < whole.Length; keep++)
            {
                TestContext.Current.CancellationToken.ThrowIfCancellationRequested();
                List<byte[]> cut = [.. strips];
                cut[s] = whole[..keep];
                IntegrityReport report = FileIntegrity.Check(Tiff(width, image.Length, rowsPerStrip, coding, reversed, cut));
                Assert.True(report.Verdict == IntegrityVerdict.Damaged, $"strip {s + 1} cut to {keep} of {whole.Length} bytes: {report.Verdict}: {report.Reason}");
                Assert.Contains($"TIFF strip {s + 1} holds ", report.Reason, StringComparison.Ordinal);
                Assert.Contains("rows it should", report.Reason, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData(Coding.ModifiedHuffman)]
    [InlineData(Coding.T4)]
    [InlineData(Coding.T6)]
    public void RowsThatOverrunTheWidthAreCorrupt(Coding coding)
    {
        // Coded 40 pixels wide, declared 32: the first row's runs pass the width.
        bool[][] image = Picture(40, 6, seed: 5);
        byte[] file = Tiff(32, image.Length, image.Length, coding, false, Strips(image, coding, image.Length, false));
        IntegrityReport report = FileIntegrity.Check(file);
        Assert.True(report.Verdict == IntegrityVerdict.Damaged, $"{report.Verdict}: {report.Reason}");
        Assert.Contains("then its data is corrupt", report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEndOfLineInsideARowIsCorrupt()
    {
        // A T.4 row of 100 pixels: white 30, then an EOL where the black run should be.
        var bits = new BitWriter();
        bits.Put(1, 12);
        bits.Run(30, white: true);
        bits.Put(1, 12);
        bits.Run(70, white: true);
        byte[] file = Tiff(100, 1, 1, Coding.T4, false, [bits.ToArray(false)]);
        IntegrityReport report = FileIntegrity.Check(file);
        Assert.True(report.Verdict == IntegrityVerdict.Damaged, $"{report.Verdict}: {report.Reason}");
        Assert.Contains("an end-of-line code inside a row", report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoDimensionalT4IsRefusedAsImageSharpDoesNotDecodeIt()
    {
        bool[][] image = Picture(64, 8, seed: 3);
        byte[] file = Tiff(64, image.Length, image.Length, Coding.T4, false, Strips(image, Coding.T4, image.Length, false), t4Options: 1);
        IntegrityReport report = FileIntegrity.Check(file);
        Assert.True(report.Verdict == IntegrityVerdict.Unsupported, $"{report.Verdict}: {report.Reason}");
        Assert.Contains("two dimensions", report.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Coding.ModifiedHuffman)]
    [InlineData(Coding.T4)]
    [InlineData(Coding.T6)]
    public void CutStripsMarkedMinIsBlackOrAboveTheLimitKeepTheirVerdicts(Coding coding)
    {
        bool[][] image = Picture(100, 8, seed: 11);
        image[3][40] = true; // at least one change, so that a T.6 strip is more than a byte
        List<byte[]> strips = Strips(image, coding, image.Length, false);
        Assert.True(strips[0].Length > 1);
        strips[0] = strips[0][..(strips[0].Length / 2)];
        // MinIsBlack fax data is refused as ImageSharp 2.1 decodes it inverted, whatever its strips hold.
        IntegrityReport minIsBlack = FileIntegrity.Check(Tiff(100, image.Length, image.Length, coding, false, strips, photometric: 1));
        Assert.True(minIsBlack.Verdict == IntegrityVerdict.Unsupported, $"{minIsBlack.Verdict}: {minIsBlack.Reason}");
        Assert.Contains("MinIsBlack", minIsBlack.Reason, StringComparison.Ordinal);
        // A page above the pixel limit is not walked: it is over the limit, not damaged.
        byte[] file = Tiff(100, image.Length, image.Length, coding, false, strips);
        IntegrityReport overLimit = FileIntegrity.Check(file, new IntegrityOptions { MaxPixels = 100 * 8 - 1 });
        Assert.True(overLimit.Verdict == IntegrityVerdict.OverLimit, $"{overLimit.Verdict}: {overLimit.Reason}");
        IntegrityReport walked = FileIntegrity.Check(file, new IntegrityOptions { MaxPixels = 100 * 8 });
        Assert.True(walked.Verdict == IntegrityVerdict.Damaged, $"{walked.Verdict}: {walked.Reason}");
    }

    private static FaxCoding Counted(Coding coding) => coding switch
    {
        Coding.ModifiedHuffman => FaxCoding.ModifiedHuffman,
        Coding.T6 => FaxCoding.T6,
        _ => FaxCoding.T4OneDimensional,
    };

    /// <summary>Every code in a lookup table: its bits, its length and its run.</summary>
    private static IEnumerable<(int Code, int Length, int Run)> Codes(int[] table)
    {
        var seen = new HashSet<int>();
        for (int slot = 0; slot < table.Length; slot++)
        {
            int entry = table[slot];
            if (entry == 0 || !seen.Add(entry)) continue;
            int length = entry >> 16;
            yield return (slot >> (FaxCodes.LookupBits - length), length, entry & 0xFFFF);
        }
    }

    private static int Lookup(int[] table, string code)
    {
        int entry = table[Convert.ToInt32(code, 2) << (FaxCodes.LookupBits - code.Length)];
        Assert.Equal(code.Length, entry >> 16);
        return entry & 0xFFFF;
    }

    /// <summary>A seeded bilevel picture (true is black): runs of every length, blobs that repeat from row to row, bars.</summary>
    private static bool[][] Picture(int width, int height, int seed)
    {
        var random = new Random(seed);
        var rows = new bool[height][];
        for (int y = 0; y < height; y++)
        {
            var row = new bool[width];
            int kind = random.Next(6);
            if (y > 0 && kind < 3)
            {
                // Much like the row above, shifted by a pixel or two here and there (vertical modes in T.6).
                int shift = random.Next(-2, 3);
                for (int x = 0; x < width; x++) row[x] = rows[y - 1][Math.Clamp(x + shift, 0, width - 1)];
            }
            else if (kind == 3)
            {
                Array.Fill(row, true);
            }
            else if (kind == 4)
            {
                bool black = random.Next(2) == 0;
                for (int x = 0; x < width;)
                {
                    int run = random.Next(4) == 0 ? random.Next(1, 3000) : random.Next(1, 70);
                    for (int i = 0; i < run && x < width; i++) row[x++] = black;
                    black = !black;
                }
            }
            rows[y] = row;
        }
        return rows;
    }

    /// <summary>The picture's strips in one coding, each byte's bits reversed for FillOrder 2.</summary>
    private static List<byte[]> Strips(bool[][] image, Coding coding, int rowsPerStrip, bool reversed)
    {
        var strips = new List<byte[]>();
        for (int first = 0; first < image.Length; first += rowsPerStrip)
        {
            var bits = new BitWriter();
            bool[] reference = new bool[image[0].Length];
            for (int y = first; y < Math.Min(image.Length, first + rowsPerStrip); y++)
            {
                bool[] row = image[y];
                if (coding == Coding.T6)
                {
                    T6Row(bits, reference, row);
                    reference = row;
                    continue;
                }
                if (coding == Coding.T4) bits.Put(1, 12);
                if (coding == Coding.T4WithEolFill)
                {
                    bits.Put(0, (4 - bits.Count % 8 + 8) % 8); // fill, so that the EOL ends on a byte boundary
                    bits.Put(1, 12);
                }
                OneDimensionalRow(bits, row);
                if (coding == Coding.ModifiedHuffman) bits.Put(0, (8 - bits.Count % 8) % 8);
            }
            strips.Add(bits.ToArray(reversed));
        }
        return strips;
    }

    private static void OneDimensionalRow(BitWriter bits, bool[] row)
    {
        bool white = true;
        int x = 0;
        while (true)
        {
            int end = x;
            while (end < row.Length && row[end] != white) end++;
            bits.Run(end - x, white);
            if (end == row.Length) return;
            x = end;
            white = !white;
        }
    }

    /// <summary>One T.6 row against its reference: pass, vertical (a1 within 3 of b1) or horizontal mode, as T.4 section 4.2 lays out.</summary>
    private static void T6Row(BitWriter bits, bool[] reference, bool[] row)
    {
        int width = row.Length;
        int a0 = -1;
        bool white = true;
        while (a0 < width)
        {
            // Changes to the colour opposite a0's: a1 on this row, b1 on the reference; b2 the change after b1.
            int a1 = NextChange(row, a0, black: white), b1 = NextChange(reference, a0, black: white);
            int b2 = NextChange(reference, b1, black: !white);
            if (b2 < a1)
            {
                bits.Put(0b0001, 4);
                a0 = b2;
            }
            else if (Math.Abs(a1 - b1) <= 3)
            {
                (int code, int length) = (a1 - b1) switch
                {
                    0 => (0b1, 1), 1 => (0b011, 3), 2 => (0b000011, 6), 3 => (0b0000011, 7),
                    -1 => (0b010, 3), -2 => (0b000010, 6), _ => (0b0000010, 7),
                };
                bits.Put(code, length);
                a0 = a1;
                white = !white;
            }
            else
            {
                int a2 = NextChange(row, a1, black: !white);
                bits.Put(0b001, 3);
                bits.Run(a1 - Math.Max(a0, 0), white);
                bits.Run(a2 - a1, !white);
                a0 = a2;
            }
        }
    }

    /// <summary>The first changing element after <paramref name="after"/> whose pixel is <paramref name="black"/> (the width if none).</summary>
    private static int NextChange(bool[] row, int after, bool black)
    {
        for (int x = after + 1; x < row.Length; x++)
            if (row[x] == black && (x == 0 ? black : row[x - 1] != black)) return x;
        return row.Length;
    }

    /// <summary>A little-endian TIFF: the strips after the header, their tables, then one directory.</summary>
    private static byte[] Tiff(int width, int height, int rowsPerStrip, Coding coding, bool reversed, List<byte[]> strips, int photometric = 0, int t4Options = -1)
    {
        var file = new List<byte>("II*\0\0\0\0\0"u8.ToArray());
        var offsets = new List<int>();
        foreach (byte[] strip in strips)
        {
            offsets.Add(file.Count);
            file.AddRange(strip);
            if ((file.Count & 1) != 0) file.Add(0);
        }
        int Table(IEnumerable<int> values)
        {
            int at = file.Count;
            foreach (int v in values) file.AddRange(BitConverter.GetBytes(v));
            return at;
        }
        bool one = strips.Count == 1;
        int offsetsAt = one ? offsets[0] : Table(offsets), countsAt = one ? strips[0].Length : Table(strips.Select(s => s.Length));
        int compression = coding == Coding.T4WithEolFill ? 3 : (int)coding;
        var entries = new List<(int Tag, int Type, int Count, int Value)>
        {
            (256, 4, 1, width), (257, 4, 1, height), (258, 3, 1, 1), (259, 3, 1, compression), (262, 3, 1, photometric),
            (266, 3, 1, reversed ? 2 : 1), (273, 4, strips.Count, offsetsAt), (277, 3, 1, 1), (278, 4, 1, rowsPerStrip),
            (279, 4, strips.Count, countsAt),
        };
        if (coding == Coding.T4WithEolFill) t4Options = 4;
        if (t4Options >= 0) entries.Add((292, 4, 1, t4Options));
        int ifd = file.Count;
        file.AddRange(BitConverter.GetBytes((ushort)entries.Count));
        foreach ((int tag, int type, int count, int value) in entries)
        {
            file.AddRange(BitConverter.GetBytes((ushort)tag));
            file.AddRange(BitConverter.GetBytes((ushort)type));
            file.AddRange(BitConverter.GetBytes(count));
            file.AddRange(BitConverter.GetBytes(value));
        }
        file.AddRange(new byte[4]);
        byte[] bytes = [.. file];
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), ifd);
        return bytes;
    }

    /// <summary>Bits, most significant first; runs coded from <see cref="FaxCodes"/>' tables read backwards.</summary>
    private sealed class BitWriter
    {
        private static readonly Dictionary<int, (int Code, int Length)> WhiteCodes = Codes(FaxCodes.White).ToDictionary(c => c.Run, c => (c.Code, c.Length));
        private static readonly Dictionary<int, (int Code, int Length)> BlackCodes = Codes(FaxCodes.Black).ToDictionary(c => c.Run, c => (c.Code, c.Length));
        private readonly List<bool> bits = [];

        public int Count => bits.Count;

        public void Put(int value, int length)
        {
            for (int i = length - 1; i >= 0; i--) bits.Add((value >> i & 1) != 0);
        }

        /// <summary>One run: 2,560 make-ups while more than 2,623 remain, a make-up for the 64s, a terminating code.</summary>
        public void Run(int run, bool white)
        {
            Dictionary<int, (int Code, int Length)> codes = white ? WhiteCodes : BlackCodes;
            while (run >= 2560 + 64)
            {
                Put(codes[2560].Code, codes[2560].Length);
                run -= 2560;
            }
            if (run >= 64)
            {
                Put(codes[run & ~63].Code, codes[run & ~63].Length);
                run &= 63;
            }
            Put(codes[run].Code, codes[run].Length);
        }

        public byte[] ToArray(bool reversed)
        {
            byte[] bytes = new byte[(bits.Count + 7) / 8];
            for (int i = 0; i < bits.Count; i++)
                if (bits[i]) bytes[i / 8] |= (byte)(reversed ? 1 << (i % 8) : 0x80 >> (i % 8));
            return bytes;
        }
    }
}
