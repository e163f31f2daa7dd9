using System.Buffers.Binary;
using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Integrity;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Integrity;

/// <summary>
/// TGA headers whose image type and the rest disagree: a grey image of 24 bits per pixel (ImageSharp made colour of
/// it, ImageMagick grey, PIL refuses it) is refused, saying why; a colour-mapped image without a colour map is damaged;
/// a true-colour or grey image that carries a colour map it does not use, which the format allows, is read as without
/// the map (ImageSharp alone refused it: "TGA image does not have a valid format").
/// </summary>
public sealed class TgaImageTypeTests
{
    private static byte[] Tga(int imageType, int depth, int width, int height, byte[] pixels, byte[]? colourMap = null, int mapDepth = 24)
    {
        byte[] header = new byte[18];
        header[2] = (byte)imageType;
        if (colourMap is not null)
        {
            header[1] = 1;
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(5), (ushort)(colourMap.Length / ((mapDepth + 7) / 8)));
            header[7] = (byte)mapDepth;
        }
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(12), (ushort)width);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(14), (ushort)height);
        header[16] = (byte)depth;
        return [.. header, .. colourMap ?? [], .. pixels];
    }

    [Fact]
    public void A_grey_image_of_24_bits_per_pixel_is_refused_saying_why()
    {
        IntegrityReport report = FileIntegrity.Check(Tga(3, 24, 4, 3, new byte[36]));
        Assert.Equal(IntegrityVerdict.Unsupported, report.Verdict);
        Assert.Contains("grey TGA (image type 3) gives 24 bits per pixel", report.Reason, StringComparison.Ordinal);
        Assert.Equal(IntegrityVerdict.Intact, FileIntegrity.Check(Tga(3, 8, 4, 3, new byte[12])).Verdict);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(9)]
    public void A_colour_mapped_image_without_a_colour_map_is_damaged(int imageType)
    {
        byte[] pixels = imageType == 9 ? [0x8B, 0] : new byte[12]; // one run of 12 pixels of index 0
        IntegrityReport report = FileIntegrity.Check(Tga(imageType, 8, 4, 3, pixels));
        Assert.Equal(IntegrityVerdict.Damaged, report.Verdict);
        Assert.Contains("has no colour map", report.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2, 24, 24)]
    [InlineData(3, 8, 24)]
    [InlineData(2, 32, 24)]
    [InlineData(2, 24, 15)] // two bytes an entry: ImageSharp gave every pixel transparent black
    [InlineData(2, 24, 16)]
    public void An_image_that_does_not_use_its_colour_map_is_read_as_without_it(int imageType, int depth, int mapDepth)
    {
        var random = new Random(imageType * 100 + depth);
        const int width = 7, height = 5;
        byte[] pixels = new byte[width * height * depth / 8];
        random.NextBytes(pixels);
        if (depth == 32) for (int i = 3; i < pixels.Length; i += 4) pixels[i] = 255;
        byte[] colourMap = new byte[(mapDepth + 7) / 8 * 9];
        random.NextBytes(colourMap);
        Rgba32[] plain = ImageDecoder.Decode(Tga(imageType, depth, width, height, pixels), 1 << 20, "plain.tga", TestContext.Current.CancellationToken).Pixels;
        byte[] mapped = Tga(imageType, depth, width, height, pixels, colourMap, mapDepth);
        Assert.Equal(IntegrityVerdict.Intact, FileIntegrity.Check(mapped).Verdict);
        Rgba32[] read = ImageDecoder.Decode(mapped, 1 << 20, "mapped.tga", TestContext.Current.CancellationToken).Pixels;
        Assert.Equal(plain, read);
        // Cut inside its pixels it is damaged: its pixels are depth / 8 bytes each, not a mapped image's one.
        Assert.Equal(IntegrityVerdict.Damaged, FileIntegrity.Check(mapped.AsMemory(0, mapped.Length - pixels.Length / 2)).Verdict);
    }
}
