using System.Buffers.Binary;
using KMeansPS.Imaging.Metadata;
using KMeansPS.Imaging.Png;
using KMeansPS.Imaging.Provenance;
using KMeansPS.Imaging.Quantization;
using KMeansPS.Imaging.Tests.Png;

namespace KMeansPS.Imaging.Tests.Metadata;

public class PngMetadataCarryTests
{
    // sRGB's white point and primaries, as 100,000ths (libpng refuses chromaticities outside 0..1).
    private static readonly byte[] SrgbChromaticities = new[] { 31270, 32900, 64000, 33000, 30000, 60000, 15000, 6000 }
        .SelectMany(v => new[] { (byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v }).ToArray();

    private static readonly OutputMarker Marker = new("0.1.0", "sha256:00112233445566778899AABBCCDDEEFF", 7, "k=8,format=Png");

    // What the output records: the marker given, with the hash of the source bytes the job decoded.
    private static OutputMarker Written(byte[] source) => Marker with { SourceHash = OutputMarker.HashBytes(source) };

    /// <summary>Compresses <paramref name="source"/> through the whole job and returns the output's chunks.</summary>
    internal static List<PngChunk> Compress(byte[] source, bool strip = false, string name = "source.png", ImageOutputFormat format = ImageOutputFormat.Png)
    {
        using var folder = new TempFolder();
        string input = folder.File(name), output = folder.File("out" + (format == ImageOutputFormat.Gif ? ".gif" : ".png"));
        File.WriteAllBytes(input, source);
        ImageQuantizer.Quantize(input, output, new QuantizeOptions { K = 8, Seed = 1, Marker = Marker, Strip = strip, OutputFormat = format },
            cancellationToken: TestContext.Current.CancellationToken);
        return PngChunk.Parse(File.ReadAllBytes(output));
    }

    private static byte[] AdobeLikePng(out byte[] profile, bool withSrgb = false)
    {
        profile = MetadataSamples.IccProfile("Adobe RGB (1998)", padding: 3000);
        var before = new List<byte[]>
        {
            PngFiles.Chunk("tEXt", MetadataSamples.Text("KMeansPS", "v=1;tool=0.0.1;source=sha256:FF;seed=1;settings=k=2")),
            PngFiles.Chunk("iCCP", MetadataSamples.Iccp("Adobe RGB (1998)", profile)),
            PngFiles.Chunk("gAMA", [0, 0, 0x86, 0xA0]),
            PngFiles.Chunk("cHRM", SrgbChromaticities),
            PngFiles.Chunk("pHYs", MetadataSamples.Phys(11811, 11811, 1)),
            PngFiles.Chunk("tEXt", MetadataSamples.Text("Title", "A test image")),
        };
        if (withSrgb) before.Add(PngFiles.Chunk("sRGB", [0]));
        byte[] exif = MetadataSamples.Exif(littleEndian: false, orientation: 3);
        return MetadataSamples.Png(24, 16, before,
            after: [PngFiles.Chunk("zTXt", [.. MetadataSamples.Text("Comment", ""), 0, .. PngFiles.Zlib("made late"u8.ToArray())]), PngFiles.Chunk("eXIf", exif)]);
    }

    [Fact]
    public void Colour_density_text_and_exif_are_carried_in_the_order_the_PNG_specification_gives()
    {
        byte[] source = AdobeLikePng(out _);
        List<PngChunk> chunks = Compress(source);
        Assert.Equal(["IHDR", "tEXt", "iCCP", "gAMA", "cHRM", "pHYs", "PLTE", "tEXt", "zTXt", "eXIf", "IDAT", "IEND"], chunks.Select(c => c.Type));
        foreach (PngChunk chunk in chunks)
            Assert.Equal(Crc32.Compute([.. System.Text.Encoding.ASCII.GetBytes(chunk.Type), .. chunk.Data]), chunk.Crc);
        // The first text chunk is the new marker; the source's old marker is gone, its title kept.
        Assert.Equal(Written(source).ToPngTextData(), chunks[1].Data);
        Assert.Equal(MetadataSamples.Text("Title", "A test image"), chunks[7].Data);
        Assert.Single(chunks, c => c.Type == "tEXt" && c.Data.AsSpan().StartsWith("KMeansPS\0"u8));
        Assert.Equal(MetadataSamples.Phys(11811, 11811, 1), chunks.Single(c => c.Type == "pHYs").Data);
        Assert.Equal([0, 0, 0x86, 0xA0], chunks.Single(c => c.Type == "gAMA").Data);
        // A PNG's eXIf is carried as it was: its pixels were not turned, so its orientation still holds.
        Assert.Equal(MetadataSamples.Exif(littleEndian: false, orientation: 3), chunks.Single(c => c.Type == "eXIf").Data);
        Assert.Equal(Written(source), OutputMarkerReader.Read(new MemoryStream(Serialize(chunks)))!.Marker);
    }

    [Fact]
    public void The_ICC_profile_round_trips_under_its_name()
    {
        List<PngChunk> chunks = Compress(AdobeLikePng(out byte[] profile));
        (string name, byte[] carried) = MetadataSamples.ReadIccp(chunks.Single(c => c.Type == "iCCP").Data);
        Assert.Equal("Adobe RGB (1998)", name);
        Assert.Equal(profile, carried);
    }

    [Fact]
    public void ICCP_and_sRGB_are_never_both_written_and_sRGB_alone_is_kept()
    {
        List<PngChunk> both = Compress(AdobeLikePng(out _, withSrgb: true));
        Assert.Contains(both, c => c.Type == "iCCP");
        Assert.DoesNotContain(both, c => c.Type == "sRGB");

        List<PngChunk> srgb = Compress(MetadataSamples.Png(20, 12, [PngFiles.Chunk("sRGB", [1]), PngFiles.Chunk("gAMA", [0, 0, 0xB1, 0x8F])]));
        Assert.Equal(["IHDR", "tEXt", "sRGB", "gAMA", "PLTE", "IDAT", "IEND"], srgb.Select(c => c.Type));
        Assert.Equal([1], srgb[2].Data);
    }

    [Fact]
    public void Strip_keeps_the_colour_management_and_drops_density_text_and_exif()
    {
        byte[] source = AdobeLikePng(out byte[] profile);
        List<PngChunk> chunks = Compress(source, strip: true);
        Assert.Equal(["IHDR", "tEXt", "iCCP", "gAMA", "cHRM", "PLTE", "IDAT", "IEND"], chunks.Select(c => c.Type));
        Assert.Equal(profile, MetadataSamples.ReadIccp(chunks[2].Data).Profile);
        Assert.Equal(Written(source).ToPngTextData(), chunks[1].Data);
    }

    [Fact]
    public void A_GIF_output_drops_a_non_sRGB_profile_with_a_warning_and_an_sRGB_one_silently()
    {
        using var folder = new TempFolder();
        CancellationToken token = TestContext.Current.CancellationToken;
        string adobe = folder.File("adobe.png"), srgb = folder.File("srgb.png"), named = folder.File("named.png");
        File.WriteAllBytes(adobe, AdobeLikePng(out _));
        File.WriteAllBytes(srgb, MetadataSamples.Png(24, 16, [PngFiles.Chunk("iCCP", MetadataSamples.Iccp("Built-in display", MatrixProfiles.SrgbV2(0)))]));
        // sRGB by its name only (its content is another colour space's): judged by content, so dropped with a warning.
        File.WriteAllBytes(named, MetadataSamples.Png(24, 16, [PngFiles.Chunk("iCCP", MetadataSamples.Iccp("sRGB IEC61966-2.1", MetadataSamples.IccProfile("sRGB IEC61966-2.1")))]));
        var options = new QuantizeOptions { K = 8, Seed = 1, OutputFormat = ImageOutputFormat.Gif };
        QuantizeResult warned = ImageQuantizer.Quantize(adobe, folder.File("adobe.gif"), options, cancellationToken: token);
        QuantizeResult quiet = ImageQuantizer.Quantize(srgb, folder.File("srgb.gif"), options, cancellationToken: token);
        QuantizeResult misnamed = ImageQuantizer.Quantize(named, folder.File("named.gif"), options, cancellationToken: token);
        Assert.Contains("ICC colour profile ('Adobe RGB (1998)') was dropped", warned.Warning, StringComparison.Ordinal);
        Assert.Null(quiet.Warning);
        Assert.Contains("ICC colour profile ('sRGB IEC61966-2.1') was dropped", misnamed.Warning, StringComparison.Ordinal);
        // The same source to PNG: no warning, the profile is carried.
        QuantizeResult png = ImageQuantizer.Quantize(adobe, folder.File("adobe.png.png"), new QuantizeOptions { K = 8, Seed = 1 }, cancellationToken: token);
        Assert.Null(png.Warning);
    }

    private static byte[] Serialize(List<PngChunk> chunks) =>
        PngFiles.Concat(chunks.Select(c => PngFiles.Chunk(c.Type, c.Data)));
}
