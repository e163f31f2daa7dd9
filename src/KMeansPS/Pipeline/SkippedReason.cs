using System.Globalization;

using KMeansPS.Output;

namespace KMeansPS.Pipeline;

/// <summary>The -Verbose line that says why a result's output was not written.</summary>
internal static class SkippedReason
{
    /// <summary>Null when the output was written.</summary>
    public static string? Of(ImageCompressionResult result) => result.Status switch
    {
        CompressionStatus.SkippedLarger => string.Create(CultureInfo.InvariantCulture,
            $"Skipped '{result.Path}': the {result.Format} output would be {result.CompressedBytes:N0} bytes, not smaller than the source's {result.OriginalBytes:N0} bytes (-SkipIfLarger); nothing was written to '{result.Destination}'."),
        _ => null,
    };
}
