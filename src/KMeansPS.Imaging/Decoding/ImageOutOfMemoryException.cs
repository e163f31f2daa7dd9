namespace KMeansPS.Imaging.Decoding;

/// <summary>
/// A file within the pixel limit whose decode did not fit in the memory the process could get: a resource problem,
/// not a fault of the file. The cmdlet maps it to ErrorCategory.ResourceUnavailable with its own id.
/// </summary>
internal sealed class ImageOutOfMemoryException : Exception
{
    public ImageOutOfMemoryException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The file being decoded, when known.</summary>
    public string? FilePath { get; init; }
}
