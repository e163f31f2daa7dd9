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
