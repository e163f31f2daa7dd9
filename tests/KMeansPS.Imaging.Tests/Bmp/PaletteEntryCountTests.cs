using System.Buffers.Binary;
using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Tests.Corpus;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Bmp;

/// <summary>
/// Palette bitmaps whose colours-used field is 0 and whose colour table is shorter than 2^bits entries, or followed by
/// a gap before the pixels: every pixel gets its entry's colour, four bytes an entry from the table's start (as PIL,
/// ImageMagick and netpbm read it), where ImageSharp 2.1 alone sized the entries from the gap. Seeded tables and pixels.
/// </summary>
public class PaletteEntryCountTests
{
    /// <summary>A bottom-up palette bitmap of <paramref name="palette"/>, its colours-used field 0, <paramref name="gap"/> bytes after the table.</summary>
    private static byte[] Bitmap(int width, int height, int bits, Rgba32[] palette, byte[] indices, int gap)
    {
        int stride = ((width * bits + 31) / 32) * 4;
        var pixels = new byte[stride * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int index = indices[(height - 1 - y) * width + x], bit = x * bits;
                pixels[y * stride + bit / 8] |= (byte)(index << (8 - bits - bit % 8));
            }
        byte[] file = BmpWriter.Assemble(width, height, bits, 0, palette, pixels);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(14 + 32), 0);
        int tableEnd = 14 + 40 + 4 * palette.Length;
        byte[] withGap = [.. file[..tableEnd], .. Enumerable.Repeat((byte)34, gap), .. file[tableEnd..]];
        BinaryPrimitives.WriteInt32LittleEndian(withGap.AsSpan(2), withGap.Length);
        BinaryPrimitives.WriteInt32LittleEndian(withGap.AsSpan(10), tableEnd + gap);
        return withGap;
    }

    [Fact]
    public void Every_pixel_gets_its_entry_from_a_short_table_or_one_with_a_gap_after_it()
    {
        var random = new Random(4242);
        int cases = 0;
        foreach (int bits in new[] { 1, 4, 8 })
        {
            int full = 1 << bits;
            foreach ((int entries, int gap) in new[] { (full, 4 * full), (full, 8), (Math.Max(2, full / 2), 0), (Math.Max(2, full / 2), 12) })
            {
                if (entries == full && gap == 0) continue;
                Rgba32[] palette = Enumerable.Range(0, entries).Select(_ => new Rgba32((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256))).ToArray();
                int width = random.Next(3, 17), height = random.Next(2, 9);
                byte[] indices = Enumerable.Range(0, width * height).Select(_ => (byte)random.Next(entries)).ToArray();
                byte[] file = Bitmap(width, height, bits, palette, indices, gap);
                string label = $"{bits}-bit, {entries} entries, a gap of {gap} bytes";
                IntegrityReport report = FileIntegrity.Check(file);
                Assert.True(report.Verdict == IntegrityVerdict.Intact, $"{label}: {report.Verdict} {report.Reason}");
                RgbaImage image = ImageDecoder.Decode(file, 1 << 20, "x.bmp", TestContext.Current.CancellationToken);
                for (int i = 0; i < indices.Length; i++)
                {
                    Rgba32 expected = palette[indices[i]];
                    Assert.True(image.Pixels[i] == new Rgba32(expected.R, expected.G, expected.B, 255), $"{label}: pixel {i} is {image.Pixels[i]}, entry {indices[i]} is {expected}");
                }
                cases++;
            }
        }
        Assert.True(cases >= 9);
    }
}
