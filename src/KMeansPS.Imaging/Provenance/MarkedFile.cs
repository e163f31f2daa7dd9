namespace KMeansPS.Imaging.Provenance;

/// <summary>What <see cref="OutputMarkerReader"/> found in a file made by the module.</summary>
/// <param name="Text">The marker text as written.</param>
/// <param name="Marker">The parsed record, or null when it is of a format version this reader does not know.</param>
/// <param name="Width">Image width from the header.</param>
/// <param name="Height">Image height from the header.</param>
internal sealed record MarkedFile(string Text, OutputMarker? Marker, int Width, int Height)
{
    /// <summary>
    /// Whether the file ends as the module ends its files (a PNG with its IEND chunk, a GIF with its trailer): a file cut
    /// short (a power cut before its blocks reached the disk) keeps its marker but not its end. True when not checked.
    /// </summary>
    public bool Complete { get; init; } = true;
}
