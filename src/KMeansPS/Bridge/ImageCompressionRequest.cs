using KMeansPS.Output;

namespace KMeansPS.Bridge;

/// <summary>Everything one file's compression needs, captured on the pipeline thread.</summary>
internal sealed class ImageCompressionRequest
{
    public required string Source { get; init; }
    public required string Destination { get; init; }
    public string? ComparisonPath { get; init; }
    public required int K { get; init; }
    public required ImageOutputFormat Format { get; init; }
    public required ColorSpace ColorSpace { get; init; }
    public required DitherMode Dither { get; init; }
    public required KMeansAlgorithm Algorithm { get; init; }
    public required int MaxIterations { get; init; }
    public required double Tolerance { get; init; }
    public required int Seed { get; init; }
    /// <summary>
    /// -Seed as given (null when the seed was drawn): an output made with another seed is up to date only when no seed
    /// was asked for (<see cref="OutputProvenance.UpToDate"/>).
    /// </summary>
    public int? GivenSeed { get; init; }
    public required long MaxPixels { get; init; }
    public required int Threads { get; init; }
    /// <summary>-MinPsnr: the fewest colours, at most K, that reach this PSNR in dB; null for K colours.</summary>
    public double? MinPsnr { get; init; }
    /// <summary>-SkipIfLarger: publish only an output smaller than the source.</summary>
    public bool SkipIfLarger { get; init; }
    /// <summary>-CompressionLevel: how hard a PNG output is deflated (the same pixels at every level).</summary>
    public System.IO.Compression.CompressionLevel CompressionLevel { get; init; } = System.IO.Compression.CompressionLevel.Optimal;
    /// <summary>-Strip: carry only the source's colour management into the output, not its density, text or EXIF.</summary>
    public bool Strip { get; init; }
    /// <summary>-Force: replace existing outputs (never an input); without it, an unfinished output of this same job.</summary>
    public bool Overwrite { get; init; }
    /// <summary>As <see cref="Overwrite"/>, for the comparison figure: without -Force only a figure of this same source.</summary>
    public bool OverwriteComparison { get; init; }
    /// <summary>The destination's place in the call's claims (published through it), or null to publish directly.</summary>
    public Pipeline.OutputClaim? DestinationClaim { get; init; }
    /// <summary>The comparison figure's claim, if there is one.</summary>
    public Pipeline.OutputClaim? ComparisonClaim { get; init; }

    /// <summary>
    /// Waits, on the worker, until every earlier input's outcome has been written to the pipeline (<see
    /// cref="Pipeline.OrderedWorkQueue{T}.WaitForTurn"/>), before this input's files are published: when an earlier
    /// outcome stops the command (an error under -ErrorAction Stop, Select-Object -First), no later file is written
    /// that no result reports. Null: publish at once.
    /// </summary>
    public Action<CancellationToken>? AwaitTurn { get; init; }
    /// <summary>
    /// Whether an output's missing folder is made (-Destination dir/). False for the import's warm-up, whose folder
    /// the exit handler may remove while a job runs: made again, it would be left behind.
    /// </summary>
    public bool CreateFolders { get; init; } = true;
}
