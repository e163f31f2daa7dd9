namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// A well-formed JPEG of a kind this decoder does not read: 12-bit or lossless, arithmetic coding, hierarchical
/// frames, CMYK/YCCK or other component counts, sampling factors without an integral ratio, a height given only by
/// a DNL marker. Raised from the frame header, before any pixel is decoded, so the caller can use another decoder
/// for the kinds <see cref="OthersRead"/> says another one reads.
/// </summary>
internal sealed class JpegNotSupportedException : NotSupportedException
{
    public JpegNotSupportedException(string message) : base(message) { }

    public JpegNotSupportedException(string message, bool othersRead) : base(message) => OthersRead = othersRead;

    /// <summary>
    /// A kind the module leaves to ImageSharp: CMYK or YCCK, sampling factors without a whole ratio, or an image too
    /// large for this decoder's buffers. The other kinds (12-bit, lossless, arithmetic, hierarchical, extensions,
    /// other component counts, a DNL height) are refused, as the README says, even where ImageSharp would read them.
    /// </summary>
    public bool OthersRead { get; }
}
