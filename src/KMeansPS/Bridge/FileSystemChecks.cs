using KMeansPS.Imaging.IO;
using KMeansPS.Pipeline;

namespace KMeansPS.Bridge;

/// <summary>The imaging library's file identity, resolved paths and temporary-file cleanup, in plain types for the cmdlets.</summary>
internal static class FileSystemChecks
{
    /// <summary>Compares resolved paths: case-insensitively on Windows and macOS.</summary>
    public static StringComparer PathComparer => FileIdentity.PathComparer;

    /// <summary>The identity of the file at <paramref name="path"/> (links followed), or null when nothing is there.</summary>
    public static FileKey? Identify(string path) =>
        FileIdentity.TryGet(path, out FileIdentity id)
            ? new FileKey(id.Device, id.Number, id.Kind == FileKind.Regular, id.Kind == FileKind.Directory)
            : null;

    /// <summary>The missing final target of <paramref name="path"/> when it is a symbolic link whose target does not exist, else null.</summary>
    public static string? DanglingLinkTarget(string path) => BrokenLink(path, out string? missing) && missing is not null ? missing : null;

    /// <summary>
    /// Whether <paramref name="path"/> is a symbolic link that leads nowhere: to a target that does not exist
    /// (<paramref name="missing"/> names it) or round a loop of links (<paramref name="missing"/> null).
    /// </summary>
    public static bool BrokenLink(string path, out string? missing)
    {
        missing = null;
        try
        {
            var link = new FileInfo(path);
            if (link.LinkTarget is null) return false;
            try
            {
                FileSystemInfo? target = link.ResolveLinkTarget(returnFinalTarget: true);
                if (target is null || target.Exists || Directory.Exists(target.FullName)) return false;
                missing = target.FullName;
                return true;
            }
            catch (IOException)
            {
                return true; // too many levels of links: a loop
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false; // no access to the link itself: the write reports it
        }
    }

    /// <summary>
    /// Why files cannot be created in <paramref name="folder"/> (or, when it does not exist yet, in the nearest folder
    /// above it that does, where it would be created), as access(2) says it, in the words the write itself uses
    /// (AtomicFileWriter.NoPermissionToCreate): "the folder '…' does not let this user create files in it (permission denied)" for no write
    /// permission or an immutable folder (which refuses root too), "… is on a read-only file system" for a read-only
    /// mount. Null when files can be created there, or where the OS cannot tell.
    /// </summary>
    public static string? WriteRefusal(string folder)
    {
        string? existing = Path.GetFullPath(folder);
        while (existing is not null && !Directory.Exists(existing)) existing = Path.GetDirectoryName(existing);
        if (existing is null) return null;
        existing = Path.TrimEndingDirectorySeparator(existing);
        return Imaging.IO.PosixFileCalls.AccessForWriting(existing) switch
        {
            <= 0 => null,
            Eacces or Eperm => Imaging.IO.AtomicFileWriter.NoPermissionToCreate(existing),
            Erofs => $"the folder '{existing}' is on a read-only file system",
            int error => $"the folder '{existing}' takes no new files ({System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(error)})",
        };
    }

    private const int Eperm = 1, Eacces = 13, Erofs = 30; // the same on Linux and macOS

    /// <summary>The full path with its links resolved as far as it exists.</summary>
    public static string ResolvePath(string path) => FileIdentity.ResolvePath(path);

    /// <summary>Removes stale temporary files of earlier runs (killed processes) from <paramref name="folder"/>.</summary>
    public static int RemoveStaleTempFiles(string folder) => TempFiles.RemoveStale(folder);

    /// <summary>
    /// True when <paramref name="path"/> is a regular file whose first bytes are those of a format the module reads
    /// (what its extension claims is not asked): a pipe, a dangling link, an empty file or a text file named x.bmp is not.
    /// Reads at most 64 bytes, without blocking on anything that is not a regular file.
    /// </summary>
    public static bool StartsLikeImage(string path)
    {
        if (Identify(path) is not { IsRegular: true }) return false;
        try
        {
            using FileStream stream = RegularFileReader.Open(path, FileShare.ReadWrite | FileShare.Delete, 64);
            Span<byte> head = stackalloc byte[64];
            int read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            return Imaging.Integrity.ImageFormatSniffer.Detect(head[..read]) != Imaging.Integrity.ImageFileFormat.Unknown;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>True when <paramref name="path"/>'s name is one of the temporary files outputs are written to.</summary>
    public static bool IsTempFile(string path) => TempFiles.OwnerOf(Path.GetFileName(path)) is not null;
}
