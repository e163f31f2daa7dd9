using System.Buffers.Binary;
using KMeansPS.Imaging.Decoding;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Decoding;

/// <summary>
/// A true-colour TGA's attribute bits (a 32-bit pixel's fourth byte, a 16-bit pixel's top bit) against the header's
/// count of attribute bits (byte 17: 0, 1 or 8) and a TGA 2.0 extension area's attributes type (0 no alpha, 1 and 2
/// undefined, 3 alpha, 4 premultiplied, 5 not defined), uncompressed and run-length encoded. The readings expected are
/// ImageMagick 6.9's (convert x.tga rgba:-), checked against it and PIL 9.4 on every file of these seeded corpora: both
/// read a 32-bit pixel's fourth byte as alpha whatever the header and extension area say, ImageMagick a 16-bit pixel's
/// top bit when the header gives attribute bits (PIL shows 16-bit files opaque), neither reads the extension area nor
/// undoes premultiplication. One exception, as a BMP's all-zero fourth byte is read: attribute bits 0 in every pixel that
/// nothing calls alpha (no attribute bits in the header, or an extension area type 0, 1 or 2) are opaque, where those
/// readers show the picture wholly transparent. ImageSharp 2.1 read a 32-bit file of 0 attribute bits opaque whatever
/// its fourth byte held, and said nothing of any of this.
/// </summary>
public sealed class TgaAlphaTests
{
    private static readonly string[] AlphaKinds = ["random", "zero", "full", "binary"];
    private static readonly int?[] ExtensionTypes = [null, 0, 1, 2, 3, 4, 5];

    [Theory]
    [InlineData(32, 1)]
    [InlineData(32, 2)]
    [InlineData(16, 3)]
    [InlineData(16, 4)]
    public void AttributeBitsAreReadAsImageMagickReadsThemUnlessAllZeroAndCalledNoAlpha(int depth, int seed)
    {
        var random = new Random(seed);
        int files = 0;
        foreach (string kind in AlphaKinds)
            foreach (int bits in (int[])[0, 1, 8])
                foreach (int? extension in ExtensionTypes)
                    foreach (bool runLength in (bool[])[false, true])
                    {
                        int width = 1 + random.Next(20), height = 1 + random.Next(12);
                        (byte[] file, byte[] attribute, Rgba32[] colours) = Tga(depth, bits, extension, runLength, kind, width, height, random);
                        string what = $"{depth}-bit, {bits} attribute bits, extension {extension?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, {kind} attributes, {(runLength ? "RLE" : "raw")}";
                        RgbaImage decoded = ImageDecoder.Decode(new MemoryStream(file), cancellationToken: TestContext.Current.CancellationToken);
                        Rgba32[] pixels = decoded.Pixels[..(width * height)];

                        bool calledNoAlpha = bits == 0 || extension is 0 or 1 or 2;
                        bool allZero = attribute.All(a => a == 0);
                        bool opaque = (depth == 16 && bits == 0) || (allZero && calledNoAlpha);
                        byte[] expected = attribute.Select(a => opaque ? (byte)255 : depth == 32 ? a : (byte)(a * 255)).ToArray();
                        Assert.True(expected.SequenceEqual(pixels.Select(p => p.A)), $"{what}: alpha {string.Join(',', pixels.Take(8).Select(p => p.A))}...");
                        if (colours.Length > 0) Assert.True(colours.SequenceEqual(pixels.Select(p => new Rgba32(p.R, p.G, p.B, 0))), $"{what}: colours");

                        bool odd = (allZero && calledNoAlpha && !(depth == 16 && bits == 0)) || (depth == 32 && bits == 0) || (depth == 16 && bits == 8)
                            || (extension is 0 or 1 or 2 or 4 && !(depth == 16 && bits == 0)) || (depth == 16 && bits == 0 && extension is 3 or 4);
                        Assert.True(odd == decoded.DecodeWarning is not null, $"{what}: the warning: {decoded.DecodeWarning ?? "none"}");
                        if (opaque && depth == 32) Assert.Contains("read as opaque, where ImageMagick and PIL show the picture wholly transparent", decoded.DecodeWarning, StringComparison.Ordinal);
                        if (extension == 4 && !(depth == 16 && bits == 0) && !opaque) Assert.Contains("premultiplied", decoded.DecodeWarning, StringComparison.Ordinal);
                        files++;
                    }
        Assert.Equal(AlphaKinds.Length * 3 * ExtensionTypes.Length * 2, files);
    }

    [Theory]
    [InlineData(16, 5)]
    [InlineData(32, 6)]
    public void AWarningNamesEveryCountOfAttributeBitsOtherThanThePixelsOwn(int depth, int seed)
    {
        // Counts 2-15 (8 on a 16-bit pixel too) under every extension area and kind of attribute bits: an all-zero top
        // bit under an extension area that calls it no alpha was read as opaque with a warning that named no count.
        var random = new Random(seed);
        var unnamed = new List<string>();
        foreach (string kind in AlphaKinds)
            for (int bits = 2; bits < 16; bits++)
                foreach (int? extension in ExtensionTypes)
                {
                    if (depth == 32 && bits == 8) continue;
                    (byte[] file, _, _) = Tga(depth, bits, extension, random.Next(2) == 0, kind, 1 + random.Next(9), 1 + random.Next(5), random);
                    string? warning = ImageDecoder.Decode(new MemoryStream(file), cancellationToken: TestContext.Current.CancellationToken).DecodeWarning;
                    if (warning is null || !warning.Contains($"header gives {bits} attribute bits", StringComparison.Ordinal))
                        unnamed.Add($"{kind}, {bits} bits, extension {extension?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}: {warning ?? "no warning"}");
                }
        Assert.True(unnamed.Count == 0, $"{unnamed.Count} warnings name no count: {string.Join(" | ", unnamed.Take(4))}");
    }

    [Fact]
    public void AnAllZeroFourthByteUnderNoAttributeBitsIsOpaqueWithAWarning()
    {
        (byte[] file, _, _) = Tga(32, 0, null, false, "zero", 5, 3, new Random(7));
        RgbaImage decoded = ImageDecoder.Decode(new MemoryStream(file), cancellationToken: TestContext.Current.CancellationToken);
        Assert.All(decoded.Pixels[..15], p => Assert.Equal(255, p.A));
        Assert.Equal("The 32-bit TGA's fourth byte is 0 in every pixel and its header gives no attribute (alpha) bits: read as opaque, "
            + "where ImageMagick and PIL show the picture wholly transparent.", decoded.DecodeWarning);
    }

    /// <summary>
    /// A top-down true-colour TGA (type 2, or 10 with literal packets of up to 8 pixels), with a TGA 2.0 extension area
    /// and footer when <paramref name="extension"/> gives its attributes type; the pixels' attribute values (the fourth
    /// byte, or the top bit as 0 or 1), and for 32-bit files their colours (alpha 0).
    /// </summary>
    private static (byte[] File, byte[] Attribute, Rgba32[] Colours) Tga(int depth, int bits, int? extension, bool runLength, string kind,
        int width, int height, Random random)
    {
        int count = width * height, bytesPerPixel = depth / 8;
        byte[] attribute = new byte[count];
        var colours = new Rgba32[depth == 32 ? count : 0];
        byte[] data = new byte[count * bytesPerPixel];
        for (int i = 0; i < count; i++)
        {
            int top = depth == 32 ? 255 : 1;
            attribute[i] = kind switch
            {
                "zero" => 0,
                "full" => (byte)top,
                "binary" => random.Next(2) == 0 ? (byte)0 : (byte)top,
                _ => (byte)random.Next(top + 1),
            };
            if (depth == 32)
            {
                byte b = (byte)random.Next(256), g = (byte)random.Next(256), r = (byte)random.Next(256);
                (data[4 * i], data[4 * i + 1], data[4 * i + 2], data[4 * i + 3]) = (b, g, r, attribute[i]);
                colours[i] = new Rgba32(r, g, b, 0);
            }
            else BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(2 * i), (ushort)(random.Next(1 << 15) | attribute[i] << 15));
        }
        var file = new List<byte>(new byte[18]);
        file[2] = (byte)(runLength ? 10 : 2);
        file[12] = (byte)width;
        file[14] = (byte)height;
        file[16] = (byte)depth;
        file[17] = (byte)(bits | 0x20); // top down
        Corpus.TgaPixelData.Append(file, data, count, bytesPerPixel, runLength);
        if (extension is int type)
        {
            int area = file.Count;
            byte[] extensionArea = new byte[495];
            BinaryPrimitives.WriteUInt16LittleEndian(extensionArea, 495);
            extensionArea[494] = (byte)type;
            file.AddRange(extensionArea);
            file.AddRange(BitConverter.GetBytes(area));
            file.AddRange(new byte[4]);
            file.AddRange("TRUEVISION-XFILE.\0"u8.ToArray());
        }
        return ([.. file], attribute, colours);
    }
}
