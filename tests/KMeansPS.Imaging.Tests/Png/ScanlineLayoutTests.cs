using System.IO.Compression;
using KMeansPS.Imaging.Palettes;
using KMeansPS.Imaging.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Png;

/// <summary>The encoder's choice of bit depth and filter: valid streams, the same pixels, never more bytes than the plain layout.</summary>
public class ScanlineLayoutTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>One image kind: indices for a palette of the given size, and the palette.</summary>
    public enum Kind { Noise, TranslucentRamp, Smooth, FlatBlocks }

    private static (byte[] Indices, Rgba32[] Palette) Make(Kind kind, int width, int height, int paletteSize, int seed)
    {
        var random = new Random(seed);
        var palette = new Rgba32[paletteSize];
        var indices = new byte[width * height];
        switch (kind)
        {
            case Kind.TranslucentRamp:
                // Non-opaque entries first in order of alpha, as PaletteOrdering leaves them; a vertical ramp of
                // alpha over the left half, a flat opaque colour on the right.
                for (int e = 0; e < paletteSize; e++)
                    palette[e] = new Rgba32(30, 90, 200, (byte)(e == paletteSize - 1 ? 255 : e * 255 / paletteSize));
                for (int y = 0; y < height; y++)
                    for (int x = 0; x < width; x++)
                        indices[y * width + x] = x < width / 2 ? (byte)((long)y * (paletteSize - 1) / height) : (byte)(paletteSize - 1);
                break;
            case Kind.Smooth:
                for (int e = 0; e < paletteSize; e++) palette[e] = new Rgba32((byte)(e * 255 / paletteSize), (byte)random.Next(256), 120, 255);
                for (int y = 0; y < height; y++)
                    for (int x = 0; x < width; x++)
                    {
                        double v = (Math.Sin(x / 23.0) * Math.Cos(y / 17.0) + 1) / 2 * (paletteSize - 1) + random.NextDouble() - 0.5;
                        indices[y * width + x] = (byte)Math.Clamp((int)Math.Round(v), 0, paletteSize - 1);
                    }
                break;
            case Kind.FlatBlocks:
                for (int e = 0; e < paletteSize; e++) palette[e] = new Rgba32((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), 255);
                for (int y = 0; y < height; y++)
                    for (int x = 0; x < width; x++)
                        indices[y * width + x] = (byte)((x / 40 * 7 + y / 25 * 3) % paletteSize);
                break;
            default:
                for (int e = 0; e < paletteSize; e++) palette[e] = new Rgba32((byte)e, (byte)(255 - e), (byte)(e * 37), (byte)(e % 3 == 0 ? 128 : 255));
                for (int i = 0; i < indices.Length; i++) indices[i] = (byte)random.Next(paletteSize);
                break;
        }
        return (indices, palette);
    }

    private static byte[] Encode(int width, int height, byte[] indices, Rgba32[] palette, int threads = 1)
    {
        using var ms = new MemoryStream();
        PalettePngEncoder.Write(ms, width, height, indices, palette, threads, bands: null, Ct);
        return ms.ToArray();
    }

    /// <summary>The IDAT a plain encoder writes: every row filter None at <paramref name="depth"/>, one zlib stream at the smallest size.</summary>
    private static long PlainIdatLength(int width, int height, byte[] indices, int depth)
    {
        int rowBytes = (width * depth + 7) / 8;
        var raw = new byte[(rowBytes + 1) * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int bit = x * depth;
                raw[y * (rowBytes + 1) + 1 + bit / 8] |= (byte)(indices[y * width + x] << (8 - depth - bit % 8));
            }
        using var ms = new MemoryStream();
        using (var zlib = new ZLibStream(ms, CompressionLevel.SmallestSize, leaveOpen: true)) zlib.Write(raw);
        return ms.Length;
    }

    private static long IdatLength(byte[] png) => PngChunk.Parse(png).Where(c => c.Type == "IDAT").Sum(c => (long)c.Data.Length);

    public static TheoryData<Kind, int> KindsAndSizes()
    {
        var data = new TheoryData<Kind, int>();
        foreach (Kind kind in Enum.GetValues<Kind>())
            foreach (int size in new[] { 2, 3, 4, 5, 16, 17, 64, 256 }) data.Add(kind, size);
        return data;
    }

    [Theory]
    [MemberData(nameof(KindsAndSizes))]
    public void Every_layout_decodes_to_the_same_pixels_with_ImageSharp_and_by_the_specification(Kind kind, int paletteSize)
    {
        // A small image (every layout tried whole) and one above the whole-trial size (ranked on a sample).
        foreach ((int width, int height) in new[] { (61, 37), (701, 333) })
        {
            (byte[] indices, Rgba32[] palette) = Make(kind, width, height, paletteSize, seed: paletteSize + width);
            byte[] png = Encode(width, height, indices, palette);

            PaletteReferenceDecoder.Decoded reference = PaletteReferenceDecoder.Decode(png);
            Assert.Contains(reference.BitDepth, new[] { PalettePngEncoder.BitDepthFor(paletteSize), 8 });
            Assert.Single(reference.Filters.Distinct());
            Assert.Contains(reference.Filters[0], new byte[] { ScanlineLayout.None, ScanlineLayout.Up });
            Assert.Equal(indices, reference.Indices);

            Rgba32[] imageSharp = Fixtures.ReadPixels(png);
            for (int i = 0; i < indices.Length; i++)
            {
                Rgba32 expected = palette[indices[i]];
                Assert.Equal(expected, reference.Pixels[i]);
                if (expected.A == 0) Assert.Equal(0, imageSharp[i].A);
                else Assert.Equal(expected, imageSharp[i]);
            }
        }
    }

    /// <summary>
    /// The Up filter's rows, the encoder's only vector code (a byte difference a vector at a time, then the tail), at
    /// widths around a vector's length: translucent ramps take Up, and every row decodes to its indices. Small, so the
    /// ARM64 legs run it where they leave out the whole layout sweep above.
    /// </summary>
    [Fact]
    public void Up_filtered_rows_decode_to_their_indices_at_widths_around_a_vector()
    {
        int up = 0;
        foreach (int paletteSize in new[] { 16, 256 })
            foreach (int width in new[] { 2, 15, 16, 17, 31, 32, 33, 63, 64, 65, 129 })
            {
                (byte[] indices, Rgba32[] palette) = Make(Kind.TranslucentRamp, width, 40, paletteSize, seed: width);
                PaletteReferenceDecoder.Decoded decoded = PaletteReferenceDecoder.Decode(Encode(width, 40, indices, palette));
                Assert.Equal(indices, decoded.Indices);
                if (decoded.Filters[0] == ScanlineLayout.Up) up++;
            }
        Assert.True(up >= 8, $"only {up} of 22 images took Up");
    }

    /// <summary>What a join between two deflate bands may cost over one stream.</summary>
    private const int JoinAllowance = 256;

    [Theory]
    [MemberData(nameof(KindsAndSizes))]
    public void The_image_data_is_never_larger_than_the_plain_layout(Kind kind, int paletteSize)
    {
        // The two larger sizes are above WholeTrialBytes at every depth, so a sample ranks their layouts; the last is wide.
        foreach ((int width, int height) in new[] { (61, 37), (701, 333), (1501, 403) })
        {
            (byte[] indices, Rgba32[] palette) = Make(kind, width, height, paletteSize, seed: 3 * paletteSize + width);
            long ours = IdatLength(Encode(width, height, indices, palette));
            int depth = PalettePngEncoder.BitDepthFor(paletteSize);
            // From 256 KiB of scanlines the stream is two bands or more (deflated side by side), each join allowed the
            // blocks it ends and starts (their code headers): 37-221 bytes on the flat blocks at 1501 x 403.
            long joins = PalettePngEncoder.PrimedBandCount((long)((width * depth + 7) / 8 + 1) * height) - 1;
            long plain = PlainIdatLength(width, height, indices, depth);
            Assert.True(ours <= plain + joins * JoinAllowance, $"{kind} K={paletteSize} {width}x{height}: {ours} against {plain}");
            // Small images try 8 bits whole too.
            if ((long)((width * depth + 7) / 8 + 1) * height <= PalettePngEncoder.WholeTrialBytes) Assert.True(ours <= PlainIdatLength(width, height, indices, 8), $"{kind} K={paletteSize} at 8 bits");
        }
    }

    [Fact]
    public void A_translucent_ramp_takes_the_Up_filter_and_gets_smaller()
    {
        foreach ((int width, int height) in new[] { (61, 37), (701, 333) })
        {
            (byte[] indices, Rgba32[] palette) = Make(Kind.TranslucentRamp, width, height, 64, seed: 1);
            byte[] png = Encode(width, height, indices, palette);
            Assert.Equal(ScanlineLayout.Up, PaletteReferenceDecoder.Decode(png).Filters[0]);
            Assert.True(IdatLength(png) < PlainIdatLength(width, height, indices, 8));
        }
    }

    [Fact]
    public void The_layout_choice_does_not_depend_on_the_thread_count()
    {
        // One band (two layouts deflated side by side) and over 1 MiB at 8 bits (two bands, layouts in turn).
        foreach ((int width, int height) in new[] { (400, 300), (1200, 900) })
            foreach (Kind kind in Enum.GetValues<Kind>())
            {
                (byte[] indices, Rgba32[] palette) = Make(kind, width, height, 16, seed: 4);
                Assert.Equal(Encode(width, height, indices, palette, threads: 1), Encode(width, height, indices, palette, threads: 4));
            }
    }

    [Fact]
    public void Ordering_the_palette_keeps_every_pixel_colour()
    {
        foreach (Kind kind in Enum.GetValues<Kind>())
        {
            (byte[] indices, Rgba32[] palette) = Make(kind, 90, 70, 40, seed: 8);
            byte[] ordered = (byte[])indices.Clone();
            Rgba32[] compact = PaletteOrdering.CompactAndSort(palette, ordered);
            PaletteReferenceDecoder.Decoded decoded = PaletteReferenceDecoder.Decode(Encode(90, 70, ordered, compact));
            for (int i = 0; i < indices.Length; i++) Assert.Equal(palette[indices[i]], decoded.Pixels[i]);
            int lastTransparent = Array.FindLastIndex(compact, c => c.A != 255);
            Assert.All(compact.Take(lastTransparent + 1), c => Assert.NotEqual(255, c.A)); // non-opaque entries first
        }
    }
}
