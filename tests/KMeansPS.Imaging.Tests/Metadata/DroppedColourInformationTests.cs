using KMeansPS.Imaging.Metadata;
using KMeansPS.Imaging.Quantization;
using KMeansPS.Imaging.Tests.Png;

namespace KMeansPS.Imaging.Tests.Metadata;

/// <summary>
/// Colour information an output cannot carry is dropped with a warning: an ICC profile of another colour space than
/// RGB (a grey or CMYK source's; a palette PNG may carry only an RGB one, and libpng ignores any other), and for a GIF
/// output any colour chunk that is not sRGB's (gAMA or cHRM without an sRGB chunk, cICP), as a non-sRGB profile was.
/// </summary>
public class DroppedColourInformationTests
{
    private static byte[] Profile(string space)
    {
        byte[] profile = MetadataSamples.IccProfile("Grey 2.2");
        System.Text.Encoding.ASCII.GetBytes(space.PadRight(4)).CopyTo(profile, 16);
        return profile;
    }

    private static (QuantizeResult Result, List<PngChunk> Chunks) Compress(byte[] source, ImageOutputFormat format = ImageOutputFormat.Png)
    {
        using var folder = new TempFolder();
        string input = folder.File("source.png"), output = folder.File("out" + (format == ImageOutputFormat.Gif ? ".gif" : ".png"));
        File.WriteAllBytes(input, source);
        QuantizeResult result = ImageQuantizer.Quantize(input, output, new QuantizeOptions { K = 8, Seed = 1, OutputFormat = format },
            cancellationToken: TestContext.Current.CancellationToken);
        return (result, format == ImageOutputFormat.Png ? PngChunk.Parse(File.ReadAllBytes(output)) : []);
    }

    [Theory]
    [InlineData("GRAY")]
    [InlineData("CMYK")]
    [InlineData("Lab")]
    public void A_profile_of_another_colour_space_than_RGB_is_dropped_with_a_warning(string space)
    {
        byte[] source = MetadataSamples.Png(24, 16, [PngFiles.Chunk("iCCP", MetadataSamples.Iccp("Grey 2.2", Profile(space)))]);
        (QuantizeResult result, List<PngChunk> chunks) = Compress(source);
        Assert.DoesNotContain(chunks, c => c.Type == "iCCP");
        Assert.Contains($"a {space} profile", result.Warning, StringComparison.Ordinal);
        Assert.Contains("'Grey 2.2'", result.Warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("link", "a device-link profile")]
    [InlineData("abst", "an abstract profile")]
    [InlineData("nmcl", "a named-colour profile")]
    public void An_RGB_profile_of_a_class_libpng_refuses_is_dropped_with_a_warning(string profileClass, string said)
    {
        byte[] profile = Profile("RGB");
        System.Text.Encoding.ASCII.GetBytes(profileClass).CopyTo(profile, 12);
        (QuantizeResult result, List<PngChunk> chunks) = Compress(MetadataSamples.Png(24, 16, [PngFiles.Chunk("iCCP", MetadataSamples.Iccp("Odd", profile))]));
        Assert.DoesNotContain(chunks, c => c.Type == "iCCP");
        Assert.Contains(said, result.Warning, StringComparison.Ordinal);
    }

    [Fact]
    public void An_RGB_profile_is_carried_without_a_word()
    {
        byte[] source = MetadataSamples.Png(24, 16, [PngFiles.Chunk("iCCP", MetadataSamples.Iccp("Wide RGB", Profile("RGB")))]);
        (QuantizeResult result, List<PngChunk> chunks) = Compress(source);
        Assert.Contains(chunks, c => c.Type == "iCCP");
        Assert.Null(result.Warning);
    }

    [Fact]
    public void A_GIF_output_warns_of_gamma_chromaticities_and_cICP_but_not_of_them_beside_an_sRGB_chunk()
    {
        byte[] gama = PngFiles.Chunk("gAMA", [0, 1, 0x86, 0xA0]), cicp = PngFiles.Chunk("cICP", [9, 16, 0, 1]), srgb = PngFiles.Chunk("sRGB", [0]);
        Assert.Contains("(gAMA)", Compress(MetadataSamples.Png(24, 16, [gama]), ImageOutputFormat.Gif).Result.Warning, StringComparison.Ordinal);
        Assert.Contains("(cICP)", Compress(MetadataSamples.Png(24, 16, [cicp]), ImageOutputFormat.Gif).Result.Warning, StringComparison.Ordinal);
        Assert.Null(Compress(MetadataSamples.Png(24, 16, [srgb, gama]), ImageOutputFormat.Gif).Result.Warning);
        Assert.Null(Compress(MetadataSamples.Png(24, 16, [gama])).Result.Warning); // a PNG output carries it
    }
}
