using System.Buffers.Binary;
using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Tests.Corpus;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Integrity;

/// <summary>
/// BMP header fields the scanner judges as ImageMagick and netpbm do: a colour-plane count other than 1 is damage
/// (ImageSharp read such files), and an OS/2 1.x bitmap (12-byte header, three-byte colour entries) whose pixel names an
/// entry beyond its table gets the message in BMP's terms, as longer headers do (ImageSharp: "not a valid format").
/// </summary>
public sealed class BmpHeaderFieldTests
{
    private static readonly Rgba32[] Palette = [new(10, 20, 30), new(200, 40, 40), new(40, 200, 40), new(40, 40, 200)];

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(65535)]
    public void A_plane_count_other_than_one_is_damage(int planes)
    {
        byte[] file = BmpWriter.Assemble(4, 2, 8, 0, Palette, new byte[8]);
        Assert.Equal(IntegrityVerdict.Intact, FileIntegrity.Check(file).Verdict);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(14 + 12), (ushort)planes);
        IntegrityReport report = FileIntegrity.Check(file);
        Assert.Equal(IntegrityVerdict.Damaged, report.Verdict);
        Assert.Contains($"gives {planes} colour planes", report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_OS2_pixel_beyond_the_colour_table_is_named()
    {
        byte[] indices = [0, 1, 2, 3, 3, 2, 1, 0];
        Assert.Equal(IntegrityVerdict.Intact, FileIntegrity.Check(BmpWriter.Os2(4, 2, 8, Palette, indices)).Verdict);
        indices[6] = 15; // (2, 1): the bottom row, stored first
        IntegrityReport report = FileIntegrity.Check(BmpWriter.Os2(4, 2, 8, Palette, indices));
        Assert.Equal(IntegrityVerdict.Damaged, report.Verdict);
        Assert.Contains("pixel at (2, 1) uses colour index 15, beyond its colour table of 4 colours", report.Reason, StringComparison.Ordinal);
    }
}
