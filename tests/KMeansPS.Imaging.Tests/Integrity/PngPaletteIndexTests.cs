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
    public void An_index_beyond_the_palette_before_the_data_ends_is_the_finding_and_a_cut_before_it_keeps_the_shortfall()
    {
        var random = new Random(7);
        var indices = new int[16, 16]; // all 0, but one index beyond a 2-colour palette in row 2
        indices[2, 3] = 5;
        byte[] whole = Encode(indices, 8, interlaced: false, entries: 2, random);
        List<(string Type, byte[] Data)> chunks = PngWriter.Chunks(whole);
        int idat = chunks.FindIndex(c => c.Type == "IDAT");
        byte[] rows = ZlibInflate(chunks[idat].Data);
        (string, byte[]) Cut(int keep) => ("IDAT", PngWriter.Zlib(rows[..(keep * 17)]));

        // Cut after row 10: the index (row 2) comes first in the data, and it is what is reported.
        chunks[idat] = Cut(10);
        IntegrityReport afterIndex = FileIntegrity.Check(PngWriter.Assemble(chunks));
        Assert.Equal(IntegrityVerdict.Damaged, afterIndex.Verdict);
        Assert.Contains("pixel at (3, 2) uses colour index 5", afterIndex.Reason, StringComparison.Ordinal);

        // Cut after row 1: the index is never reached, and the shortfall is the finding.
        chunks[idat] = Cut(1);
        IntegrityReport beforeIndex = FileIntegrity.Check(PngWriter.Assemble(chunks));
        Assert.Equal(IntegrityVerdict.Damaged, beforeIndex.Verdict);
        Assert.Contains("ends after 1 of 16 rows", beforeIndex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_check_that_leaves_the_image_data_to_the_fast_decoder_does_not_unfilter_it()
    {
        var indices = new int[4, 4];
        indices[1, 1] = 3;
        byte[] png = Encode(indices, 8, interlaced: false, entries: 2, new Random(3));
        Assert.Equal(IntegrityVerdict.Intact, FileIntegrity.Check(png, new IntegrityOptions { InflatePngImageData = false }).Verdict);
        Assert.Equal(IntegrityVerdict.Damaged, FileIntegrity.Check(png).Verdict);
    }

    private static byte[] ZlibInflate(byte[] data)
    {
        using var input = new MemoryStream(data);
        using var zlib = new System.IO.Compression.ZLibStream(input, System.IO.Compression.CompressionMode.Decompress);
        using var output = new MemoryStream();
        zlib.CopyTo(output);
        return output.ToArray();
    }
}
