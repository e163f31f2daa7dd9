using KMeansPS.Imaging.Png;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Png;

/// <summary>
/// 16-bit PNGs decoded straight into 16-bit pixels give exactly ImageSharp's: seeded images of every colour type,
/// written by ImageSharp's encoder with each filter (so every filter type is undone at two bytes a sample).
/// </summary>
public class PngWideDecoderTests
{
    private static readonly (PngColorType Type, byte Code)[] ColorTypes =
        [(PngColorType.Grayscale, 0), (PngColorType.Rgb, 2), (PngColorType.GrayscaleWithAlpha, 4), (PngColorType.RgbWithAlpha, 6)];

    private static readonly PngFilterMethod[] Filters =
        [PngFilterMethod.None, PngFilterMethod.Sub, PngFilterMethod.Up, PngFilterMethod.Average, PngFilterMethod.Paeth, PngFilterMethod.Adaptive];

    private static byte[] Encode(int width, int height, int seed, PngColorType colorType, PngFilterMethod filter)
    {
        var random = new Random(seed);
        using var image = new Image<Rgba64>(width, height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                // Smooth with noise, so the filters have something to predict, and runs of equal pixels.
                ushort Ramp(int c) => (ushort)Math.Clamp(65535 * (x + c * y) / (width + c * height) + random.Next(-2000, 2001), 0, 65535);
                image[x, y] = random.Next(8) == 0 && x > 0 ? image[x - 1, y] : new Rgba64(Ramp(0), Ramp(1), Ramp(2), (ushort)random.Next(65536));
            }
        using var stream = new MemoryStream();
        image.SaveAsPng(stream, new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = colorType, FilterMethod = filter });
        return stream.ToArray();
    }

    [Fact]
    public void Every_colour_type_and_filter_decodes_as_ImageSharp_decodes_it()
    {
        var random = new Random(1213);
        foreach ((PngColorType type, byte code) in ColorTypes)
            foreach (PngFilterMethod filter in Filters)
            {
                int width = random.Next(1, 70), height = random.Next(1, 30);
                byte[] file = Encode(width, height, random.Next(), type, filter);
                PngPlan? plan = PngPlan.TryRead(file);
                Assert.NotNull(plan);
                Assert.Equal(16, plan.BitDepth);
                Assert.Equal(code, plan.ColorType);
                var decoded = new Rgba64[width * height];
                Assert.True(PngWideDecoder.Decode(plan, file, decoded, TestContext.Current.CancellationToken), $"{type} {filter}");
                using Image<Rgba64> expected = Image.Load<Rgba64>(file);
                var pixels = new Rgba64[width * height];
                expected.CopyPixelDataTo(pixels);
                Assert.Equal(pixels, decoded);
                // The 8-bit decoder leaves these to this one.
                Assert.False(PngFastDecoder.Decode(plan, file, new Rgba32[width * height], null, TestContext.Current.CancellationToken));
            }
    }

    [Fact]
    public void Image_data_cut_short_or_corrupt_is_refused()
    {
        byte[] file = Encode(40, 20, 7, PngColorType.Rgb, PngFilterMethod.Paeth);
        PngPlan plan = PngPlan.TryRead(file)!;
        // The IDAT's last bytes flipped: the zlib data or its checksum is wrong, or the CRC no longer matches.
        for (int back = 1; back <= 6; back++)
        {
            byte[] damaged = (byte[])file.Clone();
            damaged[plan.IdatEnd - 4 - back] ^= 0x5A;
            Assert.False(PngWideDecoder.Decode(PngPlan.TryRead(damaged)!, damaged, new Rgba64[800], TestContext.Current.CancellationToken), $"byte {back} from the end");
        }
    }
}
