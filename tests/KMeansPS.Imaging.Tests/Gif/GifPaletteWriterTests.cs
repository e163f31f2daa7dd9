using KMeansPS.Imaging.Gif;
using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Tests.Integrity;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Gif;

/// <summary>
/// The GIF writer keeps every index: seeded palettes of 1 to 256 entries, many of them a step apart (as dithering and
/// large K make them), with and without a transparent entry, and images large enough that the LZW table fills and
/// restarts many times; ImageSharp reads each file back to exactly the palette's colours at the indices, and the
/// integrity scan passes it.
/// </summary>
public class GifPaletteWriterTests
{
    [Fact]
    public void Every_pixel_reads_back_as_its_palette_entry()
    {
        var random = new Random(20261206);
        for (int file = 0; file < 60; file++)
        {
            int entries = file < 4 ? new[] { 1, 2, 3, 256 }[file] : random.Next(1, 257);
            int width = random.Next(1, 300), height = random.Next(1, file % 5 == 0 ? 400 : 40);
            var palette = new Rgba32[entries];
            var baseColour = new Rgba32((byte)random.Next(200), (byte)random.Next(200), (byte)random.Next(200), 255);
            for (int e = 0; e < entries; e++)
            {
                // Half the entries one or two steps from a common colour: ImageSharp's own encoder mixed such entries up.
                palette[e] = random.Next(2) == 0
                    ? new Rgba32((byte)(baseColour.R + random.Next(3)), (byte)(baseColour.G + random.Next(3)), (byte)(baseColour.B + e % 3), 255)
                    : new Rgba32((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), 255);
            }
            if (entries > 1 && random.Next(3) == 0) palette[random.Next(entries)] = default; // a transparent entry
            var indices = new byte[width * height];
            for (int i = 0; i < indices.Length; i++)
                indices[i] = (byte)(random.Next(3) == 0 && i > 0 ? indices[i - 1] : random.Next(entries)); // runs and noise
            using var output = new MemoryStream();
            GifPaletteWriter.Write(output, width, height, indices, palette, TestContext.Current.CancellationToken);
            byte[] gif = output.ToArray();

            string context = $"file {file}: {width} x {height}, {entries} entries";
            Assert.True(FileIntegrity.Check(gif).Verdict == IntegrityVerdict.Intact, context);
            Rgba32[] decoded = ImageSharpOracle.Decode(gif).Frames?[0] ?? throw new Xunit.Sdk.XunitException($"{context}: ImageSharp failed");
            for (int i = 0; i < indices.Length; i++)
            {
                Rgba32 expected = palette[indices[i]];
                Rgba32 got = decoded[i];
                bool same = expected.A == 0 ? got.A == 0 : got == expected;
                Assert.True(same, $"{context}: pixel {i} is {got}, its entry {indices[i]} is {expected}");
            }
        }
    }

    [Fact]
    public void Refuses_what_a_gif_cannot_hold()
    {
        Assert.Throws<ArgumentException>(() => GifPaletteWriter.Write(Stream.Null, 1, 1, [0], [new Rgba32(1, 2, 3, 128)], TestContext.Current.CancellationToken));
        Assert.Throws<ArgumentException>(() => GifPaletteWriter.Write(Stream.Null, 1, 1, [1], [new Rgba32(1, 2, 3, 255)], TestContext.Current.CancellationToken));
        Assert.Throws<ArgumentException>(() => GifPaletteWriter.Write(Stream.Null, 70_000, 1, new byte[70_000], [new Rgba32(1, 2, 3, 255)], TestContext.Current.CancellationToken));
    }
}
