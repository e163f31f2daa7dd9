namespace KMeansPS.Imaging.Jpeg;

/// <summary>What the application segments before the first scan say about the image.</summary>
internal sealed class JpegFileMetadata
{
    /// <summary>The EXIF Orientation tag (1 to 8) of IFD0, or null when absent, malformed or out of range.</summary>
    public int? ExifOrientation { get; init; }

    /// <summary>An EXIF Orientation entry of several values that would turn the picture, left unapplied; else null.</summary>
    public Decoding.MalformedOrientation? MalformedExifOrientation { get; init; }

    /// <summary>The first APP1 Exif segment's TIFF data (after "Exif\0\0"), unparsed; null when there is none.</summary>
    public byte[]? Exif { get; init; }

    /// <summary>The ICC profile reassembled from its APP2 chunks in sequence order; null when absent or incomplete.</summary>
    public byte[]? IccProfile { get; init; }

    /// <summary>The JFIF density, when the file has a JFIF header.</summary>
    public JfifDensity? Density { get; init; }

    /// <summary>The transform flag of an Adobe (APP14) segment: 0 none (RGB), 1 YCbCr, 2 YCCK; null when absent.</summary>
    public int? AdobeTransform { get; init; }
}
