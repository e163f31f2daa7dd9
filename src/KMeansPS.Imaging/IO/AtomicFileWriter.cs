namespace KMeansPS.Imaging.IO;

/// <summary>
/// Writes a file through a temporary file in the destination folder that is renamed over the destination only
/// once it is complete, so a failure or a cancellation never leaves a partial file behind.
/// </summary>
internal static class AtomicFileWriter
{
    /// <summary>Runs <paramref name="write"/> on a fresh temporary file, then moves it onto <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException">The destination is <paramref name="protectedSource"/> (the input is never overwritten).</exception>
    public static void Write(string destination, Action<Stream> write, string? protectedSource = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(destination);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(destination);
        if (protectedSource is not null && SamePath(full, protectedSource))
            throw new ArgumentException($"The destination '{destination}' is the source image; the source is never overwritten.", nameof(destination));
        string folder = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{destination}' has no folder.", nameof(destination));
        cancellationToken.ThrowIfCancellationRequested();

        string temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                cancellationToken.ThrowIfCancellationRequested();
                stream.Flush(flushToDisk: false);
            }
            cancellationToken.ThrowIfCancellationRequested();
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>True when both paths name the same file (case-insensitively on Windows and macOS).</summary>
    public static bool SamePath(string a, string b)
    {
        StringComparison comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS()
            ? StringComparison.OrdinalIgnoreCase
            : StringComparison.Ordinal;
        return string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), comparison);
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
