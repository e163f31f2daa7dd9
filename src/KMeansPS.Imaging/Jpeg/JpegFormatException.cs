namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// The file is not a JPEG, or it is damaged: truncated, a corrupt compressed stream, a missing table or marker,
/// markers out of order. The message says what is wrong in words a user can act on.
/// </summary>
internal sealed class JpegFormatException : Exception
{
    public JpegFormatException(string message) : base(message) { }
}
