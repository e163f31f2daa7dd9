namespace KMeansPS.Imaging.Jpeg;

/// <summary>How the components of a JPEG are to be read, decided as libjpeg decides it.</summary>
internal enum JpegColorSpace
{
    /// <summary>One component: luminance.</summary>
    Grey,
    /// <summary>Three components: Y, Cb, Cr (JFIF, Adobe transform 1, or no marker saying otherwise).</summary>
    YCbCr,
    /// <summary>Three components stored as R, G, B (Adobe transform 0, or component ids 'R', 'G', 'B' without JFIF).</summary>
    Rgb,
}
