using System.Runtime.CompilerServices;

namespace KMeansPS.Engine.Memory;

/// <summary>
/// Keeps the large buffers of finished jobs (an image's pixels, per-pixel indices and file bytes; a fit's coordinate
/// planes, distances and bounds) for the next job that needs the same length. Memory the runtime has just taken from the system is paid for
/// in page faults on first touch: about 8 microseconds per 4 KiB page on the VM perf/README.md describes, up to 80 ms
/// of a 4-megapixel job and 220 ms of a fit's 100 MB of planes. A batch of same-sized images (screenshots, one
/// camera's photos), the seedings of one palette, restarts and K sweeps over the same data reuse the buffers instead.
/// Rented buffers are uninitialised, like <see cref="GC.AllocateUninitializedArray{T}(int, bool)"/>: users write
/// every element before reading it. At most <see cref="MaxBytes"/> are kept (the oldest go first), and all of it
/// is let go once no buffer has been rented or returned for <see cref="IdleMilliseconds"/>, so a session that has
/// finished its images does not hold their memory.
/// </summary>
internal static class LargeBufferCache
{
    /// <summary>
    /// Smaller buffers are simply allocated: below 85,000 bytes (the runtime's large-object threshold) an array lives
    /// in the small-object heap, which keeps its pages. Every array from there up is kept: a large object that is
    /// allocated afresh counts towards the budget whose end starts a full (gen 2) collection, so a small histogram's
    /// seedings (a GUI screenshot's 29,030 colours: 116 KB per label array, about 95 of them a call) cost a full
    /// collection per call when only arrays from 128 KiB were kept (perf/README, "A settled session").
    /// </summary>
    internal const int MinBytes = 85_000;

    /// <summary>The most kept at once: the buffers of two parallel jobs on 4K images.</summary>
    internal const long MaxBytes = 192L << 20;

    /// <summary>How long the cache may go unused before it lets its buffers go (settable for tests).</summary>
    internal static int IdleMilliseconds { get; set; } = 10_000;

    private static readonly object Gate = new();
    private static readonly List<(Array Buffer, long Bytes)> Kept = [];
    private static long s_keptBytes;
    private static long s_lastUse;
    private static Timer? s_idleTimer;

    /// <summary>An array of exactly <paramref name="length"/> elements, reused when one is kept; contents undefined.</summary>
    internal static T[] Rent<T>(int length) where T : unmanaged
    {
        if ((long)length * Unsafe.SizeOf<T>() >= MinBytes)
        {
            lock (Gate)
            {
                s_lastUse = Environment.TickCount64;
                for (int i = Kept.Count - 1; i >= 0; i--)
                {
                    if (Kept[i].Buffer is not T[] found || found.Length != length) continue;
                    s_keptBytes -= Kept[i].Bytes;
                    Kept.RemoveAt(i);
                    return found;
                }
            }
        }
        T[] fresh = GC.AllocateUninitializedArray<T>(length);
        HugePages.Advise(fresh); // before its first touch
        return fresh;
    }

    /// <summary>Hands back an array nothing references any more.</summary>
    internal static void Return<T>(T[]? array) where T : unmanaged
    {
        if (array is null || Bytes(array) < MinBytes || Bytes(array) > MaxBytes) return;
        lock (Gate)
        {
            s_lastUse = Environment.TickCount64;
            foreach ((Array kept, _) in Kept)
                if (ReferenceEquals(kept, array)) return;
            Kept.Add((array, Bytes(array)));
            s_keptBytes += Bytes(array);
            while (s_keptBytes > MaxBytes)
            {
                s_keptBytes -= Kept[0].Bytes;
                Kept.RemoveAt(0); // the oldest goes
            }
            s_idleTimer ??= new Timer(_ => ReleaseIfIdle(), null, Timeout.Infinite, Timeout.Infinite);
            s_idleTimer.Change(IdleMilliseconds, Timeout.Infinite);
        }
    }

    /// <summary>Drops every kept buffer.</summary>
    internal static void Clear()
    {
        lock (Gate)
        {
            Kept.Clear();
            s_keptBytes = 0;
        }
    }

    /// <summary>How many arrays of <typeparamref name="T"/> and exactly <paramref name="length"/> elements are kept now (tests).</summary>
    internal static int KeptCount<T>(int length) where T : unmanaged
    {
        lock (Gate) return Kept.Count(k => k.Buffer is T[] found && found.Length == length);
    }

    /// <summary>Bytes kept now (tests).</summary>
    internal static long KeptBytes
    {
        get { lock (Gate) return s_keptBytes; }
    }

    private static void ReleaseIfIdle()
    {
        lock (Gate)
        {
            long idle = Environment.TickCount64 - s_lastUse;
            if (idle >= IdleMilliseconds) Clear();
            else s_idleTimer?.Change(IdleMilliseconds - idle, Timeout.Infinite);
        }
    }

    private static long Bytes<T>(T[] array) where T : unmanaged => (long)array.Length * Unsafe.SizeOf<T>();
}
