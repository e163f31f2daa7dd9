namespace KMeansPS.Imaging.Integrity;

/// <summary>Limits and switches for <see cref="FileIntegrity"/>.</summary>
internal sealed record IntegrityOptions
{
    public static IntegrityOptions Default { get; } = new();

    /// <summary>
    /// Above this many pixels in all (every frame or page counted at the size the decoder gives it), the verdict is
    /// <see cref="IntegrityVerdict.OverLimit"/> and the costlier data checks (inflating a PNG's image data) are skipped.
    /// </summary>
    public long MaxPixels { get; init; } = long.MaxValue;

    /// <summary>
    /// A metadata block (PNG tEXt/zTXt/iTXt/iCCP/eXIf, GIF comment or XMP, WebP ICCP/EXIF/XMP) larger than this,
    /// once inflated, is listed in <see cref="IntegrityReport.OversizedMetadata"/>. Compressed blocks are inflated
    /// only up to this size, and a file's blocks together up to four times it (blocks past that budget are listed
    /// unmeasured), so a deflate bomb costs a bounded amount of work.
    /// </summary>
    public long MaxMetadataBytes { get; init; } = 8L << 20;

    /// <summary>
    /// Whether to inflate a PNG's image data to count its bytes. Set it false before <c>PngFastDecoder</c>, which
    /// notices short data itself; the inflation is still done when the file visibly ends inside the image data.
    /// </summary>
    public bool InflatePngImageData { get; init; } = true;

    /// <summary>
    /// Whether to walk a lossy WebP's frame to its last macroblock (<see cref="Vp8DataCheck"/>). Set it false where
    /// the caller walks it beside the decode (<see cref="Decoding.ImageDecoder"/>): the report then says where the frame
    /// is (<see cref="IntegrityReport.LossyWebpFrame"/>), and the walk costs no wall time.
    /// </summary>
    public bool WalkLossyWebpFrame { get; init; } = true;
}
