using KMeansPS.Imaging.Integrity;

namespace KMeansPS.Imaging.Decoding;

/// <summary>
/// An Orientation entry (a JPEG's EXIF, a TIFF's own tag) of whole numbers holding <see cref="Count"/> values where EXIF
/// and TIFF give it one, whose first would turn the picture. Readers part on it: libtiff ignores such a TIFF tag
/// ("Incorrect count ... tag ignored"; ImageMagick reads TIFF through it), exiftool shows the values as an unknown
/// orientation ("Unknown (6 0)") and Firefox ignores such an EXIF entry, while PIL (with a warning) and ImageMagick's
/// own EXIF reading take the first value. The decoder leaves the pixels as stored, and says so.
/// </summary>
internal readonly record struct MalformedOrientation(long Count, long First)
{
    /// <summary>The sentence for the image's warning; <paramref name="entry"/> names the entry ("The TIFF's Orientation entry").</summary>
    internal string Warning(string entry) =>
        $"{entry} holds {Plain.N(Count)} values where it should hold one, so it was not applied and the pixels stand as stored " +
        $"(some viewers, PIL among them, turn them by its first value, {First}).";
}
