using System.Buffers.Binary;
using KMeansPS.Imaging.Metadata;
using KMeansPS.Imaging.Tests.Png;

namespace KMeansPS.Imaging.Tests.Metadata;

/// <summary>Hostile and damaged metadata: dropped, never carried, never an error.</summary>
public class PngMetadataCollectorTests
{
    private static CarriedMetadata Collect(byte[] file, long budget = 8L << 20) => PngMetadataCollector.Collect(file, new MetadataBudget(budget));

    private static byte[] WithBadCrc(byte[] chunk)
    {
        byte[] copy = (byte[])chunk.Clone();
        copy[^1] ^= 0x5A;
        return copy;
    }

    [Fact]
    public void A_chunk_whose_CRC_fails_is_not_carried()
    {
        byte[] profile = MetadataSamples.IccProfile("Display P3");
        CarriedMetadata good = Collect(MetadataSamples.Png(8, 8, [PngFiles.Chunk("iCCP", MetadataSamples.Iccp("P3", profile)), PngFiles.Chunk("pHYs", MetadataSamples.Phys(2, 3, 0))]));
        Assert.Equal(profile, good.IccProfile);
        Assert.Equal(new PixelDensity(2, 3, 0), good.Density);

        CarriedMetadata bad = Collect(MetadataSamples.Png(8, 8, [
            WithBadCrc(PngFiles.Chunk("iCCP", MetadataSamples.Iccp("P3", profile))), WithBadCrc(PngFiles.Chunk("pHYs", MetadataSamples.Phys(2, 3, 0))),
            WithBadCrc(PngFiles.Chunk("tEXt", MetadataSamples.Text("Title", "x"))), WithBadCrc(PngFiles.Chunk("gAMA", [0, 0, 0x86, 0xA0]))]));
        Assert.True(bad.IsEmpty);
    }

    [Fact]
    public void Truncated_or_damaged_compressed_data_is_not_carried()
    {
        byte[] iccp = MetadataSamples.Iccp("P3", MetadataSamples.IccProfile("Display P3", padding: 2000));
        byte[] cut = iccp[..(iccp.Length - 40)];
        byte[] flipped = (byte[])iccp.Clone();
        flipped[^10] ^= 0xFF;
        byte[] ztxt = [.. MetadataSamples.Text("Comment", ""), 0, .. PngFiles.Zlib(new byte[5000])];
        CarriedMetadata metadata = Collect(MetadataSamples.Png(8, 8, [
            PngFiles.Chunk("iCCP", cut), PngFiles.Chunk("zTXt", ztxt[..^20]), PngFiles.Chunk("iTXt", [.. "Title\0\u0001\0en\0\0"u8, 1, 2, 3])]));
        Assert.Null(metadata.IccProfile);
        Assert.Empty(metadata.Text);
        Assert.Null(Collect(MetadataSamples.Png(8, 8, [PngFiles.Chunk("iCCP", flipped)])).IccProfile);
    }

    private static byte[] Chromaticities(params int[] values) =>
        values.SelectMany(v => new[] { (byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v }).ToArray();

    [Fact]
    public void Chromaticities_libpng_refuses_are_not_carried_and_those_it_reads_are()
    {
        byte[] srgb = Chromaticities(31270, 32900, 64000, 33000, 30000, 60000, 15000, 6000);
        Assert.Contains(Collect(MetadataSamples.Png(8, 8, [PngFiles.Chunk("cHRM", srgb)])).ColorChunks, c => c.Type == "cHRM");
        foreach ((string what, byte[] data) in new[]
        {
            ("all zeros", new byte[32]),
            ("a y of 0", Chromaticities(31270, 0, 64000, 33000, 30000, 60000, 15000, 6000)),
            ("an x above 1", Chromaticities(31270, 32900, 164000, 33000, 30000, 60000, 15000, 6000)),
            ("x + y above 1", Chromaticities(31270, 32900, 64000, 43000, 30000, 60000, 15000, 6000)),
            ("primaries on one line", Chromaticities(31270, 32900, 10000, 10000, 20000, 20000, 30000, 30000)),
            ("a value beyond 2^31", Chromaticities(31270, 32900, 64000, 33000, 30000, 60000, 15000, int.MinValue)),
        })
        {
            Assert.False(PngMetadataCollector.ValidChromaticities(data), what);
            Assert.DoesNotContain(Collect(MetadataSamples.Png(8, 8, [PngFiles.Chunk("cHRM", data)])).ColorChunks, c => c.Type == "cHRM");
        }
    }

    [Fact]
    public void Chunks_of_the_wrong_length_or_value_are_not_carried()
    {
        CarriedMetadata metadata = Collect(MetadataSamples.Png(8, 8, [
            PngFiles.Chunk("pHYs", [0, 0, 1, 0, 0]), PngFiles.Chunk("sRGB", [7]), PngFiles.Chunk("gAMA", [0, 0, 0, 0]),
            PngFiles.Chunk("cHRM", new byte[31]), PngFiles.Chunk("eXIf", "not a TIFF header"u8.ToArray()),
            PngFiles.Chunk("tEXt", "no keyword end"u8.ToArray()), PngFiles.Chunk("tEXt", MetadataSamples.Text("", "empty keyword"))]));
        Assert.True(metadata.IsEmpty);
    }

    [Fact]
    public void A_deflate_bomb_and_metadata_past_the_budget_are_not_carried()
    {
        byte[] bomb = [.. MetadataSamples.Text("Comment", ""), 0, .. PngFiles.Zlib(new byte[4 << 20])];
        byte[] small = MetadataSamples.Text("Title", "kept");
        CarriedMetadata metadata = Collect(MetadataSamples.Png(8, 8, [PngFiles.Chunk("tEXt", small), PngFiles.Chunk("zTXt", bomb)]), budget: 1 << 20);
        Assert.Equal(["tEXt"], metadata.Text.Select(c => c.Type));
        Assert.Equal(small, metadata.Text[0].Data);

        byte[] profile = MetadataSamples.IccProfile("Big", padding: 100_000);
        Assert.Null(Collect(MetadataSamples.Png(8, 8, [PngFiles.Chunk("iCCP", MetadataSamples.Iccp("Big", profile))]), budget: 50_000).IccProfile);
        Assert.Equal(profile, Collect(MetadataSamples.Png(8, 8, [PngFiles.Chunk("iCCP", MetadataSamples.Iccp("Big", profile))]), budget: 200_000).IccProfile);
    }

    [Fact]
    public void A_chunk_length_past_the_end_stops_the_walk_without_an_error()
    {
        byte[] file = MetadataSamples.Png(8, 8, [PngFiles.Chunk("pHYs", MetadataSamples.Phys(5, 5, 1))]);
        int at = 8 + 25; // after the signature and IHDR
        BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(at), 0x7FFFFFF0);
        Assert.True(Collect(file).IsEmpty);
        for (int cut = 8; cut < file.Length; cut += 7) Collect(file[..cut]); // any prefix: no exception
    }

    [Fact]
    public void Text_chunks_keep_their_order_and_the_old_marker_is_left_out()
    {
        byte[] a = MetadataSamples.Text("Author", "someone"), b = [.. "Description\0\0\0en\0\0"u8, .. "plain iTXt"u8];
        CarriedMetadata metadata = Collect(MetadataSamples.Png(8, 8,
            [PngFiles.Chunk("tEXt", a), PngFiles.Chunk("tEXt", MetadataSamples.Text("KMeansPS", "v=1;old")), PngFiles.Chunk("iTXt", b)]));
        Assert.Equal([a, b], metadata.Text.Select(c => c.Data));
    }
}

/// <summary>Random damage to metadata-rich files: the collectors drop what they cannot read and never throw.</summary>
public class MetadataCollectorDamageTests
{
    [Fact]
    public void Flipped_bytes_and_cut_files_never_throw_and_never_carry_a_chunk_whose_CRC_fails()
    {
        byte[] profile = MetadataSamples.IccProfile("Display P3", padding: 400);
        byte[] png = MetadataSamples.Png(8, 8, [
            PngFiles.Chunk("iCCP", MetadataSamples.Iccp("P3", profile)), PngFiles.Chunk("pHYs", MetadataSamples.Phys(9, 9, 1)),
            PngFiles.Chunk("zTXt", [.. MetadataSamples.Text("Comment", ""), 0, .. PngFiles.Zlib(new byte[300])]),
            PngFiles.Chunk("eXIf", MetadataSamples.Exif(true, 6, (72, 72), 2))]);
        byte[] jpeg = JpegMetadataCarryTests.Jpeg(16, 16, [
            Jpeg.JpegSamples.MakeSegment(0xE1, [.. "Exif\0\0"u8, .. MetadataSamples.Exif(false, 6, (300, 300), 2)]),
            .. JpegMetadataCarryTests.IccSegments(profile, 2), Jpeg.JpegSamples.MakeSegment(0xFE, "note"u8)]);
        var random = new Random(11);
        for (int trial = 0; trial < 400; trial++)
        {
            byte[] damagedPng = (byte[])png.Clone(), damagedJpeg = (byte[])jpeg.Clone();
            for (int flips = 0; flips < 3; flips++)
            {
                damagedPng[random.Next(8, 300)] ^= (byte)random.Next(1, 256);
                damagedJpeg[random.Next(2, 700)] ^= (byte)random.Next(1, 256);
            }
            CarriedMetadata fromPng = PngMetadataCollector.Collect(damagedPng.AsSpan(0, random.Next(8, damagedPng.Length + 1)), MetadataBudget.Default());
            if (fromPng.IccProfile is { } carried) Assert.Equal(profile, carried); // a damaged iCCP fails its CRC
            JpegMetadataCollector.Collect(damagedJpeg.AsSpan(0, random.Next(2, damagedJpeg.Length + 1)), MetadataBudget.Default());
        }
    }
}
