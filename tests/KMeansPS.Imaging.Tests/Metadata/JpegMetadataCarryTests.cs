using System.Buffers.Binary;
using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Jpeg;
using KMeansPS.Imaging.Metadata;
using KMeansPS.Imaging.Tests.Jpeg;
using KMeansPS.Imaging.Tests.Png;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Metadata;

public class JpegMetadataCarryTests
{
    private static byte[] Jfif(byte units, ushort x, ushort y)
    {
        byte[] data = [.. "JFIF\0"u8, 1, 2, units, 0, 0, 0, 0, 0, 0];
        BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(8), x);
        BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(10), y);
        return data;
    }

    /// <summary>A JPEG of a seeded photo without ImageSharp's JFIF header, with the given segments after SOI (in order).</summary>
    internal static byte[] Jpeg(int width, int height, params byte[][] segments)
    {
        byte[] jpeg = JpegSamples.ImageSharpJpeg(JpegSamples.Photo(width, height, seed: 4), JpegColorType.YCbCrRatio420, quality: 95);
        JpegSamples.Segment app0 = JpegSamples.HeaderSegments(jpeg).FirstOrDefault(s => s.Marker == 0xE0);
        if (app0.Marker == 0xE0) jpeg = JpegSamples.Remove(jpeg, app0.Offset, app0.Length);
        foreach (byte[] segment in segments.Reverse()) jpeg = JpegSamples.Insert(jpeg, 2, segment);
        return jpeg;
    }

    /// <summary>APP2 ICC_PROFILE segments carrying <paramref name="profile"/> in <paramref name="parts"/> chunks, stored last chunk first.</summary>
    internal static byte[][] IccSegments(byte[] profile, int parts)
    {
        int size = (profile.Length + parts - 1) / parts;
        return Enumerable.Range(0, parts).Reverse()
            .Select(i => JpegSamples.MakeSegment(0xE2, [.. "ICC_PROFILE\0"u8, (byte)(i + 1), (byte)parts, .. profile.AsSpan(i * size, Math.Min(size, profile.Length - i * size))]))
            .ToArray();
    }

    [Fact]
    public void A_JPEG_gives_its_profile_density_EXIF_and_comment_and_displays_as_the_source()
    {
        byte[] profile = MetadataSamples.IccProfile("Adobe RGB (1998)", mluc: true, padding: 5000);
        byte[] exif = MetadataSamples.Exif(littleEndian: true, orientation: 6);
        byte[] jpeg = Jpeg(40, 24, [
            JpegSamples.MakeSegment(0xE0, Jfif(1, 300, 150)), JpegSamples.MakeSegment(0xE1, [.. "Exif\0\0"u8, .. exif]),
            .. IccSegments(profile, 3), JpegSamples.MakeSegment(0xFE, "made by a test\0"u8)]);

        List<PngChunk> chunks = PngMetadataCarryTests.Compress(jpeg, name: "photo.jpg");
        Assert.Equal(["IHDR", "tEXt", "iCCP", "pHYs", "PLTE", "tEXt", "eXIf", "IDAT", "IEND"], chunks.Select(c => c.Type));
        (string name, byte[] carried) = MetadataSamples.ReadIccp(chunks[2].Data);
        Assert.Equal("Adobe RGB (1998)", name);
        Assert.Equal(profile, carried);
        // 300 x 150 dpi stored; the pixels turned a quarter, so X and Y change places (in pixels per metre).
        Assert.Equal(MetadataSamples.Phys(5906, 11811, 1), chunks[3].Data);
        Assert.Equal(MetadataSamples.Text("Comment", "made by a test"), chunks[5].Data);
        byte[] patched = chunks[6].Data;
        Assert.Equal(1, ExifReader.ReadOrientation(patched));
        Assert.Equal(exif.Length, patched.Length);
        Assert.Equal(2, exif.Zip(patched).Count(p => p.First != p.Second) + 1); // one byte differs: 6 became 1

        // The output is as the source is seen: 24 x 40, and close to the upright decode, far from the other way round.
        using var image = Image.Load<Rgba32>(Serialize(chunks));
        Assert.Equal((24, 40), (image.Width, image.Height));
        RgbaImage upright = ImageDecoder.Decode(new MemoryStream(jpeg), name: "photo.jpg", cancellationToken: TestContext.Current.CancellationToken);
        double same = 0, turned = 0;
        for (int y = 0; y < 40; y++)
            for (int x = 0; x < 24; x++)
            {
                same += Distance(image[x, y], upright.Pixels[y * 24 + x]);
                turned += Distance(image[x, y], upright.Pixels[(39 - y) * 24 + (23 - x)]);
            }
        Assert.True(same * 3 < turned, $"difference to the upright source {same}, to it turned half round {turned}");
    }

    [Fact]
    public void Strip_keeps_only_the_JPEG_profile()
    {
        byte[] profile = MetadataSamples.IccProfile("Display P3");
        byte[] jpeg = Jpeg(16, 16, [JpegSamples.MakeSegment(0xE0, Jfif(1, 72, 72)), JpegSamples.MakeSegment(0xE1, [.. "Exif\0\0"u8, .. MetadataSamples.Exif(false, 1)]),
            .. IccSegments(profile, 1), JpegSamples.MakeSegment(0xFE, "note"u8)]);
        List<PngChunk> chunks = PngMetadataCarryTests.Compress(jpeg, strip: true, name: "p3.jpg");
        Assert.Equal(["IHDR", "tEXt", "iCCP", "PLTE", "IDAT", "IEND"], chunks.Select(c => c.Type));
        (string name, byte[] carried) = MetadataSamples.ReadIccp(chunks[2].Data);
        Assert.Equal("Display P3", name);
        Assert.Equal(profile, carried);
    }

    [Fact]
    public void An_incomplete_ICC_profile_is_not_carried()
    {
        byte[] profile = MetadataSamples.IccProfile("Display P3", padding: 900);
        byte[][] parts = IccSegments(profile, 3);
        CarriedMetadata metadata = JpegMetadataCollector.Collect(Jpeg(16, 16, parts[0], parts[2]), MetadataBudget.Default());
        Assert.Null(metadata.IccProfile);
        Assert.Equal(profile, JpegMetadataCollector.Collect(Jpeg(16, 16, parts), MetadataBudget.Default()).IccProfile);
        Assert.Null(JpegMetadataCollector.Collect(Jpeg(16, 16, parts), new MetadataBudget(profile.Length - 1)).IccProfile);
    }

    [Theory]
    [InlineData(true, 72u, 2, 2835u)]
    [InlineData(false, 300u, 2, 11811u)]
    [InlineData(true, 100u, 3, 10000u)]
    public void Without_a_JFIF_unit_the_EXIF_resolution_gives_the_density(bool little, uint resolution, int unit, uint perMetre)
    {
        ExifIfd0? ifd = ExifIfd0.TryOpen(MetadataSamples.Exif(little, 1, (resolution, resolution), (ushort)unit));
        Assert.Equal(new PixelDensity(perMetre, perMetre, 1), JpegMetadataCollector.Density(new JfifDensity(0, 1, 1), ifd));
        Assert.Equal(new PixelDensity(perMetre, perMetre, 1), JpegMetadataCollector.Density(null, ifd));
        // JFIF with a unit wins; JFIF's aspect alone counts only when it is not 1:1.
        Assert.Equal(new PixelDensity(3937, 3937, 1), JpegMetadataCollector.Density(new JfifDensity(1, 100, 100), ifd));
        Assert.Null(JpegMetadataCollector.Density(new JfifDensity(0, 1, 1), null));
        Assert.Equal(new PixelDensity(2, 1, 0), JpegMetadataCollector.Density(new JfifDensity(0, 2, 1), null));
    }

    private static double Distance(Rgba32 a, Rgba32 b) => Math.Abs(a.R - b.R) + Math.Abs(a.G - b.G) + Math.Abs(a.B - b.B);

    private static byte[] Serialize(List<PngChunk> chunks) => PngFiles.Concat(chunks.Select(c => PngFiles.Chunk(c.Type, c.Data)));
}
