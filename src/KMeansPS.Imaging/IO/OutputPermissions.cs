namespace KMeansPS.Imaging.IO;

/// <summary>
/// The permission bits of a file <see cref="AtomicFileWriter"/> publishes (Unix only; elsewhere a new file inherits its
/// folder's access rules). The temporary file starts at 0666 less the umask, as any new file; then:
/// <list type="bullet">
/// <item>replacing a regular file (<see cref="AtomicWriteOptions.Overwrite"/>) keeps that file's bits, as writing into
/// it would (cp, sed -i): a rename would otherwise reset what the user set on the output;</item>
/// <item>a new output made from a source (<see cref="AtomicWriteOptions.PermissionsFrom"/>) gets no group or other bit
/// the source lacks: a scan kept private (0600) must not come out world-readable. The owner's bits stay the umask's, so
/// a read-only source does not give an output its owner cannot replace.</item>
/// </list>
/// Set on the open handle (fchmod), so no other file can be changed through a swapped name.
/// </summary>
internal static class OutputPermissions
{
    private const UnixFileMode GroupAndOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private const UnixFileMode Owner = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode PermissionBits = Owner | GroupAndOther;

    /// <summary>Sets <paramref name="temporary"/>'s bits for publishing as <paramref name="destination"/>.</summary>
    internal static void Apply(FileStream temporary, string destination, AtomicWriteOptions options)
    {
        if (OperatingSystem.IsWindows()) return;
        UnixFileMode current = File.GetUnixFileMode(temporary.SafeFileHandle);
        // A source that cannot be examined now (moved away since it was read) limits the output to its owner.
        UnixFileMode? source = options.PermissionsFrom is null ? null : Mode(options.PermissionsFrom) ?? UnixFileMode.None;
        UnixFileMode wanted = For(current, Existing(destination, options.Overwrite), source);
        if (wanted != current) File.SetUnixFileMode(temporary.SafeFileHandle, wanted);
    }

    /// <summary>
    /// The bits for a file created with <paramref name="created"/> (0666 less the umask) that replaces a file of
    /// <paramref name="replaced"/> (null: nothing is replaced) or is made from a source of <paramref name="source"/>.
    /// </summary>
    internal static UnixFileMode For(UnixFileMode created, UnixFileMode? replaced, UnixFileMode? source)
    {
        if (replaced is { } kept) return kept & PermissionBits;
        if (source is { } limit) return created & (Owner | (limit & GroupAndOther));
        return created;
    }

    private static UnixFileMode? Existing(string destination, bool overwrite)
    {
        if (!overwrite || OperatingSystem.IsWindows()) return null;
        // Only a regular file is ever replaced; anything else at the name fails the publish later.
        return FileIdentity.TryGet(destination, out FileIdentity existing) && existing.Kind == FileKind.Regular
            ? Mode(destination)
            : null;
    }

    private static UnixFileMode? Mode(string? path)
    {
        if (path is null || OperatingSystem.IsWindows()) return null;
        try
        {
            return File.GetUnixFileMode(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
