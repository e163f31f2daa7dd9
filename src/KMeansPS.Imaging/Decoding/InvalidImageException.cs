namespace KMeansPS.Imaging.Decoding;

/// <summary>
/// The file is empty, truncated, corrupt or not an image format ImageSharp 2.1 can read.
/// The cmdlet maps it to ErrorCategory.InvalidData.
/// </summary>
internal sealed class InvalidImageException : Exception
{
    public InvalidImageException(string message) : base(message) { }

    public InvalidImageException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The file the decoder rejected, when known.</summary>
    public string? FilePath { get; init; }
}
