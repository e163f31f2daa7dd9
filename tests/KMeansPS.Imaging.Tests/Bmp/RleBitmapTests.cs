using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Tests.Corpus;
using KMeansPS.Imaging.Tests.Integrity;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Bmp;

/// <summary>
/// RLE8 and RLE4 bitmaps read as ImageMagick reads them (and PIL, where the two agree): rows that give more pixels
/// than the width before their end-of-line code (ImageMagick pads every odd-width row with one) keep their own pixels,
/// as the next row writes over the excess; rows that never end read on; pixels no code sets are palette entry 0.
/// ImageSharp alone carries the excess into the next row and loses a row. Seeded widths and runs: a separate padding
/// run, an encoded run or an absolute run reaching past the end.
/// </summary>
public class RleBitmapTests
{
    [Theory]
    [InlineData(8)]
    [InlineData(4)]
    public void Pixels_past_a_rows_end_are_dropped_and_every_row_holds_its_own(int bits)
    {
        Rgba32[] palette = CorpusImages.Palette(bits == 8 ? 40 : 16, 12);
        var random = new Random(bits);
        int misread = 0;
        for (int n = 0; n < 40; n++)
        {
            int width = random.Next(1, 30), height = random.Next(1, 9);
            byte[] indices = Enumerable.Range(0, width * height).Select(_ => (byte)random.Next(palette.Length)).ToArray();
            byte[] bmp = BmpWriter.Assemble(width, height, bits, bits == 8 ? 1 : 2, palette, Codes(width, height, indices, bits, random));
            Assert.Equal(IntegrityVerdict.Intact, FileIntegrity.Check(bmp).Verdict);
            RgbaImage image = ImageDecoder.Decode(bmp, 1 << 20, "padded.bmp", TestContext.Current.CancellationToken);
            for (int i = 0; i < indices.Length; i++)
                Assert.True(palette[indices[i]] == image.Pixels[i], $"{width} x {height}, pixel ({i % width}, {i / width}): {image.Pixels[i]}");
            if (ImageSharpOracle.Decode(bmp).Frames?[0] is not { } alone || !alone.AsSpan().SequenceEqual(image.Pixels.AsSpan(0, indices.Length))) misread++;
        }
        Assert.True(misread > 20, $"ImageSharp alone read {40 - misread} of 40 right");
    }

    [Theory]
    [InlineData(8)]
    [InlineData(4)]
    public void A_run_reaching_more_than_a_row_past_the_bitmap_is_damage(int bits)
    {
        // A changed run length: ImageMagick, PIL and netpbm each read it differently (netpbm refuses it).
        Rgba32[] palette = CorpusImages.Palette(16, 3);
        byte run = bits == 8 ? (byte)2 : (byte)0x22;
        foreach ((int lastRun, bool damaged) in new[] { (5, false), (8, false), (11, true), (40, true) })
        {
            byte[] codes = [5, run, 0, 0, (byte)lastRun, run, 0, 1]; // 5 x 2: a row of 5, then a run of lastRun
            byte[] bmp = BmpWriter.Assemble(5, 2, bits, bits == 8 ? 1 : 2, palette, codes);
            IntegrityReport report = FileIntegrity.Check(bmp);
            Assert.True((report.Verdict == IntegrityVerdict.Damaged) == damaged, $"a last run of {lastRun}: {report.Verdict} {report.Reason}");
            if (damaged) Assert.Contains($"gives {lastRun - 5} pixels past the bitmap's last one", report.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_first_bitmap_of_an_OS2_bitmap_array_is_cut_the_same_way()
    {
        Rgba32[] palette = CorpusImages.Palette(40, 13);
        var random = new Random(14);
        for (int n = 0; n < 10; n++)
        {
            int width = random.Next(1, 20) | 1, height = random.Next(2, 6);
            byte[] indices = Enumerable.Range(0, width * height).Select(_ => (byte)random.Next(palette.Length)).ToArray();
            byte[] bmp = BmpWriter.Assemble(width, height, 8, 1, palette, Codes(width, height, indices, 8, random));
            // "BA", the array's size, no next bitmap, the screen size; then the bitmap, its offsets counted from the array's start.
            byte[] array = [(byte)'B', (byte)'A', .. BitConverter.GetBytes(bmp.Length + 14), 0, 0, 0, 0, 0, 0, 0, 0, .. bmp];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(array.AsSpan(24), System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(array.AsSpan(24)) + 14);
            Assert.Equal(IntegrityVerdict.Intact, FileIntegrity.Check(array).Verdict);
            RgbaImage image = ImageDecoder.Decode(array, 1 << 20, "array.bmp", TestContext.Current.CancellationToken);
            for (int i = 0; i < indices.Length; i++)
                Assert.True(palette[indices[i]] == image.Pixels[i], $"{width} x {height}, pixel ({i % width}, {i / width}): {image.Pixels[i]}");
        }
    }

    [Theory]
    [InlineData(8)]
    [InlineData(4)]
    public void Rows_that_never_end_read_on_and_pixels_no_code_sets_are_palette_entry_0(int bits)
    {
        Rgba32[] palette = CorpusImages.Palette(16, 15);
        var random = new Random(bits + 1);
        for (int n = 0; n < 20; n++)
        {
            int width = random.Next(3, 20), height = random.Next(2, 7);
            byte[] indices = Enumerable.Range(0, width * height).Select(_ => (byte)random.Next(1, palette.Length)).ToArray();
            // Every row one absolute run of the width, no end-of-line code between rows; then end of bitmap.
            var codes = new List<byte>();
            for (int row = height - 1; row >= 0; row--) codes.AddRange(AbsoluteRun(indices.AsSpan(row * width, width), bits));
            codes.AddRange([0, 1]);
            byte[] endless = BmpWriter.Assemble(width, height, bits, bits == 8 ? 1 : 2, palette, [.. codes]);
            Assert.Equal(IntegrityVerdict.Intact, FileIntegrity.Check(endless).Verdict);
            RgbaImage image = ImageDecoder.Decode(endless, 1 << 20, "endless.bmp", TestContext.Current.CancellationToken);
            for (int i = 0; i < indices.Length; i++)
                Assert.True(palette[indices[i]] == image.Pixels[i], $"{width} x {height}, pixel ({i % width}, {i / width}): {image.Pixels[i]}");

            // Rows ended early: the rest of each row is entry 0 (the first 2 pixels given, then end of line).
            codes.Clear();
            for (int row = height - 1; row >= 0; row--) codes.AddRange([2, (byte)(bits == 8 ? indices[row * width] : indices[row * width] << 4 | indices[row * width]), 0, 0]);
            codes.AddRange([0, 1]);
            RgbaImage shortRows = ImageDecoder.Decode(BmpWriter.Assemble(width, height, bits, bits == 8 ? 1 : 2, palette, [.. codes]), 1 << 20, "short.bmp",
                TestContext.Current.CancellationToken);
            for (int i = 0; i < indices.Length; i++)
                Assert.True((i % width < 2 ? palette[indices[i / width * width]] : palette[0]) == shortRows.Pixels[i], $"short rows, pixel ({i % width}, {i / width}): {shortRows.Pixels[i]}");
        }
    }

    [Theory]
    [InlineData(8)]
    [InlineData(4)]
    public void An_end_of_bitmap_before_the_last_row_is_damaged(int bits)
    {
        // As PIL ("not enough image data") and ImageMagick ("unexpected end-of-file") read it: the rows after are missing.
        Rgba32[] palette = CorpusImages.Palette(16, 15);
        const int width = 9, height = 6;
        byte[] run = AbsoluteRun(Enumerable.Range(0, width).Select(i => (byte)(1 + i % 15)).ToArray(), bits);
        foreach (int rows in new[] { 1, height - 1, height })
        {
            var codes = new List<byte>();
            for (int row = 0; row < rows; row++) codes.AddRange([.. run, 0, 0]);
            if (rows == height) codes.RemoveRange(codes.Count - 2, 2); // the last row without its end of line
            codes.AddRange([0, 1]);
            IntegrityReport report = FileIntegrity.Check(BmpWriter.Assemble(width, height, bits, bits == 8 ? 1 : 2, palette, [.. codes]));
            if (rows == height) Assert.True(report.Verdict == IntegrityVerdict.Intact, $"{report.Verdict}: {report.Reason}");
            else Assert.Contains("before its last row", report.Reason, StringComparison.Ordinal);
        }
    }

    private static byte[] AbsoluteRun(ReadOnlySpan<byte> pixels, int bits)
    {
        var run = new List<byte> { 0, (byte)pixels.Length };
        for (int i = 0; i < pixels.Length; i++)
        {
            if (bits == 8) run.Add(pixels[i]);
            else if (i % 2 == 0) run.Add((byte)(pixels[i] << 4));
            else run[^1] |= pixels[i];
        }
        if ((run.Count & 1) == 1) run.Add(0);
        return [.. run];
    }

    /// <summary>Each row bottom-up: its pixels in runs, then something past its end, then end of line (end of bitmap after the top row).</summary>
    private static byte[] Codes(int width, int height, byte[] indices, int bits, Random random)
    {
        var data = new List<byte>();
        byte Pair(byte a, byte b) => bits == 8 ? a : (byte)(a << 4 | b);
        for (int row = height - 1; row >= 0; row--)
        {
            byte[] line = indices.AsSpan(row * width, width).ToArray();
            int x = 0, extra = random.Next(1, 4);
            while (x < width)
            {
                int left = width - x;
                bool last;
                if (left >= 3 && random.Next(2) == 0)
                {
                    // An absolute run, reaching past the end when it is the row's last one.
                    int count = Math.Min(left, random.Next(3, 9));
                    last = count == left && random.Next(2) == 0;
                    byte[] pixels = [.. line.AsSpan(x, count), .. (last ? Enumerable.Repeat((byte)1, extra) : [])];
                    data.AddRange([0, (byte)pixels.Length]);
                    var packed = new List<byte>();
                    for (int i = 0; i < pixels.Length; i++)
                    {
                        if (bits == 8) packed.Add(pixels[i]);
                        else if (i % 2 == 0) packed.Add((byte)(pixels[i] << 4));
                        else packed[^1] |= pixels[i];
                    }
                    if (packed.Count % 2 == 1) packed.Add(0);
                    data.AddRange(packed);
                    x += count;
                    if (last) extra = 0;
                    continue;
                }
                int run = 1;
                while (x + run < width && line[x + run] == line[x]) run++;
                last = x + run == width && random.Next(2) == 0;
                data.AddRange([(byte)(run + (last ? extra : 0)), Pair(line[x], line[x])]);
                if (last) extra = 0;
                x += run;
            }
            if (extra > 0) data.AddRange([(byte)extra, Pair(0, 0)]); // a run of its own past the end, as ImageMagick pads
            data.AddRange(row == 0 ? [0, 1] : [0, 0]);
        }
        return [.. data];
    }
}
