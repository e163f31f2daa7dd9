using KMeansPS.Imaging.Webp;

namespace KMeansPS.Imaging.Metadata;

/// <summary>
/// Collects what a WebP source's output carries from the chunks of its extended format (VP8X): the ICC profile (ICCP),
/// and EXIF (with or without the "Exif\0\0" prefix some writers put first) with its Orientation set to 1 and its
/// resolution as the density. WebP's readers (libwebp, browsers) show the pixels as stored whatever EXIF's orientation
/// says, and so does the decoder here, so the output says that it is upright rather than have a viewer that honours
/// eXIf turn it. XMP is not carried, as for a JPEG. A simple (VP8 or VP8L only) file carries nothing. Within the
/// <see cref="MetadataBudget"/>, the profile first.
/// </summary>
internal static class WebpMetadataCollector
{
    public static CarriedMetadata Collect(ReadOnlySpan<byte> file, MetadataBudget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        if (file.Length < 20 || !file[..4].SequenceEqual("RIFF"u8) || !file[8..12].SequenceEqual("WEBP"u8) || !file[12..16].SequenceEqual("VP8X"u8))
            return CarriedMetadata.None;
        ReadOnlySpan<byte> icc = default, exif = default;
        bool hasIcc = false, hasExif = false;
        foreach (RiffChunk chunk in RiffChunks.InRiff(file))
        {
            if (chunk.IsCut) break; // cut short: what lies whole before it is still read
            // The first of each, as libwebp's demuxer keeps it.
            if (!hasIcc && chunk.Is("ICCP"u8))
            {
                icc = chunk.Payload;
                hasIcc = true;
            }
            else if (!hasExif && chunk.Is("EXIF"u8))
            {
                exif = chunk.Payload;
                hasExif = true;
            }
        }
        byte[]? profile = hasIcc && icc.Length >= 128 && budget.TryTake(icc.Length) ? icc.ToArray() : null;
        if (exif.StartsWith("Exif\0\0"u8)) exif = exif[6..];
        string? droppedExif = null;
        byte[]? upright = hasExif ? CarriedExif.From(exif, upright: false, out droppedExif) : null;
        PixelDensity? density = upright is null ? null : JpegMetadataCollector.Density(null, ExifIfd0.TryOpen(upright));
        if (upright is not null && !budget.TryTake(upright.Length)) upright = null;
        return new CarriedMetadata
        {
            IccProfile = profile,
            IccName = profile is null ? IccProfileInfo.DefaultName : IccProfileInfo.NameOf(profile),
            Density = density,
            Exif = upright,
            DroppedExif = droppedExif,
        };
    }
}
