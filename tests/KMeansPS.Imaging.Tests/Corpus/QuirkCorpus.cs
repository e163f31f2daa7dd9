using System.Buffers.Binary;
using System.Text;
using KMeansPS.Imaging.Integrity;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Pbm;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Tiff.Constants;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Corpus;

/// <summary>
/// Files that are damaged in one specific way, or valid in a way ImageSharp 2.1 misreads, each with the verdict
/// the scanner must give and, where there is one, an equivalent file ImageSharp reads right.
/// </summary>
internal static class QuirkCorpus
{
    private static readonly Lazy<IReadOnlyList<QuirkFile>> s_files = new(Build);

    public static IReadOnlyList<QuirkFile> Files => s_files.Value;

    private static List<QuirkFile> Build()
    {
        var files = new List<QuirkFile>();
        const IntegrityVerdict Unsupported = IntegrityVerdict.Unsupported, Damaged = IntegrityVerdict.Damaged;

        using (Image<Rgba32> tiny = CorpusImages.Noisy(1, 1, 40))
            files.Add(new("png-interlaced-1x1", IntegrityCorpus.Encode(tiny, new PngEncoder { InterlaceMethod = PngInterlaceMode.Adam7 }),
                Unsupported, "narrower than 5 pixels"));
        using (Image<Rgba32> narrow = CorpusImages.Noisy(4, 9, 41))
            files.Add(new("png-interlaced-4x9", IntegrityCorpus.Encode(narrow, new PngEncoder { InterlaceMethod = PngInterlaceMode.Adam7, ColorType = PngColorType.Rgb }),
                Unsupported, "narrower than 5 pixels", IntegrityCorpus.Encode(narrow, new PngEncoder { ColorType = PngColorType.Rgb })));
        using (Image<Rgba32> noisy = CorpusImages.Noisy(33, 21, 42))
        {
            byte[] png = IntegrityCorpus.Encode(noisy, new PngEncoder { ColorType = PngColorType.Rgb });
            files.Add(new("png-idat-split-by-text", PngWriter.InterruptedIdat(png, "tEXt", "Comment\0between"u8.ToArray()),
                Unsupported, "splits the image data", png));
            // A header that lies: twice the rows the data holds (CRC fixed, so only the length tells).
            var chunks = PngWriter.Chunks(png);
            byte[] header = chunks[0].Data.ToArray();
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), 42);
            chunks[0] = ("IHDR", header);
            files.Add(new("png-header-claims-twice-the-rows", PngWriter.Assemble(chunks), Damaged, "ends after 21 of 42 rows"));
            files.Add(new("png-16000x16000-stub", Stubs.Png(), Damaged, "claims 16,000 x 16,000 pixels but the file holds"));
        }
        using (Image<Rgba32> few = CorpusImages.FewColors(13, 11, 51, 5))
        {
            var chunks = PngWriter.Chunks(IntegrityCorpus.Encode(few, new PngEncoder { ColorType = PngColorType.Palette, BitDepth = PngBitDepth.Bit4, InterlaceMethod = PngInterlaceMode.Adam7 }));
            files.Add(new("png-interlaced-palette-without-plte", PngWriter.Assemble(chunks.Where(c => c.Type != "PLTE")), Damaged, "has no PLTE"));
        }

        // Interlaced GIF frames 2 to 4 rows tall: ImageSharp 2.1 misplaces row 1 of 3 or 4 rows and throws on 2.
        Rgba32[] gifPalette = [new(200, 30, 30), new(30, 200, 30), new(30, 30, 200), new(220, 220, 40)];
        foreach (int rows in new[] { 2, 3, 4 })
        {
            byte[] rowColours = Enumerable.Range(0, 9 * rows).Select(i => (byte)(i / 9 % 4)).ToArray(); // one colour a row
            GifWriter.Frame Frame(bool interlaced) => new(0, 0, 9, rows, rowColours, interlaced);
            files.Add(new($"gif-interlaced-{rows}-rows", GifWriter.Write(9, rows, gifPalette, [Frame(true)]), Unsupported,
                "interlaced GIF frames 2 to 4 rows tall", rows == 2 ? null : GifWriter.Write(9, rows, gifPalette, [Frame(false)])));
        }

        // A later interlaced frame reaching past the bottom of the screen: ImageSharp 2.1 throws (ArgumentOutOfRangeException).
        // (The first frame widens the screen instead: ScreenCoveringFirstFrameTests.)
        files.Add(new("gif-interlaced-frame-past-the-screen", GifWriter.Write(9, 10, gifPalette,
            [new GifWriter.Frame(0, 0, 9, 10, new byte[90]),
             new GifWriter.Frame(0, 4, 9, 8, Enumerable.Range(0, 72).Select(i => (byte)(i / 9 % 4)).ToArray(), Interlaced: true)]),
            Unsupported, "frame 2 is interlaced and reaches past the bottom of the screen"));

        // Colour-mapped TGAs that ImageSharp 2.1 misreads: a 15-bit map (transparent black) and a map starting at entry
        // 10 (ArgumentOutOfRangeException); the reference holds the same colours in a 24-bit map from entry 0.
        static byte[] MappedTga(int mapStart, int mapDepth, byte[] map) =>
            [0, 1, 1, (byte)mapStart, 0, 4, 0, (byte)mapDepth, 0, 0, 0, 0, 6, 0, 2, 0, 8, 0x20, .. map, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3];
        byte[] map24 = [0, 0, 248, 0, 248, 0, 248, 0, 0, 248, 248, 248];
        // The same colours as 5-5-5 entries (blue in the low bits): red, green, blue, white.
        byte[] map15 = [0x00, 0x7C, 0xE0, 0x03, 0x1F, 0x00, 0xFF, 0x7F];
        files.Add(new("tga-colour-map-15-bit", MappedTga(0, 15, map15), Unsupported, "15-bit entries", MappedTga(0, 24, map24)));
        files.Add(new("tga-colour-map-from-entry-10", MappedTga(10, 24, map24), Unsupported, "starts at entry 10"));

        int[] bits = PnmWriter.Samples('1', 20, 9, 1, 43);
        files.Add(new("pbm-plain-digits-without-spaces", PnmWriter.Write('1', 20, 9, 1, bits, perLine: 20, spacedBits: false),
            Unsupported, "without spaces", PnmWriter.Write('1', 20, 9, 1, bits)));
        files.Add(new("pgm-maxval-0", PnmWriter.Write('5', 17, 11, 0, new int[17 * 11]), Damaged, "maximum value is 0"));
        files.Add(new("pgm-maxval-70000", PnmWriter.Write('2', 5, 3, 70000, new int[15]), Damaged, "above the 65,535"));
        files.Add(new("pgm-16000x16000-stub", Stubs.Pgm(), Damaged, "ends after 0 of 16,000 rows"));
        // Samples the format cannot hold, which ImageSharp 2.1 reads as other values without a word.
        files.Add(new("pgm-plain-sample-above-maxval", Encoding.ASCII.GetBytes("P2\n2 2\n15\n1 2 300 4\n"), Damaged, "sample 3 of the PGM is 300, above its maximum value 15"));
        files.Add(new("pgm-plain-negative-sample", Encoding.ASCII.GetBytes("P2\n2 2\n15\n1 -2 3 4\n"), Damaged, "sample 2 of the PGM is not a number"));
        files.Add(new("ppm-plain-letter-in-sample", Encoding.ASCII.GetBytes("P3\n1 2\n255\n1 2 3\n4 5a 6\n"), Damaged, "sample 5 of the PPM is not a number"));
        files.Add(new("pbm-plain-sample-2", Encoding.ASCII.GetBytes("P1\n2 2\n0 1\n2 0\n"), Damaged, "sample 3 of the PBM is 2, above its maximum value 1"));
        int[] dim = PnmWriter.Samples('6', 7, 5, 100, 47);
        dim[40] = 101;
        files.Add(new("ppm-binary-sample-above-maxval-100", PnmWriter.Write('6', 7, 5, 100, dim), Damaged, "sample 41 of the PPM is 101, above its maximum value 100"));
        using (Image<Rgba32> odd = CorpusImages.Noisy(23, 13, 45))
            files.Add(new("pbm-binary-from-imagesharp-encoder-23x13", IntegrityCorpus.Encode(odd, new PbmEncoder { Encoding = PbmEncoding.Binary, ColorType = PbmColorType.BlackAndWhite }),
                Damaged, "ends after 6 of 13 rows"));

        using (Image<Rgba32> still = CorpusImages.Noisy(13, 11, 46))
        {
            byte[] webp = IntegrityCorpus.Encode(still, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless });
            files.Add(new("webp-animated-4-frames", WebpWriter.Animated(webp, 13, 11, 4), Unsupported, "animation of 4 frames"));
            byte[] cut = webp.ToArray();
            BinaryPrimitives.WriteInt32LittleEndian(cut.AsSpan(4), webp.Length * 10);
            files.Add(new("webp-riff-size-too-large", cut, Damaged, $"the RIFF size says {(webp.Length * 10 + 8):N0} bytes but the file has {webp.Length:N0}"));
        }
        files.Add(new("webp-16000x16000-stub", Stubs.Webp(), Damaged, "claims 16,000 x 16,000 pixels"));

        Rgba32[] palette = CorpusImages.Palette(4, 47);
        byte[] indices = CorpusImages.Indices(9, 7, 47, 4);
        files.Add(new("gif-no-colour-table", GifWriter.Write(9, 7, null, [new GifWriter.Frame(0, 0, 9, 7, indices)]), Damaged, "no colour table"));
        byte[] gif = GifWriter.Write(9, 7, palette, [new GifWriter.Frame(0, 0, 9, 7, indices)]);
        byte[] taller = gif.ToArray();
        BinaryPrimitives.WriteUInt16LittleEndian(taller.AsSpan(8), 14);                     // screen height
        BinaryPrimitives.WriteUInt16LittleEndian(taller.AsSpan(13 + 12 + 7), 14);           // frame height
        files.Add(new("gif-frame-claims-twice-the-rows", taller, Damaged, "frame 1's image data ends after 7 of 14 rows"));
        files.Add(new("gif-16000x16000-stub", Stubs.Gif(), Damaged, "of 16,000 rows"));

        files.Add(new("bmp-16000x16000-stub", Stubs.Bmp(), Damaged, "the BMP pixel data ends after 0 of 16,000 rows"));
        files.Add(new("bmp-8-bit-without-palette", BmpWriter.Assemble(4, 4, 8, 0, [], new byte[16]), Damaged, "has no colour table"));
        files.Add(new("tga-16000x16000-stub", Stubs.Tga(), Damaged, "the TGA pixel data ends after 0 of 16,000 rows"));
        files.Add(new("tiff-16000x16000-stub", Stubs.Tiff(), Damaged, "the file ends inside TIFF strip 1: the image data ends after 0 of 16,000 rows"));
        files.Add(new("jpeg-16000x16000-stub", Stubs.Jpeg(), Damaged, "claims 16,000 x 16,000 pixels but the file holds"));
        // Cut and closed: the strip's byte count says 30 % of its data, which ImageSharp 2.1 pads without a word.
        using (Image<Rgba32> strip = CorpusImages.Noisy(33, 21, 50))
        {
            files.Add(new("tiff-deflate-strip-cut-and-closed", TiffWriter.CutFirstStrip(IntegrityCorpus.Encode(strip, new TiffEncoder { Compression = TiffCompression.Deflate }), 30),
                Damaged, "the TIFF strip 1 inflates to "));
            files.Add(new("tiff-packbits-strip-cut-and-closed", TiffWriter.CutFirstStrip(IntegrityCorpus.Encode(strip, new TiffEncoder { Compression = TiffCompression.PackBits }), 30),
                Damaged, "the TIFF strip 1 unpacks to "));
        }

        using (Image<Rgba32> first = CorpusImages.Noisy(9, 7, 48))
        using (Image<Rgba32> second = CorpusImages.Noisy(11, 7, 49))
        {
            var page1 = new TiffWriter.Page(9, 7, IntegrityCorpus.Rgb(first), 7);
            var page2 = new TiffWriter.Page(11, 7, IntegrityCorpus.Rgb(second), 7);
            files.Add(new("tiff-pages-of-different-sizes", TiffWriter.Write([page1, page2]), Unsupported, "differ in size"));
        }
        return files;
    }
}
