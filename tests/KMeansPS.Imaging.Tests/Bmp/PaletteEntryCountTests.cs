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
        foreach (int bits in new[] { 1, 2, 4, 8 })
        {
            int full = 1 << bits;
            foreach ((int entries, int gap) in new[] { (full, 0), (full, 4 * full), (full, 8), (Math.Max(2, full / 2), 0), (Math.Max(2, full / 2), 12) })
            {
                if (entries == full && gap == 0 && bits != 2) continue; // 2 bits: ImageSharp failed on a full table too
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
        Assert.True(cases >= 13);
    }

    [Fact]
    public void An_OS2_bitmap_with_a_short_table_or_a_gap_after_it_gets_every_entry()
    {
        var random = new Random(512);
        foreach (int bits in new[] { 1, 4, 8 })
            foreach ((int entries, int gap) in new[] { (1 << bits, 3), (1 << bits, 40), (Math.Max(2, (1 << bits) / 2), 0) })
            {
                Rgba32[] palette = Enumerable.Range(0, entries).Select(_ => new Rgba32((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256))).ToArray();
                int width = random.Next(3, 17), height = random.Next(2, 9);
                byte[] indices = Enumerable.Range(0, width * height).Select(_ => (byte)random.Next(entries)).ToArray();
                string label = $"OS/2 {bits}-bit, {entries} entries, a gap of {gap} bytes";
                byte[] file = BmpWriter.Os2(width, height, bits, palette, indices, gap);
                IntegrityReport report = FileIntegrity.Check(file);
                Assert.True(report.Verdict == IntegrityVerdict.Intact, $"{label}: {report.Verdict} {report.Reason}");
                RgbaImage image = ImageDecoder.Decode(file, 1 << 20, "x.bmp", TestContext.Current.CancellationToken);
                for (int i = 0; i < indices.Length; i++)
                    Assert.True(image.Pixels[i] == new Rgba32(palette[indices[i]].R, palette[indices[i]].G, palette[indices[i]].B, 255), $"{label}: pixel {i}");
            }
    }

    [Fact]
    public void An_RLE4_bitmap_with_fewer_than_16_entries_is_read()
    {
        // Eight entries, colours-used 0: ImageSharp was told 16 and refused to read past the pixels' start.
        Rgba32[] palette = Enumerable.Range(0, 8).Select(i => new Rgba32((byte)(30 * i), (byte)(255 - 30 * i), 77)).ToArray();
        byte[] indices = Enumerable.Range(0, 6 * 4).Select(i => (byte)(i % 8)).ToArray();
        byte[] file = BmpWriter.Rle(6, 4, indices, palette, 4);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(14 + 32), 0);
        Assert.Equal(IntegrityVerdict.Intact, FileIntegrity.Check(file).Verdict);
        RgbaImage image = ImageDecoder.Decode(file, 1 << 20, "x.bmp", TestContext.Current.CancellationToken);
        for (int i = 0; i < indices.Length; i++) Assert.Equal(new Rgba32(palette[indices[i]].R, palette[indices[i]].G, palette[indices[i]].B, 255), image.Pixels[i]);
    }

    [Fact]
    public void A_16_byte_OS2_header_before_a_table_of_other_than_full_size_is_refused()
    {
        byte[] file = BmpWriter.Os2(4, 2, 8, [new(1, 2, 3), new(4, 5, 6)], new byte[8]);
        byte[] longer = [.. file[..14], 16, 0, 0, 0, .. file[18..26], 0, 0, 0, 0, .. file[26..]];
        BinaryPrimitives.WriteInt32LittleEndian(longer.AsSpan(2), longer.Length);
        BinaryPrimitives.WriteInt32LittleEndian(longer.AsSpan(10), BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(10)) + 4);
        // The 12-byte header's 16-bit sizes in a 16-byte header's 32-bit fields.
        BinaryPrimitives.WriteInt32LittleEndian(longer.AsSpan(18), 4);
        BinaryPrimitives.WriteInt32LittleEndian(longer.AsSpan(22), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(longer.AsSpan(26), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(longer.AsSpan(28), 8);
        IntegrityReport report = FileIntegrity.Check(longer);
        Assert.True(report.Verdict == IntegrityVerdict.Unsupported, $"{report.Verdict} {report.Reason}");
    }
}
