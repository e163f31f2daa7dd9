using System.Management.Automation;
using KMeansPS.Imaging.Decoding;

namespace KMeansPS.Infrastructure;

/// <summary>Maps what can go wrong with one image file to a stable error id and PowerShell category.</summary>
internal static class ImageErrorMap
{
    public static (string Id, ErrorCategory Category) Classify(Exception ex) => ex switch
    {
        InvalidImageException => (ErrorIds.InvalidImage, ErrorCategory.InvalidData),
        ImageLimitExceededException => (ErrorIds.ImageTooLarge, ErrorCategory.LimitsExceeded),
        FileNotFoundException or DirectoryNotFoundException => (ErrorIds.FileNotFound, ErrorCategory.ObjectNotFound),
        UnauthorizedAccessException => (ErrorIds.AccessDenied, ErrorCategory.PermissionDenied),
        OutputWriteException => (ErrorIds.WriteError, ErrorCategory.WriteError),
        IOException => (ErrorIds.ReadError, ErrorCategory.ReadError),
        _ => (ErrorIds.InvalidImage, ErrorCategory.NotSpecified),
    };
}
