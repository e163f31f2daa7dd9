using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Tests.Corpus;

namespace KMeansPS.Imaging.Tests.Integrity;

/// <summary>
/// The PNG specification's chunk rules that decoders differ on (libpng refuses such files, ImageSharp 2.1 reads on): one
/// IHDR, one PLTE of whole 3-byte colours, no more colours than 256 or than the indices can name, and no critical chunk
/// the format does not define. Each case is a small palette (or RGB) PNG made by hand around one broken rule.
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
    [InlineData(3, 8, 4)]
    [InlineData(3, 2, 4)]
    [InlineData(3, 8, 256)]
    [InlineData(2, 8, 0)]
    [InlineData(2, 8, 256)]
    public void Files_that_keep_the_rules_are_intact(byte colorType, byte bitDepth, int paletteColors) =>
        Assert.Equal(IntegrityVerdict.Intact, Check(Chunks(colorType, bitDepth, paletteColors)).Verdict);

    [Theory]
    [InlineData(3, 8, 4, 4, "not a whole number of 3-byte colours")]   // a palette of 4 bytes
    [InlineData(3, 8, 4, 0, "not a whole number of 3-byte colours")]   // an empty palette
    [InlineData(3, 8, 300, -1, "more than 8-bit indices can name (256)")]
    [InlineData(3, 2, 5, -1, "more than 2-bit indices can name (4)")]
    [InlineData(2, 8, 300, -1, "more than 256")]                        // an RGB image's suggested palette
    public void A_palette_that_breaks_the_rules_is_damaged(byte colorType, byte bitDepth, int paletteColors, int paletteBytes, string reason)
    {
        var chunks = Chunks(colorType, bitDepth, paletteColors);
        if (paletteBytes >= 0) chunks[1] = ("PLTE", Palette(paletteColors)[..paletteBytes]);
        IntegrityReport report = Check(chunks);
        Assert.Equal(IntegrityVerdict.Damaged, report.Verdict);
        Assert.Contains(reason, report.Reason);
    }

    [Theory]
    [InlineData("IHDR", "a second IHDR")]
    [InlineData("PLTE", "a second PLTE")]
    public void A_second_header_or_palette_is_damaged(string type, string reason)
    {
        var chunks = Chunks(3, 8, 4);
        chunks.Insert(2, type == "IHDR" ? ("IHDR", PngWriter.Header(4, 2, 8, 3)) : ("PLTE", Palette(4)));
        IntegrityReport report = Check(chunks);
        Assert.Equal(IntegrityVerdict.Damaged, report.Verdict);
        Assert.Contains(reason, report.Reason);
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
