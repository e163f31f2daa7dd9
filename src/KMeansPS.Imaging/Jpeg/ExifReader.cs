using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Metadata;
using static KMeansPS.Imaging.Tiff.TiffTags;

namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// Reads the one EXIF tag the decoder acts on, Orientation (0x0112) in IFD0, from the TIFF structure of an APP1
/// Exif segment, in either byte order (<see cref="ExifIfd0"/>). Every offset is checked; a malformed structure gives
/// null, never an error, because metadata must not make a readable image unreadable.
/// </summary>
internal static class ExifReader
{
    /// <summary>
    /// The orientation (1 to 8), or null when the tag is absent, malformed or out of range. EXIF makes it a SHORT; a
    /// LONG is read too, as PIL, ImageMagick and exiftool read it.
    /// </summary>
    internal static int? ReadOrientation(ReadOnlySpan<byte> tiff)
    {
        long? value = ExifIfd0.TryOpen(tiff.ToArray())?.Integer(Orientation);
        return value is >= 1 and <= 8 ? (int)value : null;
    }

    /// <summary>
    /// The Orientation entry when it holds more than one whole number and its first would turn the picture (2 to 8),
    /// which <see cref="ReadOrientation"/> does not apply; else null.
    /// </summary>
    internal static MalformedOrientation? ReadMalformedOrientation(ReadOnlySpan<byte> tiff)
    {
        ExifIfd0? ifd = ExifIfd0.TryOpen(tiff.ToArray());
        if (ifd is null) return null;
        long count = ifd.Count(Orientation);
        return count > 1 && ifd.Value(Orientation) is >= 2 and <= 8 and long first ? new MalformedOrientation(count, first) : null;
    }
}
