namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// A well-formed JPEG of a kind this decoder does not read: 12-bit or lossless, arithmetic coding, hierarchical
/// frames, CMYK/YCCK or other component counts, sampling factors without an integral ratio, a height given only by
/// a DNL marker. Raised from the frame header, before any pixel is decoded, so the caller can use another decoder.
/// </summary>
internal sealed class JpegNotSupportedException : NotSupportedException
{
    public JpegNotSupportedException(string message) : base(message) { }
}
