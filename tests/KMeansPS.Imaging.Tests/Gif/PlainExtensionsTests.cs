using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Tests.Corpus;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Gif;

/// <summary>
/// Extensions ImageSharp 2.1 misreads: of an extension it does not know it skips only the first sub-block, so an image
/// hidden in the next ones was decoded in place of the real frame; a graphic control block of other than four bytes
/// failed with "No data". giflib, PIL and ImageMagick read past every sub-block and take the graphic control block's
/// first four bytes. Seeded frames, every kind of extension.
/// </summary>
public class PlainExtensionsTests
{
    private static readonly Rgba32[] Palette = [new(200, 30, 30), new(30, 200, 30), new(30, 30, 200), new(220, 220, 40)];
    private const int Side = 6;

    private static byte[] Indices(Random random) => Enumerable.Range(0, Side * Side).Select(_ => (byte)random.Next(4)).ToArray();

    private static int BlocksStart => 13 + 3 * Palette.Length;

    /// <summary>The GIF with <paramref name="extension"/> put before its only image.</summary>
    private static byte[] WithExtension(byte[] gif, byte[] extension) => [.. gif[..BlocksStart], .. extension, .. gif[BlocksStart..]];

    private static byte[] SubBlocks(params byte[][] blocks) => [.. blocks.SelectMany(b => (byte[])[(byte)b.Length, .. b]), 0];

    private static Rgba32[] Decode(byte[] gif, string label)
    {
        IntegrityReport report = FileIntegrity.Check(gif);
        Assert.True(report.Verdict == IntegrityVerdict.Intact, $"{label}: {report.Verdict} {report.Reason}");
        return ImageDecoder.Decode(gif, 1 << 20, "x.gif", TestContext.Current.CancellationToken).Pixels.ToArray();
    }

    [Fact]
    public void An_image_hidden_in_a_later_sub_block_of_any_extension_is_passed_over()
    {
        var random = new Random(1207);
        for (int n = 0; n < 12; n++)
        {
            byte[] real = GifWriter.Write(Side, Side, Palette, [new GifWriter.Frame(0, 0, Side, Side, Indices(random))]);
            byte[] decoy = GifWriter.Write(Side, Side, Palette, [new GifWriter.Frame(0, 0, Side, Side, Indices(random))], trailer: false);
            byte[] hidden = decoy[BlocksStart..]; // an image descriptor and its data, as a sub-block's bytes
            Assert.True(hidden.Length <= 255);
            Rgba32[] expected = Decode(real, "the plain file");
            foreach ((string kind, byte[] extension) in new[]
            {
                ("an unknown extension", (byte[])[0x21, 0x77, .. SubBlocks([1, 2, 3], hidden)]),
                ("NETSCAPE2.0 with a block after its loop count", [0x21, 0xFF, .. SubBlocks("NETSCAPE2.0"u8.ToArray(), [1, 0, 0], hidden)]),
                ("an application extension of another name", [0x21, 0xFF, .. SubBlocks("XMP DataXMP"u8.ToArray(), hidden)]),
                ("a comment", [0x21, 0xFE, .. SubBlocks([65, 66], hidden)]),
                ("a plain-text extension", [0x21, 0x01, .. SubBlocks(new byte[12], hidden)]),
            })
            {
                Rgba32[] decoded = Decode(WithExtension(real, extension), kind);
                Assert.True(expected.AsSpan().SequenceEqual(decoded), $"frame {n}, {kind}: not the real frame's pixels");
            }
        }
    }

    [Fact]
    public void A_stray_zero_byte_between_blocks_is_stepped_over()
    {
        // ImageSharp took it for the end of the file ("no frame"); giflib, PIL and ImageMagick step over it.
        var random = new Random(9);
        byte[] gif = GifWriter.Write(Side, Side, Palette, [new GifWriter.Frame(0, 0, Side, Side, Indices(random))]);
        Rgba32[] expected = Decode(gif, "the plain file");
        Assert.Equal(expected, Decode(WithExtension(gif, [0]), "a zero before the image"));
        Assert.Equal(expected, Decode(WithExtension(gif, [0x21, 0xF9, 0, 0]), "an empty graphic control extension and a zero"));
        Assert.Equal(expected, Decode(WithExtension(gif, [0x21, 0xFE, 1, 65, 0, 0, 0]), "a comment, then two zeros"));
    }

    [Fact]
    public void A_graphic_control_block_longer_than_four_bytes_is_read_by_its_first_four()
    {
        var random = new Random(77);
        byte[] indices = Indices(random);
        byte[] gif = GifWriter.Write(Side, Side, Palette, [new GifWriter.Frame(0, 0, Side, Side, indices)]);
        // Transparency on, index 2 transparent: four bytes as the format has them, then eight with four more after.
        Rgba32[] canonical = Decode(WithExtension(gif, [0x21, 0xF9, 4, 1, 0, 0, 2, 0]), "a 4-byte block");
        Rgba32[] longer = Decode(WithExtension(gif, [0x21, 0xF9, 8, 1, 0, 0, 2, 9, 9, 9, 9, 0]), "an 8-byte block");
        Assert.Equal(canonical, longer);
        for (int i = 0; i < indices.Length; i++) Assert.Equal(indices[i] == 2 ? (byte)0 : (byte)255, longer[i].A);
        // Two before one image: the first counts, as giflib, PIL, ImageMagick and netpbm take it (ImageSharp took the last).
        Rgba32[] twice = Decode(WithExtension(gif, [0x21, 0xF9, 4, 1, 0, 0, 2, 0, 0x21, 0xF9, 4, 0, 0, 0, 0, 0]), "two blocks");
        Assert.Equal(canonical, twice);
        // Shorter than four bytes says nothing (as PIL reads it): the pixels of the file without it.
        Assert.Equal(Decode(gif, "no block"), Decode(WithExtension(gif, [0x21, 0xF9, 3, 1, 0, 0, 0]), "a 3-byte block"));
    }
}
