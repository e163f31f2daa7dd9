using System.Runtime.CompilerServices;

namespace KMeansPS.Imaging;

/// <summary>
/// Keeps the large buffers of finished image jobs (pixels, per-pixel indices, the file's bytes) for the next job
/// that needs the same length. Memory the runtime has just taken from the system is paid for in page faults on
/// first touch: about 8 microseconds per 4 KiB page on the VM perf/README.md describes, up to 80 ms of a
/// 4-megapixel job. A batch of same-sized images (screenshots, one camera's photos) reuses the buffers instead.
/// Rented buffers are uninitialised, like <see cref="GC.AllocateUninitializedArray{T}(int, bool)"/>: users write
/// every element before reading it. A few buffers are kept per element type; the first full garbage collection
/// after the cache has been idle for <see cref="IdleMilliseconds"/>, or when memory is short, empties it.
/// </summary>
internal static class LargeBufferCache
{
    /// <summary>Smaller buffers are simply allocated: the runtime's small-object heap keeps its pages.</summary>
    internal const int MinBytes = 1 << 20;

    /// <summary>Buffers kept per element type (enough for a few parallel jobs).</summary>
    private const int PerType = 6;

    private const long IdleMilliseconds = 20_000;

    private static long s_lastUse = Environment.TickCount64;
    private static readonly List<Action> Trimmers = [];

    static LargeBufferCache() => _ = new Gen2Sentinel();

    /// <summary>An array of exactly <paramref name="length"/> elements, reused when one is kept; contents undefined.</summary>
    internal static T[] Rent<T>(int length) where T : unmanaged
    {
        if ((long)length * Unsafe.SizeOf<T>() >= MinBytes)
        {
            Volatile.Write(ref s_lastUse, Environment.TickCount64);
            T[]? kept = Slots<T>.Take(length);
            if (kept is not null) return kept;
        }
        return GC.AllocateUninitializedArray<T>(length);
    }

    /// <summary>Hands back an array nothing references any more.</summary>
    internal static void Return<T>(T[]? array) where T : unmanaged
    {
        if (array is null || (long)array.Length * Unsafe.SizeOf<T>() < MinBytes) return;
        Volatile.Write(ref s_lastUse, Environment.TickCount64);
        Slots<T>.Put(array);
    }

    /// <summary>Drops every kept buffer (tests, and the trimming below).</summary>
    internal static void Clear()
    {
        Action[] trimmers;
        lock (Trimmers) trimmers = [.. Trimmers];
        foreach (Action trim in trimmers) trim();
    }

    /// <summary>How many buffers of element type <typeparamref name="T"/> are kept (tests).</summary>
    internal static int Count<T>() where T : unmanaged => Slots<T>.Count;

    private static class Slots<T> where T : unmanaged
    {
        private static readonly List<T[]> Kept = [];

        static Slots()
        {
            lock (Trimmers) Trimmers.Add(() => { lock (Kept) Kept.Clear(); });
        }

        internal static int Count
        {
            get { lock (Kept) return Kept.Count; }
        }

        internal static T[]? Take(int length)
        {
            lock (Kept)
            {
                for (int i = Kept.Count - 1; i >= 0; i--)
                {
                    if (Kept[i].Length != length) continue;
                    T[] found = Kept[i];
                    Kept.RemoveAt(i);
                    return found;
                }
            }
            return null;
        }

        internal static void Put(T[] array)
        {
            lock (Kept)
            {
                foreach (T[] kept in Kept)
                    if (ReferenceEquals(kept, array)) return;
                if (Kept.Count == PerType) Kept.RemoveAt(0); // the oldest goes
                Kept.Add(array);
            }
        }
    }

    /// <summary>
    /// Finalized after every collection that reaches it once it is in generation 2, then re-registered: a hook
    /// on full collections without any timer.
    /// </summary>
    private sealed class Gen2Sentinel
    {
        ~Gen2Sentinel()
        {
            if (Environment.HasShutdownStarted) return;
            GCMemoryInfo info = GC.GetGCMemoryInfo();
            bool idle = Environment.TickCount64 - Volatile.Read(ref s_lastUse) > IdleMilliseconds;
            bool memoryShort = info.HighMemoryLoadThresholdBytes > 0 && info.MemoryLoadBytes >= info.HighMemoryLoadThresholdBytes * 9 / 10;
            if (idle || memoryShort) Clear();
            GC.ReRegisterForFinalize(this);
        }
    }
}
