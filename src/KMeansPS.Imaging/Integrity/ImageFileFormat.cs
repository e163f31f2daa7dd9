namespace KMeansPS.Imaging.Integrity;

/// <summary>The file formats <see cref="FileIntegrity"/> recognises, by their leading bytes as ImageSharp 2.1 does.</summary>
internal enum ImageFileFormat
{
    /// <summary>None of the formats below: left to the decoder, which names the problem.</summary>
    Unknown,
    Png,
    Jpeg,
    Gif,
    Bmp,
    /// <summary>PBM, PGM or PPM (P1 to P6).</summary>
    Pnm,
    Tga,
    Tiff,
    Webp,
}
