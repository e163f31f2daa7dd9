namespace KMeansPS.Output;

/// <summary>What Compress-ImageKMeans did with one input (<see cref="ImageCompressionResult.Status"/>).</summary>
public enum CompressionStatus
{
    /// <summary>The output was written.</summary>
    Written,
    /// <summary>-SkipIfLarger: the encoded output was not smaller than the source, so nothing was written (Destination names the file it would have been).</summary>
    SkippedLarger,
    /// <summary>The input is an output of this module (it carries the module's marker) and was not read; -IncludeOwnOutputs reads it.</summary>
    SkippedOwnOutput,
    /// <summary>The output already exists, made from the same source bytes with the same settings; nothing was written.</summary>
    SkippedUpToDate,
}
