namespace KMeansPS.Imaging.Decoding;

/// <summary>
/// The image header announces more pixels than the allowed maximum; raised before the pixels are decoded.
/// The cmdlet maps it to ErrorCategory.LimitsExceeded.
/// </summary>
internal sealed class ImageLimitExceededException : Exception
{
    public ImageLimitExceededException(string message, long width, long height, long maxPixels) : base(message)
    {
        Width = width;
        Height = height;
        MaxPixels = maxPixels;
    }

    public long Width { get; }
    public long Height { get; }
    public long MaxPixels { get; }
    public string? FilePath { get; init; }
}
