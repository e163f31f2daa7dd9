using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Tests.Corpus;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Integrity;

/// <summary>
/// A palette BMP (uncompressed 1, 4 or 8 bits, or RLE8 and RLE4) whose pixel uses an index beyond its colour table is
/// damaged, reported at its place (rows bottom up unless the height is negative); seeded files, those without one read
/// back as their table's colours, and ImageSharp refuses those with one.
/// </summary>
public class BmpColourTableTests
{
    [Fact]
    public void The_first_index_beyond_the_table_is_reported_where_it_is_shown()
    {
        var random = new Random(20261206);
        int damaged = 0, intact = 0;
        for (int n = 0; n < 240; n++)
        {
            int bits = new[] { 1, 4, 8 }[random.Next(3)], range = 1 << bits;
            int width = random.Next(1, 30), height = random.Next(1, 12);
            int entries = random.Next(3) == 0 ? range : random.Next(1, range);
            double beyondShare = entries < range ? new[] { 0, 0.02, 0.3 }[random.Next(3)] : 0;
            bool topDown = random.Next(2) == 1;
            var indices = new int[height, width]; // [file row, column]
            for (int r = 0; r < height; r++)
                for (int x = 0; x < width; x++)
                    indices[r, x] = random.NextDouble() < beyondShare ? random.Next(entries, range) : random.Next(entries);
            int stride = (width * bits + 31) / 32 * 4;
            var pixels = new byte[stride * height];
            for (int r = 0; r < height; r++)
                for (int x = 0; x < width; x++)
                    pixels[r * stride + x * bits / 8] |= (byte)(indices[r, x] << (8 - bits - x * bits % 8));
            Rgba32[] palette = Enumerable.Range(0, entries).Select(_ => new Rgba32((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), 255)).ToArray();
            byte[] bmp = BmpWriter.Assemble(width, topDown ? -height : height, bits, 0, palette, pixels);

            IntegrityReport report = FileIntegrity.Check(bmp);
            string context = $"file {n}: {bits} bits, {width} x {height}, {entries} entries, top down {topDown}";
            (int Row, int X)? first = Enumerable.Range(0, height).SelectMany(r => Enumerable.Range(0, width).Select(x => (Row: r, X: x)))
                .Where(p => indices[p.Row, p.X] >= entries).Select(p => ((int, int)?)p).FirstOrDefault();
            if (first is (int row, int fx))
            {
                int y = topDown ? row : height - 1 - row;
                Assert.True(report.Verdict == IntegrityVerdict.Damaged, $"{context}: {report.Verdict} {report.Reason}");
                Assert.Contains($"pixel at ({fx}, {y}) uses colour index {indices[row, fx]}, beyond its colour table of {entries} colour", report.Reason, StringComparison.Ordinal);
                Assert.NotNull(ImageSharpOracle.Decode(bmp).Error); // ImageSharp refuses it, with no word on why
                damaged++;
                continue;
            }
            Assert.True(report.Verdict == IntegrityVerdict.Intact, $"{context}: {report.Verdict} ({report.Reason})");
            Rgba32[] decoded = ImageSharpOracle.Decode(bmp).Frames?[0] ?? throw new Xunit.Sdk.XunitException($"{context}: ImageSharp failed");
            for (int r = 0; r < height; r++)
                for (int x = 0; x < width; x++)
                {
                    int y = topDown ? r : height - 1 - r;
                    Assert.True(palette[indices[r, x]] == decoded[y * width + x], $"{context}: pixel ({x}, {y})");
                }
            intact++;
        }
        Assert.InRange(damaged, 50, 190);
        Assert.InRange(intact, 50, 190);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(4)]
    public void An_RLE_pixel_beyond_the_table_is_reported_where_it_is_shown(int bits)
    {
        var random = new Random(20261207 + bits);
        int damaged = 0, intact = 0, range = 1 << bits;
        for (int n = 0; n < 150; n++)
        {
            int width = random.Next(1, 30), height = random.Next(1, 12);
            int entries = random.Next(3) == 0 ? range : random.Next(1, range);
            double beyondShare = entries < range ? new[] { 0, 0.02, 0.3 }[random.Next(3)] : 0;
            // Rows of runs (repeats) and single pixels, so both encoded and absolute runs carry indices beyond.
            var indices = new byte[width * height]; // row 0 is the top row
            for (int i = 0; i < indices.Length; i++)
                indices[i] = i % width > 0 && random.Next(3) == 0 ? indices[i - 1]
                    : (byte)(random.NextDouble() < beyondShare ? random.Next(entries, range) : random.Next(entries));
            Rgba32[] palette = Enumerable.Range(0, entries).Select(_ => new Rgba32((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), 255)).ToArray();
            byte[] bmp = BmpWriter.Rle(width, height, indices, palette, bits);

            IntegrityReport report = FileIntegrity.Check(bmp);
            string context = $"file {n}: RLE{bits}, {width} x {height}, {entries} entries";
            // The file holds the bottom row first.
            (int X, int Y)? first = Enumerable.Range(0, height).Reverse().SelectMany(y => Enumerable.Range(0, width).Select(x => (X: x, Y: y)))
                .Where(p => indices[p.Y * width + p.X] >= entries).Select(p => ((int, int)?)p).FirstOrDefault();
            if (first is (int fx, int fy))
            {
                Assert.True(report.Verdict == IntegrityVerdict.Damaged, $"{context}: {report.Verdict} {report.Reason}");
                Assert.Contains($"pixel at ({fx}, {fy}) uses colour index {indices[fy * width + fx]}, beyond its colour table of {entries} colour", report.Reason, StringComparison.Ordinal);
                Assert.NotNull(ImageSharpOracle.Decode(bmp).Error);
                damaged++;
                continue;
            }
            Assert.True(report.Verdict == IntegrityVerdict.Intact, $"{context}: {report.Verdict} ({report.Reason})");
            Rgba32[] decoded = ImageSharpOracle.Decode(bmp).Frames?[0] ?? throw new Xunit.Sdk.XunitException($"{context}: ImageSharp failed");
            for (int i = 0; i < indices.Length; i++)
                Assert.True(palette[indices[i]] == decoded[i], $"{context}: pixel {i}");
            intact++;
        }
        Assert.InRange(damaged, 30, 120);
        Assert.InRange(intact, 30, 120);
    }
}
