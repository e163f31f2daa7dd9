using System.Globalization;

namespace KMeansPS.Imaging.IO;

/// <summary>
/// The permission bits and group of a file <see cref="AtomicFileWriter"/> publishes (Unix only; elsewhere a new file
/// inherits its folder's access rules):
/// <list type="bullet">
/// <item>replacing a regular file (<see cref="AtomicWriteOptions.Overwrite"/>) keeps that file's bits and group, as
/// writing into it would (cp, sed -i): a rename would otherwise reset what the user set on the output;</item>
/// <item>a new output made from a source (<see cref="AtomicWriteOptions.PermissionsFrom"/>) gets no group or other bit
/// the source lacks, and the source's group: a scan kept private (0600) must not come out world-readable, nor readable
/// by the group of a setgid folder. The owner's bits stay the umask's, so a read-only source does not give an output
/// its owner cannot replace.</item>
/// </list>
/// The temporary file is created with bits no wider than the final ones (its group's bits no wider than everyone
/// else's until its group is the reference file's), so no other user can open it in between; the group is then set
/// (fchown, where the process may) and the bits widened to the final ones on the open handle.
/// </summary>
internal sealed class OutputPermissions
{
    private const UnixFileMode Group = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute;
    private const UnixFileMode Other = UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
    private const UnixFileMode GroupAndOther = Group | Other;
    private const UnixFileMode Owner = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PermissionBits = Owner | GroupAndOther;
    private const UnixFileMode NewFile = (UnixFileMode)0b110_110_110;

    /// <summary>No rule: the runtime's default (0666 less the umask).</summary>
    internal static OutputPermissions Default { get; } = new(null, null, null);

    private readonly UnixFileMode? _wanted; // the final bits, once the group is the reference file's (null: as created)
    private readonly uint? _group;          // the reference file's group

    private OutputPermissions(UnixFileMode? createMode, UnixFileMode? wanted, uint? group)
    {
        CreateMode = createMode;
        _wanted = wanted;
        _group = group;
    }

    /// <summary>The bits to create the temporary file with (open(2) still takes the umask off), or null for the default.</summary>
    internal UnixFileMode? CreateMode { get; }

    /// <summary>What a file published as <paramref name="destination"/> under <paramref name="options"/> gets.</summary>
    internal static OutputPermissions Plan(string destination, AtomicWriteOptions options)
    {
        if (OperatingSystem.IsWindows()) return Default;
        if (options.Overwrite && FileIdentity.TryGet(destination, out FileIdentity existing) && existing.Kind == FileKind.Regular
            && Mode(destination) is { } replaced)
        {
            UnixFileMode kept = replaced & PermissionBits;
            return new OutputPermissions(Restrict(kept), kept, PosixFileCalls.GroupOf(destination));
        }
        if (options.PermissionsFrom is not { } source) return Default;
        // A source that cannot be examined now (moved away since it was read) limits the output to its owner.
        if (Mode(source) is not { } sourceMode) return new OutputPermissions(UnixFileMode.UserRead | UnixFileMode.UserWrite, null, null);
        UnixFileMode? umask = ProcessUmask();
        UnixFileMode wanted = For(umask is { } u ? NewFile & ~u : NewFile, null, sourceMode);
        // Without the umask the bits cannot be widened exactly after the group is set: the narrower bits stay.
        return new OutputPermissions(Restrict(wanted), umask is null ? null : wanted, PosixFileCalls.GroupOf(source));
    }

    /// <summary>
    /// The bits for a file created with <paramref name="created"/> (0666 less the umask) that replaces a file of
    /// <paramref name="replaced"/> (null: nothing is replaced) or is made from a source of <paramref name="source"/>, once
    /// its group is that file's.
    /// </summary>
    internal static UnixFileMode For(UnixFileMode created, UnixFileMode? replaced, UnixFileMode? source)
    {
        if (replaced is { } kept) return kept & PermissionBits;
        if (source is { } limit) return created & (Owner | (limit & GroupAndOther));
        return created;
    }

    /// <summary><paramref name="mode"/> with its group's bits no wider than everyone else's: safe whatever group the file has.</summary>
    internal static UnixFileMode Restrict(UnixFileMode mode) =>
        (mode & ~Group) | (mode & Group & (UnixFileMode)(((int)(mode & Other)) << 3));

    /// <summary>Gives the open temporary file <paramref name="path"/> the reference file's group and then the final bits.</summary>
    internal void Finish(FileStream temporary, string path)
    {
        if (OperatingSystem.IsWindows() || _group is not { } group) return;
        // /proc/self/fd/N is the open file itself on Linux, whatever has happened to its name since.
        string examined = OperatingSystem.IsLinux()
            ? "/proc/self/fd/" + temporary.SafeFileHandle.DangerousGetHandle().ToString(CultureInfo.InvariantCulture)
            : path;
        if (PosixFileCalls.GroupOf(examined) != group)
        {
            PosixFileCalls.ChangeGroup(temporary.SafeFileHandle, group); // refused unless a member of it (or root): then stays narrow
            if (PosixFileCalls.GroupOf(examined) != group) return;
        }
        if (_wanted is { } wanted && File.GetUnixFileMode(temporary.SafeFileHandle) != wanted)
            File.SetUnixFileMode(temporary.SafeFileHandle, wanted);
    }

    /// <summary>The process's umask (Linux: /proc/self/status, kernel 4.7 on), or null when it cannot be read without changing it.</summary>
    internal static UnixFileMode? ProcessUmask()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                if (!line.StartsWith("Umask:", StringComparison.Ordinal)) continue;
                return (UnixFileMode)Convert.ToInt32(line["Umask:".Length..].Trim(), 8);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            // no /proc: the narrower bits stay
        }
        return null;
    }

    private static UnixFileMode? Mode(string path)
    {
        if (OperatingSystem.IsWindows()) return null;
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
