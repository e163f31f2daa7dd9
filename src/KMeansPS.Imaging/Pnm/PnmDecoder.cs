using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Pnm;

/// <summary>
/// The PBM, PGM and PPM files ImageSharp 2.1 misreads (<see cref="PnmHeader.OwnDecoder"/>). PGM and PPM whose maximum
/// value is not 255: it reads two-byte samples little-endian (the format is big-endian), and scales other maxima by
/// a whole factor (a PGM of maximum 100 gives 50 as 100 and white as 200), so such files came out as other pictures,
/// reported lossless. Here each sample v becomes v x 65535 / maximum at 16 bits a channel, rounded as netpbm rounds it
/// (halves up), and the image
/// keeps that precision (<see cref="RgbaImage.FromWide"/>) where 8 bits do not hold it. Binary files of any maximum,
/// bitmaps too, whose raster starts with whitespace or '#': ImageSharp skips those bytes as header and shifts every
/// pixel. A binary raster starts after the one whitespace byte that ends the header, as netpbm reads it. Other
/// files of maximum 255 and PBM bitmaps ImageSharp reads right, and they stay with it. The file's structure has been
/// checked first (<see cref="Integrity.PnmScanner"/>, which reads the header and plain samples with the same
/// <see cref="PnmSyntax"/> and takes the raster from the same byte), so every sample is there and at most the maximum.
/// </summary>
internal static class PnmDecoder
{
    /// <summary>A file ImageSharp 2.1 misreads (<see cref="PnmHeader.OwnDecoder"/>): the files this decoder reads.</summary>
    public static bool Reads(ReadOnlySpan<byte> file) => Usable(PnmHeader.Read(file)) is not null;

    /// <summary>A header this decoder reads, within the bounds the structure check enforces; else null.</summary>
    private static PnmHeader? Usable(PnmHeader? header) =>
        header is { OwnDecoder: true, Width: > 0 and <= int.MaxValue, Height: > 0 and <= int.MaxValue, MaxValue: > 0 and <= 65535 } ? header : null;

    /// <summary>Decodes a file <see cref="Reads"/> accepts; <paramref name="label"/> names it in messages.</summary>
    public static RgbaImage Decode(ReadOnlySpan<byte> file, string label, string? name, CancellationToken cancellationToken)
    {
        PnmHeader header = Usable(PnmHeader.Read(file)) ?? throw new ArgumentException("Not a Netpbm file this decoder reads.", nameof(file));
        int width = (int)header.Width, height = (int)header.Height, channels = header.Channels;
        int count = checked(width * height);
        Rgba64[] wide = LargeBufferCache.Rent<Rgba64>(count);
        // A binary raster starts right after the one whitespace byte that ends the header, as the specification says
        // (ImageSharp skips all whitespace there, shifting a raster that starts with such a byte); a plain raster's
        // tokens are separated by any whitespace.
        int p = header.Plain ? header.RasterStart : header.RasterSpecStart;
        bool twoBytes = header.MaxValue > 255;
        long bitmapRow = (width + 7L) / 8; // a binary bitmap's row is whole bytes, its first pixel in the high bit
        Span<ushort> sample = stackalloc ushort[3];
        for (int i = 0; i < count; i++)
        {
            if ((i & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
            for (int c = 0; c < channels; c++)
            {
                long v;
                if (header.Plain)
                {
                    if (!PnmSyntax.ReadPlainSample(file, ref p, out v)) throw Short(label, name);
                }
                else if (header.Bitmap)
                {
                    int x = i % width;
                    long at = p + i / width * bitmapRow + x / 8;
                    if (at >= file.Length) throw Short(label, name);
                    v = (file[(int)at] >> (7 - x % 8)) & 1;
                }
                else
                {
                    int bytes = twoBytes ? 2 : 1;
                    if (p > file.Length - bytes) throw Short(label, name);
                    v = twoBytes ? (file[p] << 8) | file[p + 1] : file[p];
                    p += bytes;
                }
                // Above the maximum is damage the structure check has refused; clamped all the same. A bitmap's 1 is black.
                long level = Math.Min(v, header.MaxValue);
                // netpbm's scaling (pamdepth): (v x 65535 + maximum / 2) / maximum, halves rounded up.
                sample[c] = (ushort)(((header.Bitmap ? header.MaxValue - level : level) * 65535 + header.MaxValue / 2) / header.MaxValue);
            }
            wide[i] = channels == 1
                ? new Rgba64(sample[0], sample[0], sample[0], ushort.MaxValue)
                : new Rgba64(sample[0], sample[1], sample[2], ushort.MaxValue);
        }
        return RgbaImage.FromWide(width, height, wide);
    }

    /// <summary>Not reached after the structure check, which counts every sample; kept so a bug cannot read past the file.</summary>
    private static Decoding.InvalidImageException Short(string label, string? name) =>
        new($"Cannot read '{label}' as an image: the Netpbm file holds fewer samples than its header gives.") { FilePath = name };
}
