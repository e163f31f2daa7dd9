using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Tests.Corpus;

namespace KMeansPS.Imaging.Tests.Integrity;

/// <summary>
/// A scanline whose filter type PNG does not define (above 4): refused, naming the row and the type, on every path
/// (libpng: "bad adaptive filter value"; ImageSharp said only "Unknown filter type.").
/// </summary>
public sealed class PngFilterTypeTests
{
    [Theory]
    [InlineData(2, 8, 1, 7)]   // RGB, 8 bits: the fast decoder's
    [InlineData(3, 8, 3, 5)]   // palette: ImageSharp's
    [InlineData(0, 16, 4, 255)] // grey, 16 bits: the wide decoder's
    [InlineData(3, 2, 2, 9)]   // palette of 2-bit indices
    public void A_row_with_an_undefined_filter_type_is_refused_naming_it(byte colourType, byte bitDepth, int badRow, byte filter)
    {
        const int width = 9, height = 4;
        int channels = colourType == 2 ? 3 : 1;
        int rowBytes = 1 + (width * channels * bitDepth + 7) / 8;
        byte[] raw = new byte[height * rowBytes];
        for (int i = 0; i < raw.Length; i++) raw[i] = i % rowBytes == 0 ? (byte)0 : (byte)(i * 7 % (colourType == 3 ? 1 << Math.Min((int)bitDepth, 2) : 256));
        raw[(badRow - 1) * rowBytes] = filter;
        var chunks = new List<(string, byte[])> { ("IHDR", PngWriter.Header(width, height, bitDepth, colourType)) };
        if (colourType == 3) chunks.Add(("PLTE", [0, 0, 0, 90, 90, 90, 180, 180, 180, 255, 255, 255]));
        chunks.Add(("IDAT", PngWriter.Zlib(raw)));
        chunks.Add(("IEND", []));
        byte[] png = PngWriter.Assemble(chunks);
        var ex = Assert.Throws<InvalidImageException>(() =>
            ImageDecoder.Decode(new MemoryStream(png), name: "filter.png", cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains($"row {badRow} of {height}", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"filter type {filter}", ex.Message, StringComparison.Ordinal);
    }
}
