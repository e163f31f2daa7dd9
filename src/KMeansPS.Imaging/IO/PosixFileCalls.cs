using System.Runtime.InteropServices;

namespace KMeansPS.Imaging.IO;

/// <summary>
/// The few POSIX calls .NET has no public API for: stat(2) for device and inode, link(2) and Linux renameat2(2) for a
/// publish that never replaces an existing file, realpath(3). The layout of struct stat is read only where it is known:
/// Linux x64 and arm64 (glibc and musl agree), macOS; on other Linux architectures (arm32, ppc64le, s390x, riscv64)
/// statx(2), whose struct has one layout everywhere; elsewhere <see cref="Stat"/> says it cannot tell.
/// </summary>
internal static unsafe partial class PosixFileCalls
{
    /// <summary>What <see cref="Stat"/> found.</summary>
    internal enum StatOutcome
    {
        /// <summary>The file exists; its identity was read.</summary>
        Found,

        /// <summary>Nothing at that path (or a path that cannot be examined).</summary>
        Missing,

        /// <summary>This platform's struct stat layout is not known here.</summary>
        Unsupported,
    }

    internal const int EEXIST = 17; // the same on Linux and macOS
    private const int Enosys = 38, Eperm = 1; // Linux's, on the architectures statx serves here
    private const int AtFdCwd = -100;
    private const uint NoReplaceFlag = 1;
    private const uint FileTypeMask = 0xF000, RegularFile = 0x8000, DirectoryFile = 0x4000;
    private const int StatBufferBytes = 512; // struct stat is 128..144 bytes on the platforms read here
    private const int StatxBufferBytes = 256; // struct statx, the same on every Linux architecture
    private const uint StatxTypeAndInode = 0x1 | 0x100; // STATX_TYPE | STATX_INO

    private static int s_statEntry; // 0 untried, 1 stat, 2 __xstat (glibc before 2.33), 3 none

    /// <summary>stat(2) (follows symbolic links) reduced to device, inode and kind.</summary>
    public static StatOutcome Stat(string path, out FileIdentity identity)
    {
        identity = default;
        Layout layout = CurrentLayout();
        if (layout == Layout.Unknown) return OperatingSystem.IsLinux() ? StatX(path, out identity) : StatOutcome.Unsupported;
        byte* buffer = stackalloc byte[StatBufferBytes];
        int result = CallStat(path, buffer);
        if (result == int.MinValue) return StatOutcome.Unsupported;
        if (result != 0) return StatOutcome.Missing;
        ulong device, inode;
        uint mode;
        switch (layout)
        {
            case Layout.LinuxX64:
                device = *(ulong*)buffer; inode = *(ulong*)(buffer + 8); mode = *(uint*)(buffer + 24);
                break;
            case Layout.LinuxArm64:
                device = *(ulong*)buffer; inode = *(ulong*)(buffer + 8); mode = *(uint*)(buffer + 16);
                break;
            default: // macOS: int32 st_dev, uint16 st_mode, uint16 st_nlink, uint64 st_ino
                device = *(uint*)buffer; mode = *(ushort*)(buffer + 4); inode = *(ulong*)(buffer + 8);
                break;
        }
        identity = new FileIdentity(device, inode, KindOf(mode));
        return StatOutcome.Found;
    }

    /// <summary>
    /// statx(2) (Linux 4.11, glibc 2.28, musl 1.2.5; follows symbolic links) reduced as <see cref="Stat"/>: the device
    /// numbered as glibc's makedev numbers st_dev, so on x64 and arm64 both calls give the same identity (tests compare
    /// them there). Unsupported when the C library or the kernel lacks the call, or a sandbox refuses it.
    /// </summary>
    internal static StatOutcome StatX(string path, out FileIdentity identity)
    {
        identity = default;
        byte* buffer = stackalloc byte[StatxBufferBytes];
        int result;
        try
        {
            result = StatxCall(AtFdCwd, path, 0, StatxTypeAndInode, buffer);
        }
        catch (EntryPointNotFoundException)
        {
            return StatOutcome.Unsupported;
        }
        if (result != 0)
        {
            // A kernel before 4.11 (ENOSYS) or a sandbox that filters the call (EPERM) cannot tell: not "missing".
            int error = Marshal.GetLastPInvokeError();
            return error is Enosys or Eperm ? StatOutcome.Unsupported : StatOutcome.Missing;
        }
        uint mode = *(ushort*)(buffer + 28);
        ulong inode = *(ulong*)(buffer + 32);
        ulong major = *(uint*)(buffer + 136), minor = *(uint*)(buffer + 140);
        ulong device = ((major & 0x00000FFF) << 8) | ((major & 0xFFFFF000) << 32) | (minor & 0x000000FF) | ((minor & 0xFFFFFF00) << 12);
        identity = new FileIdentity(device, inode, KindOf(mode));
        return StatOutcome.Found;
    }

    /// <summary>The kind of file a mode's type bits name (the same bits in struct stat and struct statx).</summary>
    private static FileKind KindOf(uint mode) => (mode & FileTypeMask) switch
    {
        RegularFile => FileKind.Regular,
        DirectoryFile => FileKind.Directory,
        _ => FileKind.Other,
    };

    /// <summary>link(2): 0, or the errno.</summary>
    public static int Link(string existing, string newPath) =>
        LinkCall(existing, newPath) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>Linux renameat2(2) with RENAME_NOREPLACE: 0, the errno, or -1 when the C library lacks the call.</summary>
    public static int RenameNoReplace(string from, string to)
    {
        if (!OperatingSystem.IsLinux()) return -1;
        try
        {
            return RenameAt2(AtFdCwd, from, AtFdCwd, to, NoReplaceFlag) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
        catch (EntryPointNotFoundException)
        {
            return -1;
        }
    }

    /// <summary>realpath(3): the path with every link resolved, or null when it does not exist.</summary>
    public static string? RealPath(string path)
    {
        byte* resolved = RealPathCall(path, null);
        if (resolved == null) return null;
        try
        {
            return Marshal.PtrToStringUTF8((IntPtr)resolved);
        }
        finally
        {
            Free(resolved);
        }
    }

    private enum Layout { Unknown, LinuxX64, LinuxArm64, MacOS }

    private static Layout CurrentLayout()
    {
        if (OperatingSystem.IsMacOS()) return Layout.MacOS;
        if (!OperatingSystem.IsLinux()) return Layout.Unknown;
        return RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => Layout.LinuxX64,
            Architecture.Arm64 => Layout.LinuxArm64,
            _ => Layout.Unknown,
        };
    }

    // stat's return value, or int.MinValue when no usable entry point exists.
    private static int CallStat(string path, byte* buffer)
    {
        int entry = Volatile.Read(ref s_statEntry);
        if (entry is 0 or 1)
        {
            try
            {
                int result = OperatingSystem.IsMacOS() && RuntimeInformation.ProcessArchitecture == Architecture.X64
                    ? StatMacX64(path, buffer)
                    : StatCall(path, buffer);
                Volatile.Write(ref s_statEntry, 1);
                return result;
            }
            catch (EntryPointNotFoundException)
            {
                Volatile.Write(ref s_statEntry, entry = 2);
            }
        }
        if (entry == 2 && OperatingSystem.IsLinux())
        {
            try
            {
                // glibc before 2.33 exports stat only as __xstat(_STAT_VER, ...): 1 on x64, 0 on arm64.
                return XStat(RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 1 : 0, path, buffer);
            }
            catch (EntryPointNotFoundException)
            {
                Volatile.Write(ref s_statEntry, 3);
            }
        }
        return int.MinValue;
    }

    /// <summary>
    /// The group that owns the file at <paramref name="path"/> (stat(2), links followed), or null where struct stat's
    /// layout is not known here or nothing is there.
    /// </summary>
    public static uint? GroupOf(string path)
    {
        Layout layout = CurrentLayout();
        if (layout == Layout.Unknown) return null;
        byte* buffer = stackalloc byte[StatBufferBytes];
        if (CallStat(path, buffer) != 0) return null;
        return layout switch
        {
            Layout.LinuxX64 => *(uint*)(buffer + 32),
            Layout.LinuxArm64 => *(uint*)(buffer + 28),
            _ => *(uint*)(buffer + 20), // macOS: st_uid at 16, st_gid at 20
        };
    }

    /// <summary>fchown(2) of the group only (the owner left as it is); 0 on success.</summary>
    public static int ChangeGroup(SafeHandle file, uint group)
    {
        bool added = false;
        try
        {
            file.DangerousAddRef(ref added);
            return FchownCall((int)file.DangerousGetHandle(), uint.MaxValue, group);
        }
        finally
        {
            if (added) file.DangerousRelease();
        }
    }

    /// <summary>
    /// access(2) for creating files in <paramref name="folder"/> (W_OK | X_OK, as the real user, which is the process's
    /// here): 0, or the errno (EACCES, EROFS for a read-only mount, EPERM for an immutable folder, which refuse root too);
    /// -1 when the C library lacks the call (Windows).
    /// </summary>
    public static int AccessForWriting(string folder)
    {
        if (OperatingSystem.IsWindows()) return -1;
        try
        {
            return AccessCall(folder, WriteAndSearch) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
        catch (EntryPointNotFoundException)
        {
            return -1;
        }
    }

    private const int WriteAndSearch = 2 | 1; // W_OK | X_OK, the same on Linux and macOS

    [LibraryImport("libc", EntryPoint = "access", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int AccessCall(string path, int mode);

    [LibraryImport("libc", EntryPoint = "fchown", SetLastError = true)]
    private static partial int FchownCall(int file, uint owner, uint group);

    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatCall(string path, byte* buffer);

    [LibraryImport("libc", EntryPoint = "stat$INODE64", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatMacX64(string path, byte* buffer);

    [LibraryImport("libc", EntryPoint = "__xstat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int XStat(int version, string path, byte* buffer);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatxCall(int folder, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LinkCall(string existing, string newPath);

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameAt2(int fromFolder, string from, int toFolder, string to, uint flags);

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8)]
    private static partial byte* RealPathCall(string path, byte* resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void Free(byte* pointer);
}
