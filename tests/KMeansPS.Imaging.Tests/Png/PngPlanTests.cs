using System.Text;
using KMeansPS.Imaging.Png;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Png;

/// <summary>What <see cref="PngPlan.TryRead"/> leaves to ImageSharp.</summary>
public class PngPlanTests
{
    // 16-bit files of the accepted layouts are planned (for PngWideDecoder, PngWideDecoderTests); interlaced ones are not.
    public static TheoryData<string> RefusedEncodings => ["palette", "adam7-rgb16", "grey1", "grey4", "adam7-rgb", "adam7-rgba"];

    [Theory]
    [MemberData(nameof(RefusedEncodings))]
    public void Refuses_what_it_does_not_decode(string kind)
    {
        var encoder = kind switch
        {
            "palette" => new PngEncoder { ColorType = PngColorType.Palette },
            "adam7-rgb16" => new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit16, InterlaceMethod = PngInterlaceMode.Adam7 },
            "grey1" => new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit1 },
            "grey4" => new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit4 },
            "adam7-rgb" => new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit8, InterlaceMethod = PngInterlaceMode.Adam7 },
            _ => new PngEncoder { ColorType = PngColorType.RgbWithAlpha, BitDepth = PngBitDepth.Bit8, InterlaceMethod = PngInterlaceMode.Adam7 },
        };
        using var stream = new MemoryStream();
        using (Image<Rgba32> image = Fixtures.ToImage(PngFiles.Noise(19, 11, 3))) image.Save(stream, encoder);
        byte[] file = stream.ToArray();
        Assert.NotNull(Fixtures.ReadPixels(file)); // a good file, only not ours
        Assert.Null(PngPlan.TryRead(file));
    }

    public static TheoryData<string> RefusedLayouts =>
    [
        "tRNS", "PLTE", "zTXt", "unknown-critical", "split-idat", "no-iend", "no-idat", "ihdr-crc", "iend-crc",
        "empty-idat", "one-byte-first-idat", "chunk-before-ihdr", "zero-width", "zero-height", "huge", "interlace-2", "compression-1", "filter-method-1",
        "short-pHYs", "legacy-exif-text", "two-eXIf", "compressed-iTXt", "broken-iTXt", "length-past-end", "short-ihdr",
        "bad-signature",
    ];

    [Theory]
    [MemberData(nameof(RefusedLayouts))]
    public void Refuses_layouts_left_to_ImageSharp(string kind)
    {
        var random = new Random(11);
        byte[] raw = PngFiles.RandomScanlines(random, 6, 4, 3, [0, 1, 2, 3, 4]);
        byte[] zlib = PngFiles.Zlib(raw);
        byte[] ihdr = PngFiles.Ihdr(6, 4, 8, 2, 0);
        var chunks = new List<byte[]> { PngFiles.Chunk("IHDR", ihdr), PngFiles.Chunk("IDAT", zlib), PngFiles.Chunk("IEND", []) };
        byte[] text(string s) => Encoding.Latin1.GetBytes(s);
        switch (kind)
        {
            case "tRNS": chunks.Insert(1, PngFiles.Chunk("tRNS", [0, 1, 0, 2, 0, 3])); break;
            case "PLTE": chunks.Insert(1, PngFiles.Chunk("PLTE", [1, 2, 3, 4, 5, 6])); break;
            case "zTXt": chunks.Insert(1, PngFiles.Chunk("zTXt", [.. text("Comment\0\0"), .. PngFiles.Zlib(text("hello"))])); break;
            case "unknown-critical": chunks.Insert(1, PngFiles.Chunk("ABCD", [1, 2, 3])); break;
            case "split-idat":
                chunks[1] = PngFiles.Chunk("IDAT", zlib[..5]);
                chunks.Insert(2, PngFiles.Chunk("tEXt", text("Comment\0x")));
                chunks.Insert(3, PngFiles.Chunk("IDAT", zlib[5..]));
                break;
            case "no-iend": chunks.RemoveAt(2); break;
            case "no-idat": chunks.RemoveAt(1); break;
            case "empty-idat": chunks.Insert(2, PngFiles.Chunk("IDAT", [])); break;
            case "one-byte-first-idat":
                chunks[1] = PngFiles.Chunk("IDAT", zlib[..1]);
                chunks.Insert(2, PngFiles.Chunk("IDAT", zlib[1..]));
                break;
            case "ihdr-crc": chunks[0][^1] ^= 1; break;
            case "iend-crc": chunks[2][^1] ^= 1; break;
            case "chunk-before-ihdr": chunks.Insert(0, PngFiles.Chunk("gAMA", [0, 0, 0xB1, 0x8F])); break;
            case "zero-width": chunks[0] = PngFiles.Chunk("IHDR", PngFiles.Ihdr(0, 4, 8, 2, 0)); break;
            case "zero-height": chunks[0] = PngFiles.Chunk("IHDR", PngFiles.Ihdr(6, 0, 8, 2, 0)); break;
            case "huge": chunks[0] = PngFiles.Chunk("IHDR", PngFiles.Ihdr(int.MaxValue, int.MaxValue, 8, 2, 0)); break;
            case "interlace-2": ihdr[12] = 2; chunks[0] = PngFiles.Chunk("IHDR", ihdr); break;
            case "compression-1": ihdr[10] = 1; chunks[0] = PngFiles.Chunk("IHDR", ihdr); break;
            case "filter-method-1": ihdr[11] = 1; chunks[0] = PngFiles.Chunk("IHDR", ihdr); break;
            case "short-pHYs": chunks.Insert(1, PngFiles.Chunk("pHYs", [0, 0, 1, 0, 0])); break;
            case "legacy-exif-text": chunks.Insert(1, PngFiles.Chunk("tEXt", text("Raw profile type EXIF\0exif"))); break;
            case "two-eXIf":
                chunks.Insert(1, PngFiles.Chunk("eXIf", text("MM\0*")));
                chunks.Insert(1, PngFiles.Chunk("eXIf", text("MM\0*")));
                break;
            case "compressed-iTXt": chunks.Insert(1, PngFiles.Chunk("iTXt", [.. text("Comment\0\u0001\0en\0\0"), .. PngFiles.Zlib(text("hi"))])); break;
            case "broken-iTXt": chunks.Insert(1, PngFiles.Chunk("iTXt", text("Comment\0\0\0en\0no-terminator"))); break;
            case "length-past-end": chunks[1][0] = 0x7F; break;
            case "short-ihdr": chunks[0] = PngFiles.Chunk("IHDR", ihdr[..12]); break;
            case "bad-signature": break;
            default: throw new ArgumentOutOfRangeException(nameof(kind));
        }
        byte[] file = PngFiles.Concat(chunks);
        if (kind == "bad-signature") file[1] ^= 0x20;
        Assert.Null(PngPlan.TryRead(file));
    }
}
