using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Tests.Corpus;

namespace KMeansPS.Imaging.Tests.Integrity;

/// <summary>
/// The PNG specification's chunk rules that libpng refuses and ImageSharp 2.1 reads past: one IHDR, one PLTE, a palette
/// image's PLTE of 1 to 256 whole 3-byte colours, and no critical chunk the format does not define; and what libpng lets
/// pass, which passes here too (a palette image's PLTE longer than its indices can name, a bad PLTE in a truecolour
/// image). Each case is a small palette (or RGB) PNG made by hand around one rule.
/// </summary>
public class PngChunkRuleTests
{
    private static byte[] Palette(int colors)
    {
        var data = new byte[colors * 3];
        for (int i = 0; i < data.Length; i++) data[i] = (byte)(i * 37);
        return data;
    }

    /// <summary>A 4 x 2 image: palette indices 0-3 at <paramref name="bitDepth"/> (colour type 3), or RGB (type 2).</summary>
    private static List<(string Type, byte[] Data)> Chunks(byte colorType, byte bitDepth, int paletteColors)
    {
        int rowBytes = colorType == 3 ? (4 * bitDepth + 7) / 8 : 12;
        var rows = new byte[2 * (1 + rowBytes)];
        for (int r = 0; r < 2; r++)
            for (int b = 1; b <= rowBytes; b++) rows[r * (1 + rowBytes) + b] = colorType == 3 ? (bitDepth == 8 ? (byte)(b % 4) : (byte)0x1B) : (byte)(b * 20);
        var chunks = new List<(string Type, byte[] Data)> { ("IHDR", PngWriter.Header(4, 2, bitDepth, colorType)) };
        if (paletteColors > 0) chunks.Add(("PLTE", Palette(paletteColors)));
        chunks.Add(("IDAT", PngWriter.Zlib(rows)));
        chunks.Add(("IEND", []));
        return chunks;
    }

    private static IntegrityReport Check(IEnumerable<(string Type, byte[] Data)> chunks) => FileIntegrity.Check(PngWriter.Assemble(chunks));

    [Theory]
    [InlineData(3, 8, 4, -1)]
    [InlineData(3, 2, 4, -1)]
    [InlineData(3, 8, 256, -1)]
    [InlineData(3, 2, 5, -1)]   // more colours than 2-bit indices can name: libpng cuts the palette down
    [InlineData(2, 8, 0, -1)]
    [InlineData(2, 8, 256, -1)]
    [InlineData(2, 8, 300, -1)] // a truecolour image's palette does not make its pixels: libpng ignores a bad one
    [InlineData(2, 8, 4, 4)]
    public void Files_that_keep_the_rules_or_that_libpng_lets_pass_are_intact(byte colorType, byte bitDepth, int paletteColors, int paletteBytes)
    {
        var chunks = Chunks(colorType, bitDepth, paletteColors);
        if (paletteBytes >= 0) chunks[1] = ("PLTE", Palette(paletteColors)[..paletteBytes]);
        Assert.Equal(IntegrityVerdict.Intact, Check(chunks).Verdict);
    }

    [Theory]
    [InlineData(4, 4, "not a whole number of 3-byte colours")]   // a palette of 4 bytes
    [InlineData(4, 0, "not a whole number of 3-byte colours")]   // an empty palette
    [InlineData(300, -1, "holds 300 colours, more than 256")]
    public void A_palette_images_palette_that_breaks_the_rules_is_damaged(int paletteColors, int paletteBytes, string reason)
    {
        var chunks = Chunks(3, 8, paletteColors);
        if (paletteBytes >= 0) chunks[1] = ("PLTE", Palette(paletteColors)[..paletteBytes]);
        IntegrityReport report = Check(chunks);
        Assert.Equal(IntegrityVerdict.Damaged, report.Verdict);
        Assert.Contains(reason, report.Reason);
    }

    [Theory]
    [InlineData(3, "IHDR", "a second IHDR")]
    [InlineData(3, "PLTE", "a second PLTE")]
    [InlineData(2, "PLTE", "a second PLTE")]
    public void A_second_header_or_palette_is_damaged(byte colorType, string type, string reason)
    {
        var chunks = Chunks(colorType, 8, 4);
        chunks.Insert(2, type == "IHDR" ? ("IHDR", PngWriter.Header(4, 2, 8, colorType)) : ("PLTE", Palette(4)));
        IntegrityReport report = Check(chunks);
        Assert.Equal(IntegrityVerdict.Damaged, report.Verdict);
        Assert.Contains(reason, report.Reason);
    }

    /// <summary>A file whose end after whole pixels was overwritten with zeros (as a crash can leave it): damage, not a "critical chunk".</summary>
    [Fact]
    public void A_zero_filled_tail_is_damage_and_not_taken_for_a_critical_chunk()
    {
        byte[] whole = PngWriter.Assemble(Chunks(3, 8, 4));
        byte[] zeroed = [.. whole.AsSpan(0, whole.Length - 12), .. new byte[64]];
        IntegrityReport report = FileIntegrity.Check(zeroed);
        Assert.Equal(IntegrityVerdict.Damaged, report.Verdict);
        Assert.DoesNotContain("critical", report.Reason);
    }

    [Fact]
    public void A_critical_chunk_the_format_does_not_define_is_unsupported_and_an_ancillary_one_is_not()
    {
        var critical = Chunks(3, 8, 4);
        critical.Insert(2, ("ABCD", [1, 2, 3]));
        IntegrityReport report = Check(critical);
        Assert.Equal(IntegrityVerdict.Unsupported, report.Verdict);
        Assert.Contains("'ABCD'", report.Reason);

        var ancillary = Chunks(3, 8, 4);
        ancillary.Insert(2, ("abCD", [1, 2, 3]));
        Assert.Equal(IntegrityVerdict.Intact, Check(ancillary).Verdict);
    }
}
