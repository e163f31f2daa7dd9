using static KMeansPS.Imaging.Tiff.TiffTags;

namespace KMeansPS.Imaging.Metadata;

/// <summary>
/// EXIF for an output whose pixels the decoder already turned upright (JPEG): the Orientation tag (0x0112) of IFD0
/// is set to 1 in place, so a viewer that honours it does not turn the image a second time. Everything else is kept
/// byte for byte. EXIF that cannot be read safely (a malformed header or directory, an Orientation that is not one
/// SHORT or LONG) is dropped: carrying it could turn the picture.
/// </summary>
internal static class ExifOrientationPatch
{
    /// <summary>
    /// A patched copy of <paramref name="tiff"/>, or null when it is to be dropped. When the orientation was a quarter
    /// turn (5 to 8) and the decoder <paramref name="turned"/> the pixels by it, the pixels' width and height and the X
    /// and Y resolutions it states are swapped too, as the pixels were; a decoder that left the pixels as stored (WebP,
    /// whose readers ignore EXIF's orientation) only has the tag say so.
    /// </summary>
    public static byte[]? Upright(ReadOnlySpan<byte> tiff, bool turned = true)
    {
        byte[] copy = tiff.ToArray();
        ExifIfd0? ifd = ExifIfd0.TryOpen(copy);
        if (ifd is null) return null;
        int entry = ifd.Find(Orientation);
        if (entry < 0) return copy;
        if (!ifd.IsSingleInteger(entry)) return null;
        if (turned && ifd.Integer(Orientation) is >= 5 and <= 8)
        {
            ifd.SwapRationals(XResolution, YResolution);
            ifd.SwapExifValues(PixelXDimension, PixelYDimension);
        }
        ifd.WriteInteger(entry, 1);
        return copy;
    }
}
