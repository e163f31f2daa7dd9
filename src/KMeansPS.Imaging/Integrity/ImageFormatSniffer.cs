namespace KMeansPS.Imaging.Integrity;

/// <summary>
/// Tells the format from the leading bytes with ImageSharp 2.1's own tests, so the scanner checks the format the
/// decoder will use. ImageSharp asks its detectors in the order PNG, JPEG, GIF, BMP, PBM, TGA, TIFF, WebP and keeps
/// the last that matches; only TGA's test is loose, and it cannot match the formats before it (their second byte
/// is never 0 or 1), so the order below gives the same answer.
/// </summary>
internal static class ImageFormatSniffer
{
    public static ImageFileFormat Detect(ReadOnlySpan<byte> file)
    {
        if (IsTiff(file)) return ImageFileFormat.Tiff;
        if (file.Length >= 12 && file.StartsWith("RIFF"u8) && file[8..12].SequenceEqual("WEBP"u8)) return ImageFileFormat.Webp;
        if (IsTga(file)) return ImageFileFormat.Tga;
        if (file.Length >= 2 && file[0] == (byte)'P' && file[1] >= (byte)'1' && file[1] <= (byte)'6') return ImageFileFormat.Pnm;
        if (file.Length >= 2 && (file.StartsWith("BM"u8) || file.StartsWith("BA"u8))) return ImageFileFormat.Bmp;
        if (file.Length >= 6 && (file.StartsWith("GIF87a"u8) || file.StartsWith("GIF89a"u8))) return ImageFileFormat.Gif;
        // ImageSharp's JPEG test needs 11 bytes, though it then looks only at the first two.
        if (file.Length >= 11 && file[0] == 0xFF && file[1] == 0xD8) return ImageFileFormat.Jpeg;
        if (file.Length >= 8 && file.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return ImageFileFormat.Png;
        return ImageFileFormat.Unknown;
    }

    private static bool IsTiff(ReadOnlySpan<byte> file)
    {
        if (file.Length < 8) return false;
        if (file[0] == 'I' && file[1] == 'I')
            return (file[2] == 42 && file[3] == 0) || file[2..8].SequenceEqual((ReadOnlySpan<byte>)[43, 0, 8, 0, 0, 0]);
        if (file[0] == 'M' && file[1] == 'M')
            return (file[2] == 0 && file[3] == 42) || file[2..8].SequenceEqual((ReadOnlySpan<byte>)[0, 43, 0, 8, 0, 0]);
        return false;
    }

    /// <summary>TGA has no signature: a colour-map type of 0 or 1, a known image type, and a non-zero size.</summary>
    private static bool IsTga(ReadOnlySpan<byte> file)
    {
        if (file.Length < 16) return false;
        if (file[1] > 1) return false;
        if (file[2] is not (0 or 1 or 2 or 3 or 9 or 10 or 11)) return false;
        // Without a colour map, its five specification bytes must be zero.
        if (file[1] == 0 && (file[3] | file[4] | file[5] | file[6] | file[7]) != 0) return false;
        return (file[12] | file[13]) != 0 && (file[14] | file[15]) != 0;
    }
}
