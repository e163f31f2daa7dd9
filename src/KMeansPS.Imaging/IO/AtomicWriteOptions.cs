namespace KMeansPS.Imaging.IO;

/// <summary>How <see cref="AtomicFileWriter"/> publishes a finished file.</summary>
internal sealed record AtomicWriteOptions
{
    /// <summary>Replace an existing regular file (rename(2), atomic); otherwise an existing file is never replaced.</summary>
    public bool Overwrite { get; init; }

    /// <summary>A file that must never be replaced (the source): compared by identity, so links to it count.</summary>
    public string? ProtectedSource { get; init; }

    /// <summary>
    /// Runs the final move, given the destination and the move itself: a caller that tracks what one command reads
    /// and writes checks and records there (and may throw to refuse). Null runs the move directly.
    /// </summary>
    public Action<string, Action>? Publish { get; init; }

    /// <summary>
    /// Decides from the finished temporary file's length whether to publish it at all: false discards it (no name is
    /// touched, the temporary file goes). Null publishes always. Used by Compress-ImageKMeans -SkipIfLarger.
    /// </summary>
    public Func<long, bool>? Keep { get; init; }

    /// <summary>
    /// The destination's folder may be one a caller creates for it: if it is gone when the temporary file is opened
    /// (another run removed it as an empty folder of its own between the caller's creation and this write), it is
    /// created again rather than failing the write.
    /// </summary>
    public bool CreateFolder { get; init; }

    /// <summary>
    /// A file whose readers an output made from it must not outnumber (the source): on Unix a new output's group and
    /// other permission bits are at most that file's, so a private source (0600) never gives a world-readable output.
    /// Null: the process's umask alone decides, as for any new file. A replaced file's bits are kept either way.
    /// </summary>
    public string? PermissionsFrom { get; init; }

    /// <summary>No replacing, nothing protected, no publish hook.</summary>
    public static AtomicWriteOptions NoReplace { get; } = new();

    /// <summary>Replacing allowed, nothing protected, no publish hook.</summary>
    public static AtomicWriteOptions Replace { get; } = new() { Overwrite = true };
}
