using KMeansPS.Imaging.Png;
using KMeansPS.Imaging.Tests.Corpus;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Png;

/// <summary><see cref="IdatCoalescer"/> against the test corpus's own PNG splitting.</summary>
public sealed class IdatCoalescerTests
{
    private static byte[] OneIdatPng()
    {
        using Image<Rgba32> image = CorpusImages.Noisy(37, 23, seed: 5, alpha: true);
        byte[] png = IntegrityCorpus.Encode(image, new PngEncoder { ColorType = PngColorType.RgbWithAlpha });
        Assert.Single(PngWriter.Chunks(png), c => c.Type == "IDAT");
        return png;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(64)]
    public void Joining_a_split_run_gives_back_the_one_chunk_file(int size)
    {
        byte[] png = OneIdatPng();
        byte[] split = PngWriter.SplitIdat(png, size);
        Assert.NotEqual(png.Length, split.Length);
        Assert.Equal(png, IdatCoalescer.Coalesce(split));
    }

    /// <summary>
    /// A file that ends after a whole chunk without its IEND is read (as Pillow reads it): its run split inside the
    /// zlib header needs joining as much, or ImageSharp failed on it (ArgumentOutOfRangeException).
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(64)]
    public void A_split_run_in_a_file_without_its_IEND_is_joined_and_read(int size)
    {
        byte[] png = OneIdatPng();
        byte[] noEnd = png[..^12];
        Assert.Equal("IEND"u8.ToArray(), png[^8..^4]);
        byte[] split = PngWriter.SplitIdat(noEnd, size);
        Assert.Equal(noEnd, IdatCoalescer.Coalesce(split));

        var ct = TestContext.Current.CancellationToken;
        Rgba32[] expected = KMeansPS.Imaging.Decoding.ImageDecoder.Decode(new MemoryStream(png), name: "whole.png", cancellationToken: ct).Pixels;
        Assert.Equal(expected, KMeansPS.Imaging.Decoding.ImageDecoder.Decode(new MemoryStream(split), name: "split.png", cancellationToken: ct).Pixels);
    }

    [Fact]
    public void A_file_with_one_idat_or_no_png_is_returned_as_it_is()
    {
        byte[] png = OneIdatPng();
        Assert.Same(png, IdatCoalescer.Coalesce(png));
        byte[] other = "GIF89a not a png"u8.ToArray();
        Assert.Same(other, IdatCoalescer.Coalesce(other));
    }

    [Fact]
    public void A_damaged_layout_is_left_to_the_scanner()
    {
        byte[] split = PngWriter.SplitIdat(OneIdatPng(), 5);
        byte[] cut = split[..(split.Length / 2)];
        Assert.Same(cut, IdatCoalescer.Coalesce(cut));
        byte[] interrupted = PngWriter.InterruptedIdat(split, "tEXt", "a\0b"u8.ToArray());
        Assert.Same(interrupted, IdatCoalescer.Coalesce(interrupted));
    }

    /// <summary>
    /// An IDAT of a split run whose CRC is wrong: joining would give the run a fresh CRC and hide the damage, so the file
    /// is left as it is, and the decoder refuses it as libpng does ("IDAT: CRC error").
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void A_split_run_with_a_wrong_CRC_is_left_as_it_is_and_refused(int damaged)
    {
        byte[] split = PngWriter.SplitIdat(OneIdatPng(), 40);
        byte[] bad = (byte[])split.Clone();
        int offset = PngWriter.Signature.Length, seen = 0;
        foreach ((string type, byte[] data) in PngWriter.Chunks(split))
        {
            if (type == "IDAT" && seen++ == damaged) bad[offset + 8 + data.Length] ^= 0x5A; // the chunk's CRC, its data intact
            offset += 12 + data.Length;
        }
        Assert.True(seen > damaged);
        Assert.NotEqual(split, bad);
        Assert.Same(bad, IdatCoalescer.Coalesce(bad));
        Assert.Throws<KMeansPS.Imaging.Decoding.InvalidImageException>(() =>
            KMeansPS.Imaging.Decoding.ImageDecoder.Decode(new MemoryStream(bad), name: "bad.png", cancellationToken: TestContext.Current.CancellationToken));
    }
}
