using KMeansPS.Imaging.Metadata;
using KMeansPS.Imaging.Quantization;
using KMeansPS.Imaging.Tests.Jpeg;
using KMeansPS.Imaging.Tests.Png;
using static KMeansPS.Imaging.Tests.Metadata.MatrixProfiles;

namespace KMeansPS.Imaging.Tests.Metadata;

/// <summary>A source's ICC profile that is sRGB's becomes PNG's sRGB chunk; every other profile is carried as it was.</summary>
public class SrgbProfileCarryTests
{
    private static byte[] PngWithProfile(byte[] profile, string name, params byte[][] more) =>
        MetadataSamples.Png(24, 16, [PngFiles.Chunk("iCCP", MetadataSamples.Iccp(name, profile)), .. more]);

    [Theory]
    [InlineData(0u, 0)]
    [InlineData(2u, 2)]
    [InlineData(0x0100_0000u, 0)]
    public void A_PNGs_sRGB_profile_becomes_the_sRGB_chunk_with_its_rendering_intent(uint field, byte intent)
    {
        byte[] source = PngWithProfile(SrgbV2(field), "sRGB IEC61966-2.1", PngFiles.Chunk("gAMA", [0, 0, 0xB1, 0x8F]), PngFiles.Chunk("sRGB", [3]));
        List<PngChunk> chunks = PngMetadataCarryTests.Compress(source);
        Assert.Equal(["IHDR", "tEXt", "sRGB", "gAMA", "PLTE", "IDAT", "IEND"], chunks.Select(c => c.Type));
        Assert.Equal([intent], chunks[2].Data);
        Assert.Equal([0, 0, 0xB1, 0x8F], chunks[3].Data);
    }

    [Fact]
    public void A_v4_sRGB_profile_under_another_name_becomes_the_sRGB_chunk_and_Strip_keeps_it()
    {
        byte[] source = PngWithProfile(SrgbV4(intent: 1), "Built-in display", PngFiles.Chunk("pHYs", MetadataSamples.Phys(2835, 2835, 1)));
        List<PngChunk> chunks = PngMetadataCarryTests.Compress(source, strip: true);
        Assert.Equal(["IHDR", "tEXt", "sRGB", "PLTE", "IDAT", "IEND"], chunks.Select(c => c.Type));
        Assert.Equal([1], chunks[2].Data);
    }

    public static TheoryData<string> Carried => new("display-p3", "gamma-2.2", "near-srgb-d50-white", "named-srgb-only");

    [Theory]
    [MemberData(nameof(Carried))]
    public void Any_other_profile_is_carried_byte_for_byte_under_its_name(string kind)
    {
        byte[] profile = kind switch
        {
            "display-p3" => Build(D65, DisplayP3Colourants, [TableCurve(SrgbDecode)], "sRGB IEC61966-2.1"),
            "gamma-2.2" => Build(D65, SrgbColourants, [GammaCurve(2.2)], "sRGB IEC61966-2.1"),
            "near-srgb-d50-white" => Build(D50, SrgbColourants, [TableCurve(SrgbDecode)], "sRGB IEC61966-2.1"),
            _ => MetadataSamples.IccProfile("sRGB IEC61966-2.1"),
        };
        List<PngChunk> chunks = PngMetadataCarryTests.Compress(PngWithProfile(profile, "sRGB IEC61966-2.1", PngFiles.Chunk("sRGB", [0])));
        Assert.Equal(["IHDR", "tEXt", "iCCP", "PLTE", "IDAT", "IEND"], chunks.Select(c => c.Type));
        (string name, byte[] carried) = MetadataSamples.ReadIccp(chunks[2].Data);
        Assert.Equal("sRGB IEC61966-2.1", name);
        Assert.Equal(profile, carried);
    }

    [Theory]
    [InlineData("cut short", "it states")]
    [InlineData("tag outside", "a tag outside the profile")]
    [InlineData("tag count", "tags, more than its")]
    [InlineData("signature", "no 'acsp' signature")]
    [InlineData("connection space", "a connection space other than XYZ or Lab")]
    [InlineData("intent", "an invalid rendering intent")]
    public void A_damaged_profile_that_libpng_would_ignore_is_dropped_with_a_warning(string damage, string said)
    {
        byte[] profile = Build(D65, DisplayP3Colourants, [TableCurve(SrgbDecode)], "Display P3");
        switch (damage)
        {
            case "cut short": profile = profile[..^300]; break;
            case "tag outside": System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(profile.AsSpan(132 + 4), (uint)profile.Length - 4); break;
            case "tag count": System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(profile.AsSpan(128), 0xFFFF); break;
            case "signature": profile[36] = (byte)'x'; break;
            case "connection space": "RGB "u8.CopyTo(profile.AsSpan(20)); break;
            default: System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(profile.AsSpan(64), 0x10000); break;
        }
        using var folder = new TempFolder();
        string source = folder.File("damaged.png");
        File.WriteAllBytes(source, PngWithProfile(profile, "Display P3"));
        QuantizeResult result = ImageQuantizer.Quantize(source, folder.File("out.png"), new QuantizeOptions { K = 8, Seed = 1 },
            cancellationToken: TestContext.Current.CancellationToken);
        Assert.DoesNotContain(PngChunk.Parse(File.ReadAllBytes(folder.File("out.png"))), c => c.Type == "iCCP");
        Assert.Contains("ICC colour profile ('Display P3') was dropped: it is damaged (", result.Warning, StringComparison.Ordinal);
        Assert.Contains(said, result.Warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Padding_past_the_size_a_profile_states_is_cut_off_and_the_rest_carried()
    {
        byte[] profile = Build(D65, DisplayP3Colourants, [TableCurve(SrgbDecode)], "Display P3");
        List<PngChunk> chunks = PngMetadataCarryTests.Compress(PngWithProfile([.. profile, 0, 0, 0, 0, 0, 0, 0, 0], "Display P3"));
        Assert.Equal(profile, MetadataSamples.ReadIccp(chunks.Single(c => c.Type == "iCCP").Data).Profile);
    }

    [Fact]
    public void A_damaged_iCCP_of_an_sRGB_profile_is_dropped_as_before_and_the_sources_sRGB_chunk_kept()
    {
        byte[] data = MetadataSamples.Iccp("sRGB IEC61966-2.1", SrgbV2());
        data[^3] ^= 0x55; // the zlib stream no longer checks out
        byte[] source = MetadataSamples.Png(24, 16, [PngFiles.Chunk("iCCP", data), PngFiles.Chunk("sRGB", [2])]);
        List<PngChunk> chunks = PngMetadataCarryTests.Compress(source);
        Assert.Equal(["IHDR", "tEXt", "sRGB", "PLTE", "IDAT", "IEND"], chunks.Select(c => c.Type));
        Assert.Equal([2], chunks[2].Data);
    }

    [Fact]
    public void A_JPEGs_sRGB_profile_becomes_the_sRGB_chunk_and_another_stays_a_profile()
    {
        byte[] srgb = JpegMetadataCarryTests.Jpeg(20, 12, JpegMetadataCarryTests.IccSegments(SrgbV2(intent: 1), 2));
        List<PngChunk> chunks = PngMetadataCarryTests.Compress(srgb, name: "srgb.jpg");
        Assert.Equal(["IHDR", "tEXt", "sRGB", "PLTE", "IDAT", "IEND"], chunks.Select(c => c.Type));
        Assert.Equal([1], chunks[2].Data);

        byte[] p3Profile = Build(D65, DisplayP3Colourants, [SrgbParametric()], "Display P3", version: 4);
        byte[] p3 = JpegMetadataCarryTests.Jpeg(20, 12, JpegMetadataCarryTests.IccSegments(p3Profile, 1));
        List<PngChunk> carried = PngMetadataCarryTests.Compress(p3, name: "p3.jpg");
        Assert.Equal(["IHDR", "tEXt", "iCCP", "PLTE", "IDAT", "IEND"], carried.Select(c => c.Type));
        Assert.Equal(p3Profile, MetadataSamples.ReadIccp(carried[2].Data).Profile);
    }

    [Fact]
    public void The_collected_metadata_holds_the_sRGB_chunk_instead_of_the_profile_for_both_formats()
    {
        byte[] profile = SrgbV2();
        CarriedMetadata png = SourceMetadata.Collect(PngWithProfile(profile, "x", PngFiles.Chunk("cICP", [1, 13, 0, 1])));
        Assert.Null(png.IccProfile);
        Assert.Equal(["cICP", "sRGB"], png.ColorChunks.Select(c => c.Type));
        CarriedMetadata jpeg = SourceMetadata.Collect(JpegMetadataCarryTests.Jpeg(16, 16, JpegMetadataCarryTests.IccSegments(profile, 1)));
        Assert.Null(jpeg.IccProfile);
        Assert.Equal([0], jpeg.ColorChunks.Single(c => c.Type == "sRGB").Data);
        // A GIF output, which carries no colour information, has nothing to warn about.
        Assert.Null(jpeg.DroppedForGif());
    }

    [Fact]
    public void The_sRGB_chunk_makes_the_output_smaller_than_the_profile_did()
    {
        byte[] profile = SrgbV2();
        List<PngChunk> converted = PngMetadataCarryTests.Compress(PngWithProfile(profile, "sRGB IEC61966-2.1"));
        List<PngChunk> carried = PngMetadataCarryTests.Compress(PngWithProfile(Build(D65, DisplayP3Colourants, [TableCurve(SrgbDecode)]), "Display P3"));
        int Size(List<PngChunk> chunks) => chunks.Sum(c => 12 + c.Data.Length);
        Assert.True(Size(converted) + 1000 < Size(carried), $"{Size(converted)} against {Size(carried)}");
        Assert.Equal(13, 12 + converted.Single(c => c.Type == "sRGB").Data.Length);
    }
}
