using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Tests.Corpus;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Integrity;

/// <summary>
/// An uncompressed palette BMP (1, 4 or 8 bits) whose pixel uses an index beyond its colour table is damaged, reported
/// at its place (rows bottom up unless the height is negative); seeded files, those without one read back as their
/// table's colours, and ImageSharp refuses those with one.
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
}
