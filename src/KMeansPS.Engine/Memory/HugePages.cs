using System.Runtime.InteropServices;

namespace KMeansPS.Engine.Memory;

/// <summary>
/// Asks Linux to back a new large buffer with 2 MiB pages (madvise MADV_HUGEPAGE) before anything touches it. Where
/// transparent huge pages are left to madvise, as on many distributions and the VM perf/README.md describes, fresh
/// memory otherwise costs a page fault per 4 KiB (11.5 microseconds each there): first touches of a new 64 MiB array
/// took 270-294 ms, 38-41 ms with the advice. Only whole 2 MiB pages inside the array are advised, so nothing outside it
/// changes. Elsewhere (Windows, macOS, huge pages off, a libc without madvise) nothing happens. KMEANSPS_NO_HUGEPAGES=1
/// turns it off (to measure, or if a system's huge pages misbehave).
/// </summary>
internal static partial class HugePages
{
    /// <summary>Below one huge page no array holds one whole (from two to four, one whole page or none, by alignment).</summary>
    internal const long MinBytes = 2L << 20;

    private const int MadvHugePage = 14;
    private const nint PageBytes = 2 << 20;

    private static bool s_off = !OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("KMEANSPS_NO_HUGEPAGES") == "1";

    private static long s_advisedBytes;

    /// <summary>Bytes advised so far in this process (whole huge pages), for tests.</summary>
    internal static long AdvisedBytes => Interlocked.Read(ref s_advisedBytes);

    /// <summary>Advises the whole 2 MiB pages inside <paramref name="array"/>; true if the system took the advice.</summary>
    internal static unsafe bool Advise<T>(T[] array) where T : unmanaged
    {
        fixed (T* first = array)
        {
            return Advise(first, (long)array.Length * sizeof(T));
        }
    }

    /// <summary>Advises the whole 2 MiB pages inside [address, address + bytes); true if the system took the advice.</summary>
    internal static unsafe bool Advise(void* address, long bytes)
    {
        if (s_off || bytes < MinBytes) return false;
        nint start = ((nint)address + PageBytes - 1) & ~(PageBytes - 1);
        nint end = ((nint)address + (nint)bytes) & ~(PageBytes - 1);
        if (end <= start) return false;
        try
        {
            if (Madvise(start, (nuint)(end - start), MadvHugePage) != 0) return false;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            s_off = true;
            return false;
        }
        Interlocked.Add(ref s_advisedBytes, end - start);
        return true;
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
