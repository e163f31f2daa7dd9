using System.Text;
using static KMeansPS.Imaging.Tiff.TiffTags;

namespace KMeansPS.Imaging.Metadata;

/// <summary>
/// Collects what a TIFF source's output carries, from its first directory (the page that is decoded): the ICC profile
/// (InterColorProfile, tag 34675), the density (XResolution, YResolution, ResolutionUnit; X and Y exchanged when the
/// Orientation tag turns the pixels a quarter, as the decoder does) and the description, artist and copyright as
/// "Description", "Author" and "Copyright" (the PNG keywords for them; tEXt, or iTXt for UTF-8 text). The directory's EXIF sub-directory is not
/// carried: an eXIf chunk is one TIFF structure, and rebuilding one from a file's scattered entries would need every
/// offset rewritten. A BigTIFF's directory is read alike (<see cref="BigTiffDirectory"/>). Within the <see cref="MetadataBudget"/>, in that order of importance.
/// </summary>
internal static class TiffMetadataCollector
{
    public static CarriedMetadata Collect(byte[] file, MetadataBudget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        ITiffDirectory? directory = (ITiffDirectory?)ExifIfd0.TryOpen(file) ?? BigTiffDirectory.TryOpen(file);
        if (directory is null) return CarriedMetadata.None;
        byte[]? icc = directory.Bytes(InterColorProfile) is { Length: >= 128 } profile && budget.TryTake(profile.Length) ? profile : null;
        // The same three tags EXIF took from TIFF, read as for a JPEG without JFIF.
        PixelDensity? density = JpegMetadataCollector.Density(null, directory);
        if (density is { } d && directory.Integer(Orientation) is >= 5 and <= 8) density = d.Transposed();
        var text = new List<AncillaryChunk>();
        foreach ((ushort tag, string keyword) in (ReadOnlySpan<(ushort, string)>)[(ImageDescription, "Description"), (Artist, "Author"), (Copyright, "Copyright")])
        {
            if (TextChunk(keyword, directory.Bytes(tag)) is { } chunk && budget.TryTake(chunk.Data.Length)) text.Add(chunk);
        }
        return new CarriedMetadata
        {
            IccProfile = icc,
            IccName = icc is null ? IccProfileInfo.DefaultName : IccProfileInfo.NameOf(icc),
            Density = density,
            Text = text,
        };
    }

    /// <summary>
    /// An ASCII entry's text up to its first zero byte as a chunk: tEXt (Latin-1) for 7-bit text, iTXt (UTF-8, no
    /// language) for text that is valid UTF-8 beyond that (ImageMagick and PIL write UTF-8 into these ASCII tags, which
    /// Latin-1 would turn into "CafÃ©"), else tEXt with the bytes as Latin-1; null when absent or blank.
    /// </summary>
    private static AncillaryChunk? TextChunk(string keyword, byte[]? value)
    {
        if (value is null) return null;
        ReadOnlySpan<byte> text = value;
        int end = text.IndexOf((byte)0);
        if (end >= 0) text = text[..end];
        if (text.Trim(" \t\r\n"u8).IsEmpty) return null;
        byte[] name = Encoding.Latin1.GetBytes(keyword);
        if (System.Text.Ascii.IsValid(text) || !System.Text.Unicode.Utf8.IsValid(text)) return new AncillaryChunk("tEXt", [.. name, 0, .. text]);
        return new AncillaryChunk("iTXt", [.. name, 0, 0, 0, 0, 0, .. text]); // no compression, no language, no translated keyword
    }
}
