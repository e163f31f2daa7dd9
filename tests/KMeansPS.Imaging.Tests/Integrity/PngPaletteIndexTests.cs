using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Tests.Corpus;

namespace KMeansPS.Imaging.Tests.Integrity;

/// <summary>
/// A palette PNG whose pixels use an index beyond its PLTE is damaged (the PNG specification calls it an error, and
/// decoders disagree on its colour), reported at the first such pixel in the order the data holds them. Seeded
/// generated files over every bit depth, both interlace methods, every filter type, palettes from one entry to the
/// full range, and padding bits set after a row's last pixel (not pixels, so never a finding).
/// </summary>
public class PngPaletteIndexTests
{
    private static ReadOnlySpan<byte> Adam7 => [0, 0, 8, 8, 4, 0, 8, 8, 0, 4, 4, 8, 2, 0, 4, 4, 0, 2, 2, 4, 1, 0, 2, 2, 0, 1, 1, 2];

    /// <summary>The pixels' positions of each pass, in data order (one pass of every pixel when not interlaced).</summary>
    private static List<List<(int X, int Y)[]>> Passes(int width, int height, bool interlaced)
    {
        var passes = new List<List<(int X, int Y)[]>>();
        for (int pass = 0; pass < (interlaced ? 7 : 1); pass++)
        {
            (int x0, int y0, int dx, int dy) = interlaced ? (Adam7[pass * 4], Adam7[pass * 4 + 1], Adam7[pass * 4 + 2], Adam7[pass * 4 + 3]) : (0, 0, 1, 1);
            var rows = new List<(int X, int Y)[]>();
            for (int y = y0; y < height; y += dy)
            {
                var row = new List<(int X, int Y)>();
                for (int x = x0; x < width; x += dx) row.Add((x, y));
                if (row.Count > 0) rows.Add([.. row]);
            }
            passes.Add(rows);
        }
        return passes;
    }

    private static int Predict(int filter, int a, int b, int c) => filter switch
    {
        1 => a,
        2 => b,
        3 => (a + b) >> 1,
        4 => Math.Abs(b - c) <= Math.Abs(a - c) && Math.Abs(b - c) <= Math.Abs(a + b - 2 * c) ? a : Math.Abs(a - c) <= Math.Abs(a + b - 2 * c) ? b : c,
        _ => 0,
    };

    /// <summary>A palette PNG of the given indices: rows packed high bits first, padding bits random, each row filtered by a random type.</summary>
    private static byte[] Encode(int[,] indices, int bitDepth, bool interlaced, int entries, Random random)
    {
        int height = indices.GetLength(0), width = indices.GetLength(1);
        var data = new List<byte>();
        foreach (List<(int X, int Y)[]> pass in Passes(width, height, interlaced))
        {
            byte[]? above = null;
            foreach ((int X, int Y)[] row in pass)
            {
                int bytes = (row.Length * bitDepth + 7) / 8;
                var raw = new byte[bytes];
                for (int i = 0; i < row.Length; i++)
                {
                    int bit = i * bitDepth;
                    raw[bit / 8] |= (byte)(indices[row[i].Y, row[i].X] << (8 - bitDepth - bit % 8));
                }
                int padding = bytes * 8 - row.Length * bitDepth;
                if (padding > 0) raw[^1] |= (byte)(random.Next(256) & ((1 << padding) - 1));
                int filter = random.Next(5);
                data.Add((byte)filter);
                for (int i = 0; i < bytes; i++)
                {
                    int a = i > 0 ? raw[i - 1] : 0, b = above?[i] ?? 0, c = i > 0 ? above?[i - 1] ?? 0 : 0;
                    data.Add((byte)(raw[i] - Predict(filter, a, b, c)));
                }
                above = raw;
            }
        }
        var palette = new byte[entries * 3];
        random.NextBytes(palette);
        return PngWriter.Assemble(
        [
            ("IHDR", PngWriter.Header(width, height, (byte)bitDepth, 3, (byte)(interlaced ? 1 : 0))),
            ("PLTE", palette),
            ("IDAT", PngWriter.Zlib([.. data])),
            ("IEND", []),
        ]);
    }

    [Fact]
    public void The_first_index_beyond_the_palette_in_data_order_is_reported_and_files_without_one_are_intact()
    {
        var random = new Random(20261206);
        int damaged = 0, intact = 0;
        for (int file = 0; file < 600; file++)
        {
            int bitDepth = new[] { 1, 2, 4, 8 }[random.Next(4)];
            bool interlaced = random.Next(2) == 1;
            int width = random.Next(5, 41), height = random.Next(1, 21), range = 1 << bitDepth;
            int entries = random.Next(3) == 0 ? range : random.Next(1, range); // a full palette now and then: nothing to find
            double beyondShare = new[] { 0, 0.001, 0.02, 0.3 }[random.Next(4)];
            var indices = new int[height, width];
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                    indices[y, x] = entries < range && random.NextDouble() < beyondShare ? random.Next(entries, range) : random.Next(entries);
            byte[] png = Encode(indices, bitDepth, interlaced, entries, random);

            (int X, int Y)? first = Passes(width, height, interlaced).SelectMany(pass => pass).SelectMany(row => row)
                .Where(p => indices[p.Y, p.X] >= entries).Select(p => ((int X, int Y)?)p).FirstOrDefault();
            IntegrityReport report = FileIntegrity.Check(png);
            string context = $"file {file}: depth {bitDepth}, interlaced {interlaced}, {width} x {height}, {entries} entries";
            if (first is (int fx, int fy))
            {
                Assert.True(report.Verdict == IntegrityVerdict.Damaged, $"{context}: {report.Verdict}");
                Assert.Contains($"pixel at ({fx}, {fy}) uses colour index {indices[fy, fx]}, beyond its palette (PLTE) of {entries} colour", report.Reason, StringComparison.Ordinal);
                damaged++;
            }
            else
            {
                Assert.True(report.Verdict == IntegrityVerdict.Intact, $"{context}: {report.Verdict} ({report.Reason})");
                intact++;
            }
        }
        // The draw gave both kinds plenty of times.
        Assert.InRange(damaged, 150, 450);
        Assert.InRange(intact, 150, 450);
    }

    [Fact]
    public void Image_data_cut_short_keeps_its_own_damage_message_even_past_an_index_beyond_the_palette()
    {
        var random = new Random(7);
        var indices = new int[16, 16]; // all 0, then one index beyond a 2-colour palette in the last row
        indices[15, 3] = 5;
        byte[] whole = Encode(indices, 8, interlaced: false, entries: 2, random);
        List<(string Type, byte[] Data)> chunks = PngWriter.Chunks(whole);
        int idat = chunks.FindIndex(c => c.Type == "IDAT");
        // The same rows without the last: the index is never reached, and the shortfall is the finding.
        var rows = new byte[15 * 17];
        chunks[idat] = ("IDAT", PngWriter.Zlib(rows));
        IntegrityReport report = FileIntegrity.Check(PngWriter.Assemble(chunks));
        Assert.Equal(IntegrityVerdict.Damaged, report.Verdict);
        Assert.Contains("ends after 15 of 16 rows", report.Reason, StringComparison.Ordinal);
    }
}
