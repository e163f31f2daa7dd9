using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Tests.Corpus;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Tiff;

/// <summary>
/// FillOrder 2 (each byte's bits stored least significant first) read as libtiff reads it: the bits of each strip's
/// bytes put in order before decompressing. ImageSharp 2.1 mirrored the pixels of uncompressed 1-bit strips within each
/// byte, failed on compressed ones, and refused other depths.
/// </summary>
public class ReversedFillOrderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Rgba32[] Decode(byte[] tiff) => ImageDecoder.Decode(new MemoryStream(tiff), name: "test.tif", cancellationToken: Ct).Pixels;

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 8)]
    [InlineData(1, 32773)]
    [InlineData(8, 1)]
    [InlineData(8, 8)]
    [InlineData(8, 32773)]
    public void Strips_with_their_bits_reversed_give_the_image_their_rows_hold(int bits, int method)
    {
        int[] samples = GreyTiffWriter.Samples(bits, seed: bits * 100 + method);
        Rgba32[] expected = samples.Select(v => bits == 1 ? (v == 0 ? new Rgba32(0, 0, 0) : new Rgba32(255, 255, 255)) : new Rgba32((byte)v, (byte)v, (byte)v)).ToArray();
        Assert.Equal(expected, Decode(GreyTiffWriter.Write(samples, bits, method, fillOrder: 1)));
        Assert.Equal(expected, Decode(GreyTiffWriter.Write(samples, bits, method, fillOrder: 2)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    public void A_compressed_strip_cut_short_with_its_bits_reversed_is_found(int bits)
    {
        int[] samples = GreyTiffWriter.Samples(bits, seed: 7);
        // The last strip's Deflate data cut to half, its byte count set to match.
        byte[] cut = GreyTiffWriter.Write(samples, bits, 8, fillOrder: 2, lastStrip: s => s[..(s.Length / 2)]);
        var error = Assert.Throws<InvalidImageException>(() => Decode(cut));
        Assert.Contains("TIFF strip 3", error.Message);
    }
}
