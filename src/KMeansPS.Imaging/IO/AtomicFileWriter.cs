namespace KMeansPS.Imaging.IO;

/// <summary>
/// Writes a file through a temporary file in the destination folder (<see cref="TempFiles"/>) that is published onto
/// the destination only once it is complete, so a failure, a cancellation or a killed process never leaves a partial
/// file under the destination's name. Without <see cref="AtomicWriteOptions.Overwrite"/> the publish never replaces a
/// file (<see cref="NoReplaceMove"/>); with it, an atomic rename replaces a regular file, never a device, pipe,
/// folder or the protected source.
/// </summary>
internal static class AtomicFileWriter
{
    /// <summary>
    /// Runs <paramref name="write"/> on a fresh temporary file, then publishes it as <paramref name="destination"/>;
    /// returns false when <see cref="AtomicWriteOptions.Keep"/> declined it (nothing was published).
    /// </summary>
    /// <exception cref="OutputIsSourceException">The destination is the protected source (the input is never overwritten).</exception>
    /// <exception cref="OutputExistsException">Without Overwrite, something is at the destination.</exception>
    /// <exception cref="IOException">The destination is not a regular file, or the write or move failed.</exception>
    public static bool Write(string destination, Action<Stream> write, AtomicWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(destination);
        ArgumentNullException.ThrowIfNull(write);
        options ??= AtomicWriteOptions.NoReplace;
        string full = Path.GetFullPath(destination);
        RefuseSource(full, destination, options);
        string folder = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{destination}' has no folder.", nameof(destination));
        cancellationToken.ThrowIfCancellationRequested();

        string temp = TempFiles.Create(folder);
        OutputPermissions permissions = OutputPermissions.Plan(full, options);
        try
        {
            using (FileStream stream = OpenTemporary(temp, folder, options.CreateFolder, permissions.CreateMode))
            {
                permissions.Finish(stream, temp);
                write(stream);
                cancellationToken.ThrowIfCancellationRequested();
                // Not forced to disk (6 ms a file on this project's VMs, as much as a small image's encode; pngquant does not
                // either): an output a power cut leaves short keeps its marker but not its end, and the next run writes it
                // again (OutputProvenance.UpToDate).
                stream.Flush(flushToDisk: false);
                if (options.Keep is { } keep && !keep(stream.Length)) return false;
            }
            cancellationToken.ThrowIfCancellationRequested();
            void Move()
            {
                // Checked again right before the move: the file system may have changed since the caller planned.
                RefuseSource(full, destination, options);
                if (options.Overwrite)
                {
                    if (FileIdentity.TryGet(full, out FileIdentity existing) && existing.Kind != FileKind.Regular)
                        throw new IOException($"'{full}' is {Describe(existing.Kind)}, not a regular file; an output replaces only regular files.");
                    File.Move(temp, full, overwrite: true);
                }
                else
                {
                    NoReplaceMove.Move(temp, full);
                }
            }
            if (options.Publish is null) Move();
            else options.Publish(full, Move);
            return true;
        }
        finally
        {
            // Published: the temporary name is gone (renamed) or a second link to the output; either way it goes.
            TempFiles.Remove(temp);
        }
    }

    // A folder made for this output may be removed by another run in between (an empty folder that run made and is
    // tidying away after a skip): made again, a few times at most, so that race is never a failed write.
    // Created with its final bits or narrower (OutputPermissions), never readable by others in between.
    private static FileStream OpenTemporary(string temp, string folder, bool createFolder, UnixFileMode? mode)
    {
        var open = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 1 << 16 };
        if (mode is { } bits && !OperatingSystem.IsWindows()) open.UnixCreateMode = bits;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return new FileStream(temp, open);
            }
            catch (UnauthorizedAccessException ex)
            {
                // The runtime names the temporary file, which the user never asked for: say what is refused.
                throw new UnauthorizedAccessException($"{NoPermissionToCreate(folder)}.", ex);
            }
            catch (IOException ex) when (createFolder && attempt < 4 && ex is DirectoryNotFoundException or FileNotFoundException)
            {
                try
                {
                    Directory.CreateDirectory(folder);
                }
                catch (IOException)
                {
                    // A folder above it was removed while it was being made: the next attempt makes it again.
                }
            }
        }
    }

    /// <summary>Why no file can be created in <paramref name="folder"/> without write permission: the write's words, which the up-front check gives too.</summary>
    public static string NoPermissionToCreate(string folder) => $"the folder '{folder}' does not let this user create files in it (permission denied)";

    /// <summary>True when both paths are one file: the same identity if both exist, else the same resolved path.</summary>
    public static bool SamePath(string a, string b)
    {
        if (FileIdentity.TryGet(a, out FileIdentity x) && FileIdentity.TryGet(b, out FileIdentity y)) return x.IsSameFile(y);
        return FileIdentity.PathComparer.Equals(FileIdentity.ResolvePath(a), FileIdentity.ResolvePath(b));
    }

    /// <summary>"a folder", "a device, pipe or socket".</summary>
    internal static string Describe(FileKind kind) => kind switch
    {
        FileKind.Directory => "a folder",
        FileKind.Other => "a device, pipe or socket",
        _ => "a regular file",
    };

    private static void RefuseSource(string full, string destination, AtomicWriteOptions options)
    {
        if (options.ProtectedSource is not null && SamePath(full, options.ProtectedSource))
            throw new OutputIsSourceException($"The destination '{destination}' is the source image '{options.ProtectedSource}' (or a link to it); the source is never overwritten.");
    }
}
