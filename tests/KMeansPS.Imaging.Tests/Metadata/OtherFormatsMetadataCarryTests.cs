using System.Buffers.Binary;
using System.Text;
using KMeansPS.Imaging.Jpeg;
using KMeansPS.Imaging.Metadata;
using KMeansPS.Imaging.Tests.Jpeg;
using KMeansPS.Imaging.Tests.Png;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Metadata;

/// <summary>
/// TIFF, WebP and BMP sources carry their colour profile (an Adobe RGB source must not be read as sRGB), density and
/// text (TIFF) or EXIF (WebP) into the PNG output, as PNG and JPEG sources do.
/// </summary>
public class OtherFormatsMetadataCarryTests
{
    private const int Width = 20, Height = 12;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_TIFF_gives_its_profile_density_and_text_and_turns_the_density_with_its_pixels(bool littleEndian)
    {
        byte[] profile = MetadataSamples.IccProfile("Adobe RGB (1998)", padding: 3000);
        byte[] tiff = Tiff(littleEndian, orientation: 6, profile, resolution: (300, 150), unit: 2,
            description: "A test page", artist: "Ann Example", copyright: "(c) 2026 nobody");

        List<PngChunk> chunks = PngMetadataCarryTests.Compress(tiff, name: "page.tif");
        Assert.Equal(["IHDR", "tEXt", "iCCP", "pHYs", "PLTE", "tEXt", "tEXt", "tEXt", "IDAT", "IEND"], chunks.Select(c => c.Type));
        (string name, byte[] carried) = MetadataSamples.ReadIccp(chunks[2].Data);
        Assert.Equal("Adobe RGB (1998)", name);
        Assert.Equal(profile, carried);
        // 300 x 150 dpi stored; Orientation 6 turned the pixels a quarter, so X and Y change places (pixels per metre).
        Assert.Equal(MetadataSamples.Phys(5906, 11811, 1), chunks[3].Data);
        Assert.Equal(MetadataSamples.Text("Description", "A test page"), chunks[5].Data);
        Assert.Equal(MetadataSamples.Text("Author", "Ann Example"), chunks[6].Data);
        Assert.Equal(MetadataSamples.Text("Copyright", "(c) 2026 nobody"), chunks[7].Data);
        Assert.Equal((uint)Height, BinaryPrimitives.ReadUInt32BigEndian(chunks[0].Data)); // turned: 12 x 20
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_BigTIFF_gives_its_profile_density_and_text_as_a_TIFF_does(bool littleEndian)
    {
        byte[] profile = MetadataSamples.IccProfile("Adobe RGB (1998)", padding: 900);
        List<PngChunk> chunks = PngMetadataCarryTests.Compress(BigTiff(littleEndian, profile, "A big page"), name: "big.tif");
        Assert.Equal(["IHDR", "tEXt", "iCCP", "pHYs", "PLTE", "tEXt", "IDAT", "IEND"], chunks.Select(c => c.Type));
        Assert.Equal(profile, MetadataSamples.ReadIccp(chunks[2].Data).Profile);
        Assert.Equal(MetadataSamples.Phys(11811, 5906, 1), chunks[3].Data); // 300 x 150 dpi
        Assert.Equal(MetadataSamples.Text("Description", "A big page"), chunks[5].Data);
    }

    [Fact]
    public void A_TIFF_text_in_UTF_8_is_carried_as_iTXt_so_it_reads_the_same()
    {
        byte[] tiff = Tiff(littleEndian: true, orientation: null, profile: null, resolution: null, unit: null,
            description: "Café été", artist: "Ann", copyright: "© 2026");
        List<PngChunk> chunks = PngMetadataCarryTests.Compress(tiff, name: "utf8.tif");
        Assert.Equal(["IHDR", "tEXt", "PLTE", "iTXt", "tEXt", "iTXt", "IDAT", "IEND"], chunks.Select(c => c.Type));
        Assert.Equal([.. "Description\0\0\0\0\0"u8, .. Encoding.UTF8.GetBytes("Café été")], chunks[3].Data);
        Assert.Equal(MetadataSamples.Text("Author", "Ann"), chunks[4].Data);
        Assert.Equal([.. "Copyright\0\0\0\0\0"u8, .. Encoding.UTF8.GetBytes("© 2026")], chunks[5].Data);
    }

    [Fact]
    public void A_TIFF_with_Strip_keeps_only_its_profile_and_one_without_anything_carries_nothing()
    {
        byte[] profile = MetadataSamples.IccProfile("Display P3", padding: 700);
        byte[] tiff = Tiff(littleEndian: true, orientation: null, profile, resolution: (72, 72), unit: 2, description: "x", artist: null, copyright: null);
        Assert.Equal(["IHDR", "tEXt", "iCCP", "PLTE", "IDAT", "IEND"], PngMetadataCarryTests.Compress(tiff, strip: true, name: "p.tif").Select(c => c.Type));

        byte[] bare = Tiff(littleEndian: false, orientation: null, profile: null, resolution: null, unit: null, description: "  ", artist: null, copyright: null);
        Assert.Equal(["IHDR", "tEXt", "PLTE", "IDAT", "IEND"], PngMetadataCarryTests.Compress(bare, name: "p.tif").Select(c => c.Type));
    }

    [Fact]
    public void A_TIFF_profile_that_points_past_the_end_of_the_file_is_not_carried()
    {
        byte[] profile = MetadataSamples.IccProfile("Display P3");
        byte[] tiff = Tiff(littleEndian: true, orientation: null, profile, resolution: null, unit: null, description: null, artist: null, copyright: null);
        CarriedMetadata whole = SourceMetadata.Collect(tiff);
        Assert.Equal(profile, whole.IccProfile);
        // The profile is stored last: cut one byte of it off and the entry's values no longer lie in the file.
        CarriedMetadata cut = SourceMetadata.Collect(tiff[..^1]);
        Assert.Null(cut.IccProfile);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_WebP_gives_its_profile_and_EXIF_said_upright_without_turning_anything(bool exifPrefix)
    {
        byte[] profile = MetadataSamples.IccProfile("Adobe RGB (1998)", padding: 2001); // odd: the chunk is padded
        byte[] exif = MetadataSamples.Exif(littleEndian: false, orientation: 6, resolution: (300, 150), unit: 2);
        byte[] webp = Webp(profile, exifPrefix ? [.. "Exif\0\0"u8, .. exif] : exif);

        List<PngChunk> chunks = PngMetadataCarryTests.Compress(webp, name: "photo.webp");
        Assert.Equal(["IHDR", "tEXt", "iCCP", "pHYs", "PLTE", "eXIf", "IDAT", "IEND"], chunks.Select(c => c.Type));
        Assert.Equal(profile, MetadataSamples.ReadIccp(chunks[2].Data).Profile);
        // The pixels stay as stored (20 x 12), as WebP's readers show them: the density is not exchanged, and EXIF
        // now says Orientation 1 with everything else as it was.
        Assert.Equal((uint)Width, BinaryPrimitives.ReadUInt32BigEndian(chunks[0].Data));
        Assert.Equal(MetadataSamples.Phys(11811, 5906, 1), chunks[3].Data);
        byte[] carried = chunks[5].Data;
        Assert.Equal(1, ExifReader.ReadOrientation(carried));
        Assert.Equal(exif.Length, carried.Length);
        Assert.Single(exif.Zip(carried), p => p.First != p.Second);
    }

    [Fact]
    public void A_simple_WebP_carries_nothing_and_a_cut_chunk_list_keeps_what_lies_whole_before_the_cut()
    {
        byte[] simple = LosslessWebp();
        Assert.True(SourceMetadata.Collect(simple).IsEmpty);
        byte[] profile = MetadataSamples.IccProfile("Display P3");
        byte[] webp = Webp(profile, MetadataSamples.Exif(littleEndian: true, orientation: 1));
        CarriedMetadata cut = WebpMetadataCollector.Collect(webp.AsSpan(0, webp.Length - 5), MetadataBudget.Default());
        Assert.Equal(profile, cut.IccProfile);
        Assert.Null(cut.Exif); // the last chunk, cut
    }

    [Theory]
    [InlineData(270, 0xFFFFFFFFu)]
    [InlineData(282, 0x7FFFFFFFu)]
    [InlineData(34675, 0xFFFFFFFFu)]
    public void A_TIFF_metadata_entry_whose_count_reaches_past_the_file_is_left_out_and_the_image_read(int tag, uint count)
    {
        byte[] profile = MetadataSamples.IccProfile("Adobe RGB (1998)", padding: 500);
        byte[] tiff = Tiff(littleEndian: tag != 282, orientation: null, profile, resolution: (300, 300), unit: 2,
            description: "A description", artist: "An artist", copyright: null);
        bool little = tiff[0] == (byte)'I';
        uint directory = little ? BinaryPrimitives.ReadUInt32LittleEndian(tiff.AsSpan(4)) : BinaryPrimitives.ReadUInt32BigEndian(tiff.AsSpan(4));
        int entries = little ? BinaryPrimitives.ReadUInt16LittleEndian(tiff.AsSpan((int)directory)) : BinaryPrimitives.ReadUInt16BigEndian(tiff.AsSpan((int)directory));
        int patched = 0;
        for (int i = 0; i < entries; i++)
        {
            Span<byte> entry = tiff.AsSpan((int)directory + 2 + 12 * i, 12);
            if ((little ? BinaryPrimitives.ReadUInt16LittleEndian(entry) : BinaryPrimitives.ReadUInt16BigEndian(entry)) != tag) continue;
            if (little) BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], count);
            else BinaryPrimitives.WriteUInt32BigEndian(entry[4..], count);
            patched++;
        }
        Assert.Equal(1, patched);

        List<PngChunk> chunks = PngMetadataCarryTests.Compress(tiff, name: "lying.tif");
        Assert.Equal(Width, (int)BinaryPrimitives.ReadUInt32BigEndian(chunks[0].Data));
        // The lying entry is not carried; the others are.
        Assert.Equal(tag != 34675, chunks.Any(c => c.Type == "iCCP"));
        Assert.Equal(tag != 270, chunks.Any(c => c.Type == "tEXt" && c.Data.AsSpan().StartsWith("Description\0"u8)));
        Assert.Contains(chunks, c => c.Type == "tEXt" && c.Data.AsSpan().StartsWith("Author\0"u8));
    }

    [Fact]
    public void A_BMP_gives_its_density_and_a_version_5_header_its_embedded_profile()
    {
        byte[] profile = MetadataSamples.IccProfile("Adobe RGB (1998)", padding: 1500);
        List<PngChunk> chunks = PngMetadataCarryTests.Compress(Bmp(profile, 3780, 3937), name: "scan.bmp");
        Assert.Equal(["IHDR", "tEXt", "iCCP", "pHYs", "PLTE", "IDAT", "IEND"], chunks.Select(c => c.Type));
        Assert.Equal(profile, MetadataSamples.ReadIccp(chunks[2].Data).Profile);
        Assert.Equal(MetadataSamples.Phys(3780, 3937, 1), chunks[3].Data);

        // A plain 40-byte header: the density alone; none set: nothing.
        Assert.Equal(["IHDR", "tEXt", "pHYs", "PLTE", "IDAT", "IEND"], PngMetadataCarryTests.Compress(Bmp(null, 2835, 2835), name: "a.bmp").Select(c => c.Type));
        Assert.Equal(["IHDR", "tEXt", "PLTE", "IDAT", "IEND"], PngMetadataCarryTests.Compress(Bmp(null, 0, 0), name: "b.bmp").Select(c => c.Type));
    }

    [Fact]
    public void Cut_and_mutated_TIFF_and_WebP_files_give_what_lies_whole_and_never_throw()
    {
        byte[] profile = MetadataSamples.IccProfile("Adobe RGB (1998)", padding: 300);
        byte[] exif = MetadataSamples.Exif(littleEndian: true, orientation: 8, resolution: (96, 96), unit: 2);
        byte[][] sources =
        [
            Tiff(littleEndian: true, orientation: 5, profile, resolution: (300, 150), unit: 3, description: "d", artist: "a", copyright: "c"),
            Tiff(littleEndian: false, orientation: null, profile, resolution: (72, 72), unit: 2, description: "d", artist: null, copyright: null),
            Webp(profile, exif),
            Webp(profile, [.. "Exif\0\0"u8, .. exif]),
            Bmp(profile, 3780, 3780),
            BigTiff(littleEndian: true, profile, "d"),
            BigTiff(littleEndian: false, profile, "a longer description"),
        ];
        // The collectors themselves, not SourceMetadata.Collect, which would hide an exception (it carries nothing then).
        static CarriedMetadata Collect(byte[] file) =>
            file.AsSpan().StartsWith("RIFF"u8) ? WebpMetadataCollector.Collect(file, MetadataBudget.Default())
            : file.AsSpan().StartsWith("BM"u8) ? BmpMetadataCollector.Collect(file, MetadataBudget.Default())
            : TiffMetadataCollector.Collect(file, MetadataBudget.Default());
        var random = new Random(15);
        int carried = 0;
        foreach (byte[] source in sources)
        {
            for (int length = 0; length <= source.Length; length += 1 + length / 64)
                carried += Collect(source[..length]).IsEmpty ? 0 : 1;
            for (int trial = 0; trial < 400; trial++)
            {
                byte[] mutated = (byte[])source.Clone();
                for (int flips = random.Next(1, 6); flips > 0; flips--)
                {
                    // Mostly the header and the directory or chunk list, where offsets and sizes are.
                    int at = random.Next(2) == 0 ? random.Next(Math.Min(mutated.Length, 64)) : random.Next(mutated.Length);
                    mutated[at] = random.Next(3) == 0 ? (byte)0xFF : (byte)random.Next(256);
                }
                CarriedMetadata found = Collect(mutated);
                Assert.True(found.IccProfile is null || found.IccProfile.Length <= mutated.Length);
            }
        }
        Assert.True(carried > 0);
    }

    /// <summary>
    /// An uncompressed 8-bit RGB TIFF of one strip holding a seeded picture, with the optional entries given; the
    /// profile is stored last in the file.
    /// </summary>
    private static byte[] Tiff(bool littleEndian, ushort? orientation, byte[]? profile, (uint X, uint Y)? resolution, ushort? unit,
        string? description, string? artist, string? copyright)
    {
        RgbaImage photo = JpegSamples.Photo(Width, Height, seed: 3);
        byte[] pixels = new byte[Width * Height * 3];
        for (int i = 0; i < Width * Height; i++)
        {
            pixels[3 * i] = photo.Pixels[i].R;
            pixels[3 * i + 1] = photo.Pixels[i].G;
            pixels[3 * i + 2] = photo.Pixels[i].B;
        }
        var entries = new List<(ushort Tag, ushort Type, uint Count, byte[] Value)>
        {
            (256, 3, 1, Short(Width)), (257, 3, 1, Short(Height)), (258, 3, 3, [.. Short16(8), .. Short16(8), .. Short16(8)]),
            (259, 3, 1, Short(1)), (262, 3, 1, Short(2)), (273, 4, 1, []), (277, 3, 1, Short(3)), (278, 3, 1, Short(Height)),
            (279, 4, 1, Long((uint)pixels.Length)),
        };
        void Ascii(ushort tag, string? text)
        {
            // UTF-8, as ImageMagick and PIL write these ASCII tags (the same bytes for ASCII text).
            if (text is not null) entries.Add((tag, 2, (uint)Encoding.UTF8.GetByteCount(text) + 1, [.. Encoding.UTF8.GetBytes(text), 0]));
        }
        Ascii(270, description);
        Ascii(315, artist);
        Ascii(33432, copyright);
        if (orientation is ushort o) entries.Add((274, 3, 1, Short(o)));
        if (resolution is { } r)
        {
            entries.Add((282, 5, 1, [.. Long(r.X), .. Long(1)]));
            entries.Add((283, 5, 1, [.. Long(r.Y), .. Long(1)]));
        }
        if (unit is ushort u) entries.Add((296, 3, 1, Short(u)));
        entries.Sort((a, b) => a.Tag.CompareTo(b.Tag));

        // Header, pixels, directory, the values that do not fit in their entries, the profile last.
        int directory = 8 + pixels.Length + (pixels.Length & 1);
        int after = directory + 2 + 12 * entries.Count + 4;
        var outside = new List<byte>();
        var head = new List<byte>(littleEndian ? "II"u8.ToArray() : "MM"u8.ToArray());
        head.AddRange(Short16(42));
        head.AddRange(Long((uint)directory));
        head.AddRange(pixels);
        if ((pixels.Length & 1) != 0) head.Add(0);
        head.AddRange(Short16((ushort)(entries.Count + (profile is null ? 0 : 1))));
        after += profile is null ? 0 : 12;
        foreach ((ushort tag, ushort type, uint count, byte[] value) in entries)
        {
            head.AddRange(Short16(tag));
            head.AddRange(Short16(type));
            head.AddRange(Long(count));
            if (tag == 273) head.AddRange(Long(8));
            else if (value.Length <= 4) head.AddRange([.. value, .. new byte[4 - value.Length]]);
            else
            {
                head.AddRange(Long((uint)(after + outside.Count)));
                outside.AddRange(value);
                if ((outside.Count & 1) != 0) outside.Add(0);
            }
        }
        if (profile is not null)
        {
            head.AddRange(Short16(34675));
            head.AddRange(Short16(7));
            head.AddRange(Long((uint)profile.Length));
            head.AddRange(Long((uint)(after + outside.Count)));
        }
        head.AddRange(Long(0));
        return [.. head, .. outside, .. profile ?? []];

        byte[] Short16(ushort v)
        {
            var b = new byte[2];
            if (littleEndian) BinaryPrimitives.WriteUInt16LittleEndian(b, v);
            else BinaryPrimitives.WriteUInt16BigEndian(b, v);
            return b;
        }
        byte[] Short(ushort v) => Short16(v);
        byte[] Long(uint v)
        {
            var b = new byte[4];
            if (littleEndian) BinaryPrimitives.WriteUInt32LittleEndian(b, v);
            else BinaryPrimitives.WriteUInt32BigEndian(b, v);
            return b;
        }
    }

    /// <summary>
    /// ImageSharp's 24-bit BMP of a seeded picture with the density given; with a profile, its header grown to version
    /// 5 (124 bytes) with the profile embedded after the pixels.
    /// </summary>
    private static byte[] Bmp(byte[]? profile, int xPerMetre, int yPerMetre)
    {
        RgbaImage photo = JpegSamples.Photo(Width, Height, seed: 7);
        using var image = Image.LoadPixelData<Rgba32>(photo.Pixels, Width, Height);
        using var stream = new MemoryStream();
        image.Save(stream, new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel24 });
        byte[] plain = stream.ToArray();
        int headerSize = BinaryPrimitives.ReadInt32LittleEndian(plain.AsSpan(14));
        int pixelsAt = BinaryPrimitives.ReadInt32LittleEndian(plain.AsSpan(10));
        byte[] info = plain[14..(14 + headerSize)];
        if (profile is not null) Array.Resize(ref info, 124);
        BinaryPrimitives.WriteInt32LittleEndian(info, info.Length);
        BinaryPrimitives.WriteInt32LittleEndian(info.AsSpan(24), xPerMetre);
        BinaryPrimitives.WriteInt32LittleEndian(info.AsSpan(28), yPerMetre);
        byte[] pixels = plain[pixelsAt..];
        if (profile is not null)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(info.AsSpan(56), 0x4D424544); // PROFILE_EMBEDDED
            BinaryPrimitives.WriteInt32LittleEndian(info.AsSpan(108), 4); // LCS_GM_IMAGES
            BinaryPrimitives.WriteInt32LittleEndian(info.AsSpan(112), info.Length + pixels.Length);
            BinaryPrimitives.WriteInt32LittleEndian(info.AsSpan(116), profile.Length);
        }
        byte[] file = [.. plain[..14], .. info, .. pixels, .. profile ?? []];
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(2), file.Length);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(10), 14 + info.Length);
        return file;
    }

    /// <summary>
    /// An uncompressed 8-bit RGB BigTIFF (version 43: 8-byte offsets, 20-byte entries) of one strip with a 300 x 150 dpi
    /// resolution, a description and the profile, stored after the directory.
    /// </summary>
    private static byte[] BigTiff(bool littleEndian, byte[] profile, string description)
    {
        RgbaImage photo = JpegSamples.Photo(Width, Height, seed: 9);
        byte[] pixels = new byte[Width * Height * 3];
        for (int i = 0; i < Width * Height; i++)
            (pixels[3 * i], pixels[3 * i + 1], pixels[3 * i + 2]) = (photo.Pixels[i].R, photo.Pixels[i].G, photo.Pixels[i].B);
        byte[] text = [.. Encoding.ASCII.GetBytes(description), 0];
        var entries = new List<(ushort Tag, ushort Type, ulong Count, byte[] Value)>
        {
            (256, 3, 1, Bytes(2, Width)), (257, 3, 1, Bytes(2, Height)), (258, 3, 3, [.. Bytes(2, 8), .. Bytes(2, 8), .. Bytes(2, 8)]),
            (259, 3, 1, Bytes(2, 1)), (262, 3, 1, Bytes(2, 2)), (270, 2, (ulong)text.Length, text), (273, 16, 1, Bytes(8, 16)),
            (277, 3, 1, Bytes(2, 3)), (278, 3, 1, Bytes(2, Height)), (279, 16, 1, Bytes(8, (ulong)pixels.Length)),
            (282, 5, 1, [.. Bytes(4, 300), .. Bytes(4, 1)]), (283, 5, 1, [.. Bytes(4, 150), .. Bytes(4, 1)]), (296, 3, 1, Bytes(2, 2)),
            (34675, 7, (ulong)profile.Length, profile),
        };
        long directory = 16 + pixels.Length + (pixels.Length & 1);
        long after = directory + 8 + 20L * entries.Count + 8;
        var file = new List<byte>(littleEndian ? "II"u8.ToArray() : "MM"u8.ToArray());
        file.AddRange([.. Bytes(2, 43), .. Bytes(2, 8), .. Bytes(2, 0), .. Bytes(8, (ulong)directory)]);
        file.AddRange(pixels);
        if ((pixels.Length & 1) != 0) file.Add(0);
        file.AddRange(Bytes(8, (ulong)entries.Count));
        var outside = new List<byte>();
        foreach ((ushort tag, ushort type, ulong count, byte[] value) in entries)
        {
            file.AddRange([.. Bytes(2, tag), .. Bytes(2, type), .. Bytes(8, count)]);
            if (value.Length <= 8) file.AddRange([.. value, .. new byte[8 - value.Length]]);
            else
            {
                file.AddRange(Bytes(8, (ulong)(after + outside.Count)));
                outside.AddRange(value);
                if ((outside.Count & 1) != 0) outside.Add(0);
            }
        }
        file.AddRange(Bytes(8, 0));
        return [.. file, .. outside];

        byte[] Bytes(int size, ulong value)
        {
            var b = new byte[size];
            for (int i = 0; i < size; i++) b[littleEndian ? i : size - 1 - i] = (byte)(value >> (8 * i));
            return b;
        }
    }

    /// <summary>ImageSharp's lossless WebP of a seeded picture: RIFF, WEBP, one VP8L chunk.</summary>
    private static byte[] LosslessWebp()
    {
        RgbaImage photo = JpegSamples.Photo(Width, Height, seed: 5);
        using var image = Image.LoadPixelData<Rgba32>(photo.Pixels, Width, Height);
        using var stream = new MemoryStream();
        image.Save(stream, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless });
        return stream.ToArray();
    }

    /// <summary>The extended format: VP8X (ICC and EXIF flags), ICCP, the VP8L chunk, EXIF; each chunk padded to even.</summary>
    private static byte[] Webp(byte[] profile, byte[] exif)
    {
        byte[] simple = LosslessWebp();
        byte[] image = simple[12..]; // the VP8L chunk, whole
        byte[] header = new byte[10];
        header[0] = 0x20 | 0x08;
        WriteUInt24(header.AsSpan(4), Width - 1);
        WriteUInt24(header.AsSpan(7), Height - 1);
        byte[] body = [.. "WEBP"u8, .. Chunk("VP8X", header), .. Chunk("ICCP", profile), .. image, .. Chunk("EXIF", exif)];
        byte[] size = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)body.Length);
        return [.. "RIFF"u8, .. size, .. body];

        static byte[] Chunk(string fourCc, byte[] data)
        {
            byte[] length = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)data.Length);
            return [.. Encoding.ASCII.GetBytes(fourCc), .. length, .. data, .. (data.Length & 1) != 0 ? new byte[1] : []];
        }

        static void WriteUInt24(Span<byte> at, int value)
        {
            at[0] = (byte)value;
            at[1] = (byte)(value >> 8);
            at[2] = (byte)(value >> 16);
        }
    }
}
