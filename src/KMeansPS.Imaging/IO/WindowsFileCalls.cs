using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace KMeansPS.Imaging.IO;

/// <summary>
/// Windows file identity: the volume serial number and file index of GetFileInformationByHandle, on a handle opened
/// with no access rights (so a file locked by another program can still be examined) and following links, as
/// CreateFile does without FILE_FLAG_OPEN_REPARSE_POINT.
/// </summary>
internal static partial class WindowsFileCalls
{
    private const uint ShareAll = 0x1 | 0x2 | 0x4;
    private const uint OpenExisting = 3;
    private const uint BackupSemantics = 0x02000000; // needed to open a folder
    private const uint DirectoryAttribute = 0x10;
    private const uint DiskFileType = 1;

    /// <summary>False when nothing can be opened at <paramref name="fullPath"/>.</summary>
    public static bool TryGetIdentity(string fullPath, out FileIdentity identity)
    {
        identity = default;
        using SafeFileHandle handle = CreateFile(fullPath, 0, ShareAll, IntPtr.Zero, OpenExisting, BackupSemantics, IntPtr.Zero);
        if (handle.IsInvalid || !GetFileInformationByHandle(handle, out ByHandleFileInformation info)) return false;
        FileKind kind = GetFileType(handle) != DiskFileType ? FileKind.Other
            : (info.FileAttributes & DirectoryAttribute) != 0 ? FileKind.Directory : FileKind.Regular;
        identity = new FileIdentity(info.VolumeSerialNumber, ((ulong)info.FileIndexHigh << 32) | info.FileIndexLow, kind);
        return true;
    }

    [StructLayout(LayoutKind.Sequential, Pack = 4)] // FILETIME is two DWORDs: 4-byte aligned, 52 bytes in all
    private struct ByHandleFileInformation
    {
        public uint FileAttributes;
        public long CreationTime;
        public long LastAccessTime;
        public long LastWriteTime;
        public uint VolumeSerialNumber;
        public uint FileSizeHigh;
        public uint FileSizeLow;
        public uint NumberOfLinks;
        public uint FileIndexHigh;
        public uint FileIndexLow;
    }

    [LibraryImport("kernel32.dll", EntryPoint = "CreateFileW", SetLastError = true, StringMarshalling = StringMarshalling.Utf16)]
    private static partial SafeFileHandle CreateFile(string name, uint access, uint share, IntPtr security, uint disposition, uint flags, IntPtr template);

    [LibraryImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool GetFileInformationByHandle(SafeFileHandle handle, out ByHandleFileInformation information);

    [LibraryImport("kernel32.dll")]
    private static partial uint GetFileType(SafeFileHandle handle);
}
