using System.Management.Automation;
using KMeansPS.Imaging.Decoding;

namespace KMeansPS.Bridge;

/// <summary>Maps what can go wrong with one image file to a stable error id and PowerShell category.</summary>
internal static class ImageErrorMap
{
    public static (string Id, ErrorCategory Category) Classify(Exception ex) => ex switch
    {
        InvalidImageException => (ErrorIds.InvalidImage, ErrorCategory.InvalidData),
        // The input is fine and no limit of the machine was hit: the result falls short of what was asked.
        Imaging.Quantization.QualityFloorException => (ErrorIds.QualityTooLow, ErrorCategory.InvalidResult),
        ImageLimitExceededException => (ErrorIds.ImageTooLarge, ErrorCategory.LimitsExceeded),
        ImageOutOfMemoryException or OutOfMemoryException => (ErrorIds.ImageOutOfMemory, ErrorCategory.ResourceUnavailable),
        FileNotFoundException or DirectoryNotFoundException => (ErrorIds.FileNotFound, ErrorCategory.ObjectNotFound),
        UnauthorizedAccessException => (ErrorIds.UnauthorizedAccess, ErrorCategory.PermissionDenied),
        OutputWriteException => (ErrorIds.FileWriteError, ErrorCategory.WriteError),
        IOException => (ErrorIds.FileReadError, ErrorCategory.ReadError),
        _ => (ErrorIds.InvalidImage, ErrorCategory.NotSpecified),
    };
}
