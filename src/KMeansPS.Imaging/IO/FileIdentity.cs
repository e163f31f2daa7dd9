using System.Security.Cryptography;
using System.Text;

namespace KMeansPS.Imaging.IO;

/// <summary>
/// The identity of a file as the file system knows it, so that two paths compare equal exactly when they name one
/// file: a symbolic link and its target, two hard links, names that differ only in case on a case-insensitive volume.
/// Unix: device and inode number from stat(2), which follows links. Windows: volume serial number and file index
/// (GetFileInformationByHandle; final targets, as CreateFile follows links). Elsewhere (a Unix whose stat layout is not
/// known here): a hash of the fully resolved path, which catches links but not hard links.
/// </summary>
internal readonly record struct FileIdentity(ulong Device, ulong Number, FileKind Kind)
{
    /// <summary>The identity of the file at <paramref name="path"/>, or false when nothing is there (or it cannot be examined).</summary>
    public static bool TryGet(string path, out FileIdentity identity)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        if (OperatingSystem.IsWindows()) return WindowsFileCalls.TryGetIdentity(full, out identity);
        return PosixFileCalls.Stat(full, out identity) switch
        {
            PosixFileCalls.StatOutcome.Found => true,
            PosixFileCalls.StatOutcome.Missing => false,
            _ => TryGetByResolvedPath(full, out identity),
        };
    }

    /// <summary>True when both name the same file (the kind is not compared: one file has one kind).</summary>
    public bool IsSameFile(FileIdentity other) => Device == other.Device && Number == other.Number;

    /// <summary>True when both paths exist and are one file.</summary>
    public static bool SameFile(string a, string b) =>
        TryGet(a, out FileIdentity x) && TryGet(b, out FileIdentity y) && x.IsSameFile(y);

    /// <summary>
    /// The full path with every symbolic link in it resolved, as far as the path exists (the rest is appended as
    /// written): the key under which a file that does not exist yet is compared with others.
    /// </summary>
    public static string ResolvePath(string path)
    {
        string full = Path.GetFullPath(path);
        if (OperatingSystem.IsWindows()) return full;
        string? resolved = PosixFileCalls.RealPath(full);
        if (resolved is not null) return resolved;
        string? folder = Path.GetDirectoryName(full);
        if (folder is null || folder == full) return full;
        return Path.Combine(ResolvePath(folder), Path.GetFileName(full));
    }

    /// <summary>Compares resolved paths as the platform's file systems usually do: case-insensitive on Windows and macOS.</summary>
    public static StringComparer PathComparer { get; } =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    private static bool TryGetByResolvedPath(string full, out FileIdentity identity)
    {
        identity = default;
        FileKind kind = Directory.Exists(full) ? FileKind.Directory : File.Exists(full) ? FileKind.Regular : (FileKind)(-1);
        if (kind < 0) return false;
        string key = ResolvePath(full);
        if (ReferenceEquals(PathComparer, StringComparer.OrdinalIgnoreCase)) key = key.ToUpperInvariant();
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        identity = new FileIdentity(ulong.MaxValue, BitConverter.ToUInt64(hash, 0), kind);
        return true;
    }
}
