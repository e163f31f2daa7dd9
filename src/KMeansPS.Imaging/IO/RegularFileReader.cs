using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace KMeansPS.Imaging.IO;

/// <summary>
/// Opens a file to read that must be a regular file (an input image, an output whose marker is read). A pipe opened
/// with a plain open(2) waits for a writer for ever, and a file checked up front may be swapped for one before it is
/// opened: on Linux and macOS the file is opened without blocking and then asked whether it can seek, which only
/// regular files (and a few devices, which read as empty) can, so a pipe is refused at once. Elsewhere a plain open.
/// </summary>
internal static partial class RegularFileReader
{
    private const int Enoent = 2, Eacces = 13, Enotdir = 20, Enxio = 6, Eloop = 40;

    /// <summary>A read stream on <paramref name="path"/>; <see cref="SpecialFileException"/> when it is a pipe or another file that cannot seek.</summary>
    public static FileStream Open(string path, FileShare share, int bufferSize, FileOptions options = FileOptions.None)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            return new FileStream(path, FileMode.Open, FileAccess.Read, share, bufferSize, options);
        // O_RDONLY | O_NONBLOCK | O_CLOEXEC: a pipe opens at once instead of waiting for a writer.
        int flags = OperatingSystem.IsMacOS() ? 0x4 | 0x1000000 : 0x800 | 0x80000;
        int fd = OpenCall(path, flags);
        if (fd < 0)
        {
            int error = Marshal.GetLastPInvokeError();
            throw error switch
            {
                Enoent => new FileNotFoundException($"Could not find file '{path}'.", path),
                Enotdir => new DirectoryNotFoundException($"Could not find a part of the path '{path}'."),
                Eacces => new UnauthorizedAccessException($"Access to the path '{path}' is denied."),
                Enxio => new SpecialFileException(path), // a socket
                _ => new IOException($"Could not open '{path}' (error {error}{(error == Eloop ? ": too many levels of symbolic links" : "")})."),
            };
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        FileStream stream;
        try
        {
            stream = new FileStream(handle, FileAccess.Read, bufferSize);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        if (stream.CanSeek) return stream;
        stream.Dispose();
        throw new SpecialFileException(path);
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenCall(string path, int flags);
}
