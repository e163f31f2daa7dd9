using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Tests.Metadata;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Corpus;

/// <summary>
/// Seeded WebP stills for the chunk layout tests, encoded by ImageSharp: lossy with its alpha as raw bytes or compressed
/// losslessly (both exact), or lossless; in the extended format with or without ICC and EXIF chunks
/// (<see cref="WebpWriter.Extended"/>); and our decode of a file.
/// </summary>
internal static class WebpSamples
{
    /// <summary>The picture the samples encode: noise with alpha from 1 to 255.</summary>
    public static Image<Rgba32> Picture(int width, int height, int seed) => CorpusImages.Noisy(width, height, seed, alpha: true);

    /// <summary>A lossy still: VP8X, ALPH (raw, or lossless when <paramref name="compressedAlpha"/>), VP8.</summary>
    public static byte[] Lossy(Image<Rgba32> picture, bool compressedAlpha) =>
        Encode(picture, new WebpEncoder { FileFormat = WebpFileFormatType.Lossy, Quality = 80, UseAlphaCompression = compressedAlpha });

    /// <summary>A lossless still: one VP8L chunk.</summary>
    public static byte[] Lossless(Image<Rgba32> picture) => Encode(picture, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless });

    /// <summary>The still's chunks in the extended format, with an ICC profile and EXIF (of an odd size when the seed is odd) when asked.</summary>
    public static List<(string Type, byte[] Data)> Extended(byte[] still, bool metadata, int seed) => metadata
        ? WebpWriter.Extended(still, MetadataSamples.IccProfile("layout", padding: 60 + seed, seed: seed), MetadataSamples.Exif(littleEndian: seed % 2 == 0, orientation: 1))
        : WebpWriter.Extended(still);

    /// <summary>The picture's alpha, pixel by pixel.</summary>
    public static byte[] Alpha(Image<Rgba32> picture)
    {
        var alpha = new byte[picture.Width * picture.Height];
        picture.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                Span<Rgba32> row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++) alpha[y * row.Length + x] = row[x].A;
            }
        });
        return alpha;
    }

    /// <summary>Our decode of <paramref name="file"/>.</summary>
    public static RgbaImage Decode(byte[] file) =>
        ImageDecoder.Decode(new MemoryStream(file), cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>The decoded pixels, exactly as many as the image has.</summary>
    public static Rgba32[] Pixels(RgbaImage image) => image.Pixels[..(image.Width * image.Height)];

    private static byte[] Encode(Image<Rgba32> picture, WebpEncoder encoder)
    {
        using var stream = new MemoryStream();
        picture.Save(stream, encoder);
        return stream.ToArray();
    }
}
