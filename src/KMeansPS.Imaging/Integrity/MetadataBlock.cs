namespace KMeansPS.Imaging.Integrity;

/// <summary>A metadata block larger than <see cref="IntegrityOptions.MaxMetadataBytes"/>.</summary>
/// <param name="Kind">The chunk or block: "zTXt", "iCCP", "GIF comment", "EXIF", ...</param>
/// <param name="Offset">Where the block starts in the file.</param>
/// <param name="StoredBytes">Its size in the file.</param>
/// <param name="ExpandedBytes">
/// Its size once inflated (the stored size for uncompressed blocks); for compressed blocks inflation stops just
/// past the limit, so this is a lower bound.
/// </param>
internal sealed record MetadataBlock(string Kind, long Offset, long StoredBytes, long ExpandedBytes);
