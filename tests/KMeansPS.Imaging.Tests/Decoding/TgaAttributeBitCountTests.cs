using System.Buffers.Binary;
using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Tests.Corpus;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Decoding;

/// <summary>
/// A TGA header's count of attribute bits (the low four bits of byte 17), 0-15, on every depth (8 and 16-bit grey,
/// 15, 16, 24 and 32-bit true colour, 8-bit indices into 16, 24 and 32-bit colour maps), raw and run-length encoded.
/// The readings expected are ImageMagick 6.9's and PIL 9.4's (convert x.tga rgba:-, Image.open), checked against them
/// on every file of this seeded corpus: a 32-bit pixel's fourth byte is alpha whatever the count; a 15 or 16-bit pixel's
/// top bit is alpha when the count is not 0 (ImageMagick; PIL shows 16-bit files opaque and reads no 15-bit file); a
/// 16-bit grey pixel's second byte is alpha under every count (PIL; ImageMagick reads no grey the file holds, see
/// <see cref="TgaReferenceReaderTests"/>); 8-bit grey and 24-bit pixels are opaque, colour-mapped ones take their colour
/// map's entry (a 16-bit entry opaque under every count). Counts other than 0, 1 and 8 were refused as unsupported; they
/// are read, with a warning that gives the count. ImageSharp's own readings under 0, 1 and 8 where they were not those
/// readers' (a 16-bit grey pixel's alpha with its top bit set under 0, a 16-bit colour map entry's top bit as alpha under
/// 1 and 8) are gone too.
/// </summary>
public sealed class TgaAttributeBitCountTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void EveryCountIsReadAsImageMagickAndPilReadIt(int seed)
    {
        var random = new Random(seed);
        int files = 0;
        foreach ((TgaKind kind, int depth, int mapDepth) in TgaLayouts.All)
            for (int bits = 0; bits < 16; bits++)
                foreach (bool runLength in (bool[])[false, true])
                {
                    int width = 2 + random.Next(15), height = 2 + random.Next(9);
                    (byte[] file, Rgba32[] expected) = Tga(kind, depth, mapDepth, bits, runLength, width, height, random);
                    string what = $"{kind} {depth}-bit{(kind == TgaKind.Mapped ? $" ({mapDepth}-bit map)" : "")}, {bits} attribute bits, {(runLength ? "RLE" : "raw")}";
                    RgbaImage decoded = ImageDecoder.Decode(new MemoryStream(file), cancellationToken: TestContext.Current.CancellationToken);
                    Rgba32[] pixels = decoded.Pixels[..(width * height)];
                    int wrong = Enumerable.Range(0, pixels.Length).FirstOrDefault(i => pixels[i] != expected[i], -1);
                    Assert.True(wrong < 0, $"{what}: pixel {wrong} is {(wrong < 0 ? default : pixels[wrong])}, expected {(wrong < 0 ? default : expected[wrong])}");
                    if (bits is not (0 or 1 or 8))
                        Assert.Contains($"header gives {bits} attribute bits", decoded.DecodeWarning ?? "", StringComparison.Ordinal);
                    files++;
                }
        Assert.Equal(TgaLayouts.All.Length * 16 * 2, files);
    }

    [Fact]
    public void TheScannerReadsAFourBitCountOnA32BitFile()
    {
        (byte[] file, Rgba32[] expected) = Tga(TgaKind.TrueColour, 32, 0, 4, false, 3, 2, new Random(5));
        RgbaImage decoded = ImageDecoder.Decode(new MemoryStream(file), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(expected, decoded.Pixels[..6]);
        Assert.Equal("The 32-bit TGA's header gives 4 attribute bits, where a 32-bit pixel holds 8: its fourth byte is read as alpha, as ImageMagick and PIL read it.",
            decoded.DecodeWarning);
    }

    /// <summary>A 5-bit channel at 8 bits as ImageMagick and PIL expand it.</summary>
    private static byte Five(int word, int shift) => (byte)(((word >> shift) & 31) * 255 / 31);

    /// <summary>
    /// A top-down TGA of random pixels (and colour map of 16 random entries, every index within it; literal packets of up
    /// to 8 pixels when run-length encoded), with the pixels the readers' rules give it.
    /// </summary>
    private static (byte[] File, Rgba32[] Expected) Tga(TgaKind kind, int depth, int mapDepth, int bits, bool runLength, int width, int height, Random random)
    {
        int count = width * height, bytesPerPixel = (depth + 7) / 8, entries = 16, entryBytes = mapDepth / 8;
        byte[] map = new byte[kind == TgaKind.Mapped ? entries * entryBytes : 0];
        random.NextBytes(map);
        byte[] data = new byte[count * bytesPerPixel];
        random.NextBytes(data);
        if (kind == TgaKind.Mapped) for (int i = 0; i < count; i++) data[i] = (byte)random.Next(entries);
        var expected = new Rgba32[count];
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> p = data.AsSpan(i * bytesPerPixel, bytesPerPixel);
            expected[i] = kind switch
            {
                TgaKind.Grey when depth == 8 => new Rgba32(p[0], p[0], p[0], 255),
                // PIL's grey and alpha.
                TgaKind.Grey => new Rgba32(p[0], p[0], p[0], p[1]),
                TgaKind.TrueColour => depth switch
                {
                    32 => new Rgba32(p[2], p[1], p[0], p[3]),
                    24 => new Rgba32(p[2], p[1], p[0], 255),
                    _ => Word(BinaryPrimitives.ReadUInt16LittleEndian(p), bits != 0),
                },
                _ => Entry(map.AsSpan(p[0] * entryBytes, entryBytes)),
            };
        }
        var file = new List<byte>(new byte[18]);
        file[1] = (byte)(kind == TgaKind.Mapped ? 1 : 0);
        file[2] = (byte)((kind switch { TgaKind.Grey => 3, TgaKind.TrueColour => 2, _ => 1 }) + (runLength ? 8 : 0));
        if (kind == TgaKind.Mapped)
        {
            file[5] = (byte)entries;
            file[7] = (byte)mapDepth;
        }
        file[12] = (byte)width;
        file[14] = (byte)height;
        file[16] = (byte)depth;
        file[17] = (byte)(bits | 0x20); // top down
        file.AddRange(map);
        Corpus.TgaPixelData.Append(file, data, count, bytesPerPixel, runLength);
        return ([.. file], expected);
    }

    /// <summary>A 15 or 16-bit colour, its top bit alpha when it is read.</summary>
    private static Rgba32 Word(int word, bool alpha) =>
        new(Five(word, 10), Five(word, 5), Five(word, 0), !alpha || (word & 0x8000) != 0 ? (byte)255 : (byte)0);

    /// <summary>A colour map entry; a 16-bit one opaque whatever the count of attribute bits.</summary>
    private static Rgba32 Entry(ReadOnlySpan<byte> e) => e.Length switch
    {
        2 => Word(BinaryPrimitives.ReadUInt16LittleEndian(e), alpha: false),
        3 => new Rgba32(e[2], e[1], e[0], 255),
        _ => new Rgba32(e[2], e[1], e[0], e[3]),
    };
}
