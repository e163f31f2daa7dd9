using KMeansPS.Imaging.Tests.Corpus;

namespace KMeansPS.Imaging.Tests.Integrity;

/// <summary>A zlib stream that asks for a preset dictionary, which no image format here provides.</summary>
public sealed class ZlibDictionaryTests
{
    /// <summary>
    /// Image data whose zlib header asks for a preset dictionary (its id after the header, then ordinary deflate data and
    /// the right checksum): PNG forbids it and libpng refuses it ("missing LZ dictionary"); ImageSharp skipped the id.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Image_data_that_asks_for_a_preset_dictionary_is_refused(bool split)
    {
        const int width = 9, height = 4;
        byte[] raw = new byte[height * (1 + 3 * width)];
        for (int i = 0; i < raw.Length; i++) raw[i] = i % (1 + 3 * width) == 0 ? (byte)0 : (byte)(i * 7);
        byte[] zlib = PngWriter.Zlib(raw);
        byte[] withDictionary = [0x78, 0xBB, 0, 0, 0, 1, .. zlib.AsSpan(2)];
        Assert.Equal(0, (0x78 * 256 + 0xBB) % 31);
        byte[] png = PngWriter.Assemble([("IHDR", PngWriter.Header(width, height, 8, 2)), ("IDAT", withDictionary), ("IEND", [])]);
        if (split) png = PngWriter.SplitIdat(png, 3);
        var ex = Assert.Throws<KMeansPS.Imaging.Decoding.InvalidImageException>(() =>
            KMeansPS.Imaging.Decoding.ImageDecoder.Decode(new MemoryStream(png), name: "dictionary.png", cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("preset zlib dictionary", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Data that really uses a preset dictionary (zlib's own, the image's rows as the dictionary: 15 bytes), which fails
    /// at once when inflated without it: said as a dictionary, not as corrupt data.
    /// </summary>
    [Fact]
    public void Data_that_uses_a_preset_dictionary_is_refused_in_those_words()
    {
        byte[] zlib = Convert.FromHexString("78f992ce356163a0b37d0092ce3561");
        byte[] png = PngWriter.Assemble([("IHDR", PngWriter.Header(9, 4, 8, 2)), ("IDAT", zlib), ("IEND", [])]);
        var ex = Assert.Throws<KMeansPS.Imaging.Decoding.InvalidImageException>(() =>
            KMeansPS.Imaging.Decoding.ImageDecoder.Decode(new MemoryStream(png), name: "dictionary.png", cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("asks for a preset zlib dictionary", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("compression method", ex.Message, StringComparison.Ordinal);
    }
}
