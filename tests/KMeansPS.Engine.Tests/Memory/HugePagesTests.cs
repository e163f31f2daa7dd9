using System.Globalization;
using KMeansPS.Engine.Memory;
using Xunit;

namespace KMeansPS.Engine.Tests.Memory;

/// <summary>
/// Where Linux leaves transparent huge pages to madvise (as on the CI machines), a new large buffer from the cache is
/// backed by 2 MiB pages once touched; small buffers are not advised; buffers read and write as before.
/// </summary>
public class HugePagesTests
{
    [Fact]
    public unsafe void Fresh_memory_advised_is_backed_by_huge_pages_once_touched()
    {
        const long bytes = 24 << 20;
        string? mode = ThpMode();
        // Fresh from the system (a malloc this large is its own mapping): the garbage collector may hand out pages it
        // has touched before, which stay small (and cost no faults).
        byte* memory = (byte*)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)bytes);
        try
        {
            bool advised = HugePages.Advise(memory, bytes);
            if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("KMEANSPS_NO_HUGEPAGES") == "1")
            {
                Assert.False(advised); // nothing asked
                return;
            }
            if (mode is null or "never") return; // the kernel may take the advice but has no huge pages to give
            // Under qemu-user (tests/arm64) /proc/self/smaps describes the emulator's address space, not ours.
            if (Environment.GetEnvironmentVariable("KMEANSPS_EMULATED") == "1") return;
            Assert.True(advised);
            for (long i = 0; i < bytes; i += 4096) memory[i] = (byte)(i >> 12);
            long hugeKiB = AnonHugeKiB((ulong)memory, (ulong)memory + (ulong)bytes);
            Assert.True(hugeKiB >= 16 << 10, $"{hugeKiB} KiB of huge pages back the 24 MiB (transparent huge pages: {mode})");
            for (long i = 0; i < bytes; i += 4096) Assert.Equal((byte)(i >> 12), memory[i]);
        }
        finally
        {
            System.Runtime.InteropServices.NativeMemory.Free(memory);
        }
    }

    [Fact]
    public void The_cache_advises_the_large_buffers_it_allocates()
    {
        if (!OperatingSystem.IsLinux() || ThpMode() is null or "never" || Environment.GetEnvironmentVariable("KMEANSPS_NO_HUGEPAGES") == "1") return;
        long before = HugePages.AdvisedBytes;
        int[] buffer = LargeBufferCache.Rent<int>((12 << 20) / sizeof(int) + 4_321); // a length no other test rents
        Assert.True(HugePages.AdvisedBytes - before >= 4 << 20);
        GC.KeepAlive(buffer);
    }

    [Fact]
    public void Small_buffers_are_not_advised()
    {
        Assert.False(HugePages.Advise(new byte[(int)HugePages.MinBytes - 1]));
    }

    [Fact]
    public unsafe void A_buffer_of_two_to_four_mebibytes_holding_a_whole_huge_page_is_advised()
    {
        // A 1 M-point fit's labels (4,000,000 bytes) hold one whole 2 MiB page or none, depending on where they start.
        if (!OperatingSystem.IsLinux() || ThpMode() is null or "never" || Environment.GetEnvironmentVariable("KMEANSPS_NO_HUGEPAGES") == "1") return;
        const long bytes = (2 << 20) + 4096;
        void* memory = System.Runtime.InteropServices.NativeMemory.AlignedAlloc((nuint)bytes, 2 << 20);
        try
        {
            long before = HugePages.AdvisedBytes;
            Assert.True(HugePages.Advise(memory, bytes));
            Assert.True(HugePages.AdvisedBytes - before >= 2 << 20);
            Assert.False(HugePages.Advise((byte*)memory + 64, bytes - 64)); // no whole page inside
        }
        finally
        {
            System.Runtime.InteropServices.NativeMemory.AlignedFree(memory);
        }
    }

    /// <summary>The bracketed mode of /sys/kernel/mm/transparent_hugepage/enabled, or null.</summary>
    private static string? ThpMode()
    {
        const string path = "/sys/kernel/mm/transparent_hugepage/enabled";
        if (!File.Exists(path)) return null;
        string text = File.ReadAllText(path);
        int open = text.IndexOf('['), close = text.IndexOf(']');
        return open >= 0 && close > open ? text[(open + 1)..close] : null;
    }

    /// <summary>AnonHugePages of the mappings in /proc/self/smaps that overlap [from, to).</summary>
    private static long AnonHugeKiB(ulong from, ulong to)
    {
        bool inside = false;
        long total = 0;
        foreach (string line in File.ReadLines("/proc/self/smaps"))
        {
            int dash = line.IndexOf('-');
            int space = line.IndexOf(' ');
            if (dash > 0 && space > dash && ulong.TryParse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong start)
                && ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong end))
            {
                inside = start < to && end > from;
                continue;
            }
            if (inside && line.StartsWith("AnonHugePages:", StringComparison.Ordinal))
                total += long.Parse(line.AsSpan(14).Trim().ToString().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        return total;
    }
}
