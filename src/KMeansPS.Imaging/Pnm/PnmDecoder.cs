using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Pnm;

/// <summary>
/// PGM and PPM files whose maximum value is not 255, which ImageSharp 2.1 misreads: it reads two-byte samples
/// little-endian (the format is big-endian), and scales other maxima by a whole factor (a PGM of maximum 100 gives
/// 50 as 100 and white as 200), so such files came out as other pictures, reported lossless. Here each sample v
/// becomes v x 65535 / maximum at 16 bits a channel, rounded, and the image keeps that precision
/// (<see cref="RgbaImage.FromWide"/>) where 8 bits do not hold it. A binary raster starts after the one whitespace
/// byte that ends the maximum, as netpbm reads it. Maximum 255 and PBM bitmaps ImageSharp reads right, and they stay
/// with it. The file's structure has been checked first (<see cref="Integrity.PnmScanner"/>, which reads the header
/// and plain samples with the same <see cref="PnmSyntax"/> and takes the raster from the same byte), so every sample
/// is there and at most the maximum.
/// </summary>
internal static class PnmDecoder
{
    /// <summary>A PGM or PPM, plain or binary, of a maximum value other than 255: the files this decoder reads.</summary>
    public static bool Reads(ReadOnlySpan<byte> file) =>
        Header.TryRead(file) is { Bitmap: false, MaxValue: not 255 };

    /// <summary>Decodes a file <see cref="Reads"/> accepts; <paramref name="label"/> names it in messages.</summary>
    public static RgbaImage Decode(ReadOnlySpan<byte> file, string label, string? name, CancellationToken cancellationToken)
    {
        Header header = Header.TryRead(file) ?? throw new ArgumentException("Not a PGM or PPM this decoder reads.", nameof(file));
        int width = (int)header.Width, height = (int)header.Height, channels = header.Channels;
        int count = checked(width * height);
        Rgba64[] wide = LargeBufferCache.Rent<Rgba64>(count);
        double scale = 65535.0 / header.MaxValue;
        int p = header.RasterStart;
        bool twoBytes = header.MaxValue > 255;
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
                else
                {
                    int bytes = twoBytes ? 2 : 1;
                    if (p > file.Length - bytes) throw Short(label, name);
                    v = twoBytes ? (file[p] << 8) | file[p + 1] : file[p];
                    p += bytes;
                }
                // Above the maximum is damage the structure check has refused; clamped all the same.
                sample[c] = (ushort)Math.Round(Math.Min(v, header.MaxValue) * scale);
            }
            wide[i] = channels == 1
                ? new Rgba64(sample[0], sample[0], sample[0], ushort.MaxValue)
                : new Rgba64(sample[0], sample[1], sample[2], ushort.MaxValue);
        }
        return RgbaImage.FromWide(width, height, wide);
    }

    /// <summary>Not reached after the structure check, which counts every sample; kept so a bug cannot read past the file.</summary>
    private static Decoding.InvalidImageException Short(string label, string? name) =>
        new($"Cannot read '{label}' as an image: the PGM/PPM holds fewer samples than its header gives.") { FilePath = name };

    /// <summary>The header as <see cref="PnmSyntax"/> reads it; null for a bitmap-less kind it cannot read or a header cut short.</summary>
    private sealed record Header(long Width, long Height, long MaxValue, int Channels, bool Plain, bool Bitmap, int RasterStart)
    {
        public static Header? TryRead(ReadOnlySpan<byte> file)
        {
            if (file.Length < 3 || file[0] != 'P' || file[1] is < (byte)'1' or > (byte)'6') return null;
            char kind = (char)file[1];
            bool bitmap = kind is '1' or '4';
            int p = 2;
            if (!PnmSyntax.SkipWhitespaceAndComments(file, ref p) || !PnmSyntax.ReadDecimal(file, ref p, out long width)
                || !PnmSyntax.SkipWhitespaceAndComments(file, ref p) || !PnmSyntax.ReadDecimal(file, ref p, out long height)
                || !PnmSyntax.SkipWhitespaceAndComments(file, ref p))
                return null;
            long maxValue = 1;
            if (!bitmap)
            {
                if (!PnmSyntax.ReadDecimal(file, ref p, out maxValue)) return null;
                // A binary raster starts right after the one whitespace byte ReadDecimal took, as the specification
                // says (ImageSharp skips all whitespace there, shifting a raster that starts with such a byte); a
                // plain raster's tokens are separated by any whitespace.
                if (kind <= '3') PnmSyntax.SkipWhitespaceAndComments(file, ref p);
            }
            if (width is <= 0 or > int.MaxValue || height is <= 0 or > int.MaxValue || maxValue is <= 0 or > 65535) return null;
            return new Header(width, height, maxValue, kind is '3' or '6' ? 3 : 1, kind <= '3', bitmap, p);
        }
    }
}
