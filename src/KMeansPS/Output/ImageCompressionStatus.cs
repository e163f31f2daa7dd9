namespace KMeansPS.Output;

/// <summary>What Compress-ImageKMeans did with one file's output.</summary>
public enum ImageCompressionStatus
{
    /// <summary>The output was written to Destination.</summary>
    Written,
    /// <summary>-SkipIfLarger: the encoded output was not smaller than the source, so nothing was written (Destination names the file it would have been).</summary>
    SkippedLarger,
}
