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
        // A file swapped for a pipe after the up-front check: refused when opened, as the check refuses it.
        Imaging.IO.SpecialFileException => (ErrorIds.PathIsSpecialFile, ErrorCategory.InvalidArgument),
        // An output that became the source (a link made to it) after the up-front check: refused as that check refuses it.
        Imaging.IO.OutputIsSourceException => (ErrorIds.OutputIsSource, ErrorCategory.InvalidArgument),
        UnauthorizedAccessException => (ErrorIds.UnauthorizedAccess, ErrorCategory.PermissionDenied),
        OutputWriteException => (ErrorIds.FileWriteError, ErrorCategory.WriteError),
        IOException => (ErrorIds.FileReadError, ErrorCategory.ReadError),
        _ => (ErrorIds.InvalidImage, ErrorCategory.NotSpecified),
    };

    /// <summary>
    /// The error record for <paramref name="ex"/> on <paramref name="source"/>, classified as above. Running out of memory
    /// outside the decoder (reading, fitting, mapping, encoding) has only the runtime's words, which name no file: a
    /// log line must say which file it was.
    /// </summary>
    public static ErrorRecord Record(Exception ex, string source)
    {
        (string id, ErrorCategory category) = Classify(ex);
        return new ErrorRecord(Named(ex, source), id, category, source);
    }

    /// <summary><paramref name="ex"/>, or for the runtime's out-of-memory an exception whose message names <paramref name="source"/>.</summary>
    internal static Exception Named(Exception ex, string source) => ex is OutOfMemoryException
        ? new ImageOutOfMemoryException($"Not enough memory to process '{source}' (the machine or the process's memory limit ran out).", ex) { FilePath = source }
        : ex;
}
