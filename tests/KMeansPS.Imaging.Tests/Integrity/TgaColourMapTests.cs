using KMeansPS.Imaging.Integrity;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Integrity;

/// <summary>
/// Colour-mapped TGA (image types 1 and 9): a pixel whose index names no entry of the map is damaged, reported at its
/// place in the image (rows bottom up unless the descriptor says top down, columns right to left when it says so);
/// maps ImageSharp 2.1 misreads (15-bit entries, a first entry other than 0, indices wider than 8 bits) are
/// unsupported. Seeded files, uncompressed and run-length encoded; those without a finding decode to their map's
/// colours.
/// </summary>
public class TgaColourMapTests
{
    private static byte[] Tga(int width, int height, byte[] indices, byte[] map, int mapDepth, int entries, bool runLength, bool topDown,
        bool rightToLeft, int mapStart, int indexDepth, Random random)
    {
        var file = new List<byte> { 0, 1, (byte)(runLength ? 9 : 1), (byte)mapStart, (byte)(mapStart >> 8), (byte)entries, (byte)(entries >> 8), (byte)mapDepth,
            0, 0, 0, 0, (byte)width, (byte)(width >> 8), (byte)height, (byte)(height >> 8), (byte)indexDepth,
            (byte)((topDown ? 0x20 : 0) | (rightToLeft ? 0x10 : 0)) };
        file.AddRange(map);
        if (!runLength)
        {
            file.AddRange(indices);
            return [.. file];
        }
        for (int i = 0; i < indices.Length;)
        {
            int run = 1;
            while (i + run < indices.Length && run < 128 && indices[i + run] == indices[i]) run++;
            if (run > 1 && random.Next(4) != 0)
            {
                file.Add((byte)(0x80 | (run - 1)));
                file.Add(indices[i]);
                i += run;
            }
            else
            {
                int raw = Math.Min(random.Next(1, 20), indices.Length - i);
                file.Add((byte)(raw - 1));
                file.AddRange(indices.AsSpan(i, raw).ToArray());
                i += raw;
            }
        }
        return [.. file];
    }

    [Fact]
    public void The_first_index_beyond_the_map_is_reported_where_it_is_shown_and_files_without_one_decode_to_the_map()
    {
        var random = new Random(20261206);
        int damaged = 0, intact = 0;
        for (int n = 0; n < 300; n++)
        {
            int width = random.Next(1, 25), height = random.Next(1, 12), mapDepth = new[] { 16, 24, 32 }[random.Next(3)];
            int entries = random.Next(3) == 0 ? 256 : random.Next(1, 256);
            bool runLength = random.Next(2) == 1, topDown = random.Next(2) == 1, rightToLeft = random.Next(4) == 0;
            double beyondShare = entries < 256 ? new[] { 0, 0.01, 0.2 }[random.Next(3)] : 0;
            byte[] indices = Enumerable.Range(0, width * height).Select(_ => (byte)(random.NextDouble() < beyondShare ? random.Next(entries, 256)
                : random.Next(2) == 0 ? random.Next(Math.Min(entries, 2)) : random.Next(entries))).ToArray();
            var map = new byte[entries * mapDepth / 8];
            random.NextBytes(map);
            if (mapDepth == 32) for (int e = 0; e < entries; e++) map[e * 4 + 3] = 255;
            byte[] tga = Tga(width, height, indices, map, mapDepth, entries, runLength, topDown, rightToLeft, 0, 8, random);
            IntegrityReport report = FileIntegrity.Check(tga);
            string context = $"file {n}: {width} x {height}, {entries} entries of {mapDepth} bits, RLE {runLength}, top down {topDown}, right to left {rightToLeft}";
            int first = Array.FindIndex(indices, i => i >= entries);
            if (first >= 0)
            {
                int column = first % width, row = first / width;
                int x = rightToLeft ? width - 1 - column : column, y = topDown ? row : height - 1 - row;
                Assert.True(report.Verdict == IntegrityVerdict.Damaged, $"{context}: {report.Verdict} {report.Reason}");
                Assert.Contains($"pixel at ({x}, {y}) uses colour index {indices[first]}, beyond its colour map of {entries} entries", report.Reason, StringComparison.Ordinal);
                damaged++;
                continue;
            }
            Assert.True(report.Verdict == IntegrityVerdict.Intact, $"{context}: {report.Verdict} ({report.Reason})");
            intact++;
            if (mapDepth == 16 || rightToLeft) continue; // 16-bit entries round by decoder; the colours of 24 and 32-bit maps are exact
            Rgba32[] pixels = ImageSharpOracle.Decode(tga).Frames![0];
            for (int i = 0; i < indices.Length; i++)
            {
                int column = i % width, row = i / width, y = topDown ? row : height - 1 - row, e = indices[i] * mapDepth / 8;
                var expected = new Rgba32(map[e + 2], map[e + 1], map[e], 255);
                Assert.True(expected == pixels[y * width + column], $"{context}: pixel {i}");
            }
        }
        Assert.InRange(damaged, 60, 200);
        Assert.InRange(intact, 100, 240);
    }

    [Theory]
    [InlineData(15, 0, 8, "15-bit entries")]
    [InlineData(24, 10, 8, "starts at entry 10")]
    [InlineData(24, 0, 16, "16-bit indices")]
    public void Colour_maps_ImageSharp_misreads_are_unsupported(int mapDepth, int mapStart, int indexDepth, string reason)
    {
        var random = new Random(5);
        byte[] indices = Enumerable.Range(0, 12 * (indexDepth / 8)).Select(i => (byte)(i % 4)).ToArray();
        byte[] tga = Tga(6, 2, indices, new byte[4 * ((mapDepth + 7) / 8)], mapDepth, 4, runLength: false, topDown: true, rightToLeft: false,
            mapStart, indexDepth, random);
        IntegrityReport report = FileIntegrity.Check(tga);
        Assert.Equal(IntegrityVerdict.Unsupported, report.Verdict);
        Assert.Contains(reason, report.Reason, StringComparison.Ordinal);
    }
}
