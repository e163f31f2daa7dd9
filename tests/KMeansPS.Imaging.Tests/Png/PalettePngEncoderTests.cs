using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using KMeansPS.Imaging.Png;
using KMeansPS.Imaging.Png.Deflate;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Png;

public class PalettePngEncoderTests
{
    private static Rgba32[] DistinctOpaque(int n)
    {
        var palette = new Rgba32[n];
        for (int i = 0; i < n; i++) palette[i] = new Rgba32((byte)i, (byte)(255 - i), (byte)(i * 37), 255);
        return palette;
    }

    private static byte[] RandomIndices(int count, int paletteSize, int seed)
    {
        var random = new Random(seed);
        var indices = new byte[count];
        for (int i = 0; i < count; i++) indices[i] = (byte)random.Next(paletteSize);
        return indices;
    }

    private static byte[] Encode(int width, int height, byte[] indices, Rgba32[] palette, int threads = 1, int? bands = null)
    {
        using var ms = new MemoryStream();
        PalettePngEncoder.Write(ms, width, height, indices, palette, threads, bands, TestContext.Current.CancellationToken);
        return ms.ToArray();
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 2)]
    [InlineData(5, 4)]
    [InlineData(16, 4)]
    [InlineData(17, 8)]
    [InlineData(256, 8)]
    public void Packs_at_the_smallest_bit_depth_or_at_8_and_round_trips_exactly(int paletteSize, int expectedDepth)
    {
        // Odd widths leave a partly filled last byte at depths below 8.
        foreach (int width in new[] { 1, 7, 13, 33 })
        {
            const int height = 5;
            Rgba32[] palette = DistinctOpaque(paletteSize);
            byte[] indices = RandomIndices(width * height, paletteSize, width);
            byte[] png = Encode(width, height, indices, palette);

            List<PngChunk> chunks = PngChunk.Parse(png);
            Assert.Equal(["IHDR", "PLTE", "IDAT", "IEND"], chunks.Select(c => c.Type));
            byte[] ihdr = chunks[0].Data;
            Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(ihdr));
            Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(ihdr.AsSpan(4)));
            Assert.Contains(ihdr[8], new byte[] { (byte)expectedDepth, 8 }); // 8 bits when that deflates smaller
            Assert.Equal(3, ihdr[9]);
            Assert.Equal(expectedDepth, PalettePngEncoder.BitDepthFor(paletteSize));
            Assert.Equal(paletteSize * 3, chunks[1].Data.Length);

            Rgba32[] decoded = Fixtures.ReadPixels(png);
            for (int i = 0; i < indices.Length; i++) Assert.Equal(palette[indices[i]], decoded[i]);
        }
    }

    [Fact]
    public void Writes_tRNS_only_up_to_the_last_non_opaque_entry()
    {
        var palette = new Rgba32[] { new(0, 0, 0, 0), new(10, 20, 30, 128), new(1, 2, 3, 255), new(4, 5, 6, 255), new(7, 8, 9, 200), new(9, 9, 9, 255) };
        byte[] indices = RandomIndices(8 * 8, palette.Length, 3);
        byte[] png = Encode(8, 8, indices, palette);
        List<PngChunk> chunks = PngChunk.Parse(png);
        Assert.Equal(["IHDR", "PLTE", "tRNS", "IDAT", "IEND"], chunks.Select(c => c.Type));
        Assert.Equal(new byte[] { 0, 128, 255, 255, 200 }, chunks[2].Data);
        Assert.Equal(new byte[] { 0, 0, 0, 10, 20, 30, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 9 }, chunks[1].Data);

        Rgba32[] decoded = Fixtures.ReadPixels(png);
        for (int i = 0; i < indices.Length; i++)
        {
            Rgba32 expected = palette[indices[i]];
            if (expected.A == 0) Assert.Equal(0, decoded[i].A);
            else Assert.Equal(expected, decoded[i]);
        }
    }

    [Fact]
    public void Chunk_crcs_and_the_zlib_stream_are_valid()
    {
        Rgba32[] palette = DistinctOpaque(40);
        const int width = 300, height = 200;
        byte[] indices = RandomIndices(width * height, palette.Length, 9);
        foreach (int bands in new[] { 1, 2, 3, 7 })
        {
            byte[] png = Encode(width, height, indices, palette, threads: 2, bands: bands);
            foreach (PngChunk chunk in PngChunk.Parse(png))
            {
                byte[] typed = [.. Encoding.ASCII.GetBytes(chunk.Type), .. chunk.Data];
                Assert.Equal(BitwiseCrc32(typed), chunk.Crc);
            }
            byte[] idat = PngChunk.Parse(png).Single(c => c.Type == "IDAT").Data;
            // ZLibStream checks the Adler-32 trailer, so the combined checksum of the bands is verified here.
            using var inflate = new ZLibStream(new MemoryStream(idat), CompressionMode.Decompress);
            var raw = new MemoryStream();
            inflate.CopyTo(raw);
            byte[] scanlines = raw.ToArray();
            Assert.Equal((width + 1) * height, scanlines.Length);
            // The joined bands, most of them with redrawn blocks, are one stream ending in one final block with nothing
            // after it: the runtime's inflater would also accept a stream without one, or cut short by one too early.
            (uint[] _, DeflateTokenReader reader) = DeflateTokenReader.Read(idat[2..^4]);
            Assert.True(reader.FinalBlockSeen);
            Assert.True(reader.InputConsumed);
            Assert.Equal(scanlines.Length, reader.RawLength);
            Assert.Equal(indices, PaletteReferenceDecoder.Decode(png).Indices);
            Assert.Equal(Adler(scanlines), BinaryPrimitives.ReadUInt32BigEndian(idat.AsSpan(idat.Length - 4)));
        }
    }

    [Fact]
    public void Several_deflate_bands_decode_to_the_same_pixels_as_one()
    {
        Rgba32[] palette = DistinctOpaque(200);
        const int width = 257, height = 301;
        byte[] indices = RandomIndices(width * height, palette.Length, 5);
        byte[] one = Encode(width, height, indices, palette, threads: 1, bands: 1);
        byte[] four = Encode(width, height, indices, palette, threads: 2, bands: 4);
        Assert.Equal(Fixtures.ReadPixels(one), Fixtures.ReadPixels(four));
    }

    [Theory]
    [InlineData(100_000, 1)]
    [InlineData(256 * 1024 - 1, 1)]
    [InlineData(256 * 1024, 2)]
    [InlineData(2 * 1024 * 1024 - 1, 2)]
    [InlineData(4L * 1024 * 1024, 4)]
    [InlineData(64L * 1024 * 1024, 16)]
    [InlineData(1L << 33, 16)]
    public void The_default_level_deflates_in_two_bands_from_256_KiB_of_scanlines_and_one_a_MiB_beyond(long rawLength, int bands)
    {
        Assert.Equal(bands, PalettePngEncoder.PrimedBandCount(rawLength));
    }

    [Fact]
    public void A_second_band_reaches_back_into_the_first_so_a_join_costs_next_to_nothing()
    {
        // Every row is the same random row: one band spells it out once and then matches it; a band deflated on its own
        // would spell it out again (600 bytes of noise), a band primed with the one before it matches it from there.
        Rgba32[] palette = DistinctOpaque(256);
        const int width = 600, height = 500; // 300 KB of scanlines: two bands at the default
        byte[] row = RandomIndices(width, palette.Length, 11);
        byte[] indices = [.. Enumerable.Range(0, width * height).Select(i => row[i % width])];
        Assert.Equal(2, PalettePngEncoder.PrimedBandCount((long)(width + 1) * height));
        byte[] one = Encode(width, height, indices, palette, threads: 1, bands: 1);
        byte[] two = Encode(width, height, indices, palette, threads: 2);
        Assert.Equal(indices, Fixtures.ReadPixels(two).Select(p => (byte)p.R).ToArray());
        Assert.True(two.Length < one.Length + 100, $"two bands {two.Length} bytes, one band {one.Length}");
    }

    [Fact]
    public void The_file_does_not_depend_on_the_thread_count()
    {
        Rgba32[] palette = DistinctOpaque(100);
        const int width = 1500, height = 1500; // 2.25 MB of scanlines: two bands
        var indices = new byte[width * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) indices[y * width + x] = (byte)((x / 7 + y / 11 + (x * y) % 3) % palette.Length);
        byte[] one = Encode(width, height, indices, palette, threads: 1);
        byte[] many = Encode(width, height, indices, palette, threads: 4);
        Assert.Equal(one, many);
        Assert.Equal(indices, Fixtures.ReadPixels(one).Select(p => (byte)p.R).ToArray());
    }

    [Theory]
    [InlineData(16, 1)]
    [InlineData(16, 3)]
    [InlineData(200, 1)]
    [InlineData(200, 2)]
    [InlineData(3, 1)]
    public void Every_compression_level_gives_the_same_pixels_and_SmallestSize_is_smaller(int paletteSize, int bands)
    {
        Rgba32[] palette = DistinctOpaque(paletteSize);
        const int width = 333, height = 240;
        var random = new Random(paletteSize + bands);
        var indices = new byte[width * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                indices[y * width + x] = (byte)((x / 9 + y / 7 + (random.Next(5) == 0 ? 1 : 0)) % paletteSize);
        var sizes = new Dictionary<CompressionLevel, int>();
        foreach (CompressionLevel level in Enum.GetValues<CompressionLevel>())
        {
            byte[] png = EncodeAt(level, threads: 1);
            PaletteReferenceDecoder.Decoded decoded = PaletteReferenceDecoder.Decode(png);
            Assert.Equal(indices, decoded.Indices);
            byte[] idat = [.. PngChunk.Parse(png).Where(c => c.Type == "IDAT").SelectMany(c => c.Data)];
            // The zlib header's level field: fastest for Fastest and NoCompression, maximum otherwise.
            Assert.Equal(level is CompressionLevel.Fastest or CompressionLevel.NoCompression ? 0x01 : 0xDA, idat[1]);
            if (level == CompressionLevel.NoCompression)
                Assert.True(idat.Length > decoded.Filters.Length + (long)width * height * decoded.BitDepth / 8, "stored, not deflated");
            sizes[level] = png.Length;
        }
        Assert.True(sizes[CompressionLevel.SmallestSize] < sizes[CompressionLevel.Optimal], $"{sizes[CompressionLevel.SmallestSize]} vs {sizes[CompressionLevel.Optimal]}");
        Assert.True(sizes[CompressionLevel.Optimal] < sizes[CompressionLevel.Fastest]);
        Assert.True(sizes[CompressionLevel.Fastest] < sizes[CompressionLevel.NoCompression]);
        Assert.Equal(EncodeAt(CompressionLevel.SmallestSize, threads: 1), EncodeAt(CompressionLevel.SmallestSize, threads: 4));

        byte[] EncodeAt(CompressionLevel level, int threads)
        {
            using var ms = new MemoryStream();
            PalettePngEncoder.Write(ms, width, height, indices, palette, threads, bands, TestContext.Current.CancellationToken, level);
            return ms.ToArray();
        }
    }

    [Fact]
    public void Adler32_combine_matches_the_checksum_of_the_concatenation()
    {
        var random = new Random(11);
        foreach (int split in new[] { 0, 1, 5551, 5552, 70000 })
        {
            var data = new byte[100_000];
            random.NextBytes(data);
            uint a = Adler32.Compute(data.AsSpan(0, split));
            uint b = Adler32.Compute(data.AsSpan(split));
            Assert.Equal(Adler(data), PalettePngEncoder.Adler32Combine(a, b, data.Length - split));
            Assert.Equal(Adler(data), Adler32.Compute(data));
        }
    }

    [Fact]
    public void Rejects_indices_outside_the_palette_and_oversized_palettes()
    {
        var stream = new MemoryStream();
        Assert.Throws<ArgumentException>(() => PalettePngEncoder.Write(stream, 2, 1, new byte[] { 0, 3 }, DistinctOpaque(3),
            cancellationToken: TestContext.Current.CancellationToken));
        Assert.Throws<ArgumentException>(() => PalettePngEncoder.Write(stream, 1, 1, new byte[] { 0 }, new Rgba32[257],
            cancellationToken: TestContext.Current.CancellationToken));
        Assert.Throws<ArgumentException>(() => PalettePngEncoder.Write(stream, 2, 2, new byte[] { 0 }, DistinctOpaque(2),
            cancellationToken: TestContext.Current.CancellationToken));
    }

    /// <summary>Bit-by-bit CRC-32, independent of the encoder's table.</summary>
    private static uint BitwiseCrc32(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (uint)-(int)(crc & 1));
        }
        return ~crc;
    }

    /// <summary>Adler-32 by its definition, modulo at every step.</summary>
    private static uint Adler(ReadOnlySpan<byte> data)
    {
        uint a = 1, b = 0;
        foreach (byte x in data) { a = (a + x) % 65521; b = (b + a) % 65521; }
        return (b << 16) | a;
    }
}
