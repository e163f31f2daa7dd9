namespace KMeansPS.Imaging.Integrity;

/// <summary>What <see cref="FileIntegrity.Check(ReadOnlyMemory{byte}, IntegrityOptions?)"/> concluded about a file.</summary>
internal enum IntegrityVerdict
{
    /// <summary>The structure is whole and the file holds data for every pixel it declares.</summary>
    Intact,

    /// <summary>Truncated, short, or self-contradictory: decoding it would give a partly invented image.</summary>
    Damaged,

    /// <summary>
    /// Possibly a valid file, but in a variant the decoder (ImageSharp 2.1) misreads or refuses; decoding it would
    /// give a wrong image or an obscure error.
    /// </summary>
    Unsupported,

    /// <summary>
    /// Structurally whole, but a full decode would hold more pixels than <see cref="IntegrityOptions.MaxPixels"/>;
    /// the costlier checks of the pixel data were skipped.
    /// </summary>
    OverLimit,

    /// <summary>An unknown format or a variant the scanner does not model: left to the decoder.</summary>
    NotChecked,
}
