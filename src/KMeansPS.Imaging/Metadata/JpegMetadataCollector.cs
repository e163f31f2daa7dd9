using System.Buffers.Binary;
using System.Text;
using KMeansPS.Imaging.Jpeg;
using static KMeansPS.Imaging.Tiff.TiffTags;

namespace KMeansPS.Imaging.Metadata;

/// <summary>
/// Collects what a JPEG source's output carries from the segments before the first scan (read by
/// <see cref="JpegMetadataReader"/>, as the decoder reads them): the ICC profile (APP2 chunks, whole or not at all),
/// the density (JFIF, else EXIF XResolution/YResolution/ResolutionUnit), EXIF with Orientation set to 1 (the decoder
/// turned the pixels upright; <see cref="ExifOrientationPatch"/>) and each comment (COM) as a tEXt "Comment". XMP is
/// not carried: it may repeat the orientation, which the pixels no longer need. Within the <see cref="MetadataBudget"/>,
/// in that order of importance.
/// </summary>
internal static class JpegMetadataCollector
{
    public static CarriedMetadata Collect(ReadOnlySpan<byte> file, MetadataBudget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        if (file.Length < 4 || file[0] != 0xFF || file[1] != 0xD8) return CarriedMetadata.None;
        var comments = new List<byte[]>();
        JpegFileMetadata found = JpegMetadataReader.FromSegments(file, comments);

        byte[]? icc = found.IccProfile is { } profile && budget.TryTake(profile.Length) ? profile : null;
        int? orientation = found.ExifOrientation;
        ExifIfd0? ifd = found.Exif is null ? null : ExifIfd0.TryOpen(found.Exif);
        PixelDensity? density = Density(found.Density, ifd);
        if (density is { } d && orientation >= 5) density = d.Transposed();
        string? droppedExif = null;
        byte[]? exif = found.Exif is null ? null : CarriedExif.From(found.Exif, upright: true, out droppedExif);
        if (exif is not null && !budget.TryTake(exif.Length)) exif = null;
        var text = new List<AncillaryChunk>();
        foreach (byte[] comment in comments)
        {
            byte[]? chunk = CommentChunk(comment);
            if (chunk is not null && budget.TryTake(chunk.Length)) text.Add(new AncillaryChunk("tEXt", chunk));
        }
        return new CarriedMetadata
        {
            IccProfile = icc,
            IccName = icc is null ? IccProfileInfo.DefaultName : IccProfileInfo.NameOf(icc),
            Density = density,
            Exif = exif,
            DroppedExif = droppedExif,
            Text = text,
        };
    }

    /// <summary>JFIF's density when it has a unit; else EXIF's when it has one; else an aspect ratio other than 1:1 from either.</summary>
    internal static PixelDensity? Density(JfifDensity? jfif, ITiffDirectory? exif)
    {
        if (jfif is { Units: 1 or 2 } j) return PixelDensity.FromUnit(j.X, j.Y, perInch: j.Units == 1);
        double? x = exif?.Rational(XResolution), y = exif?.Rational(YResolution);
        int unit = exif?.Short(ResolutionUnit) ?? 2; // EXIF's default unit is the inch
        if (x is double ex && y is double ey && unit is 2 or 3) return PixelDensity.FromUnit(ex, ey, perInch: unit == 2);
        if (jfif is { Units: 0 } a) return PixelDensity.Aspect(a.X, a.Y);
        return x is double ax && y is double ay ? PixelDensity.Aspect(ax, ay) : null;
    }

    /// <summary>A COM segment as tEXt data ("Comment", zero, Latin-1 text up to the first zero byte); null when empty.</summary>
    private static byte[]? CommentChunk(ReadOnlySpan<byte> comment)
    {
        int end = comment.IndexOf((byte)0);
        if (end >= 0) comment = comment[..end];
        if (comment.IsEmpty) return null;
        return [.. "Comment"u8, 0, .. comment];
    }
}
