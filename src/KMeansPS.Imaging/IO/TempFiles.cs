using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace KMeansPS.Imaging.IO;

/// <summary>
/// The temporary files outputs are written to before they are published: short names (".kmps.PID.8HEX.tmp", at most
/// 30 bytes whatever the destination's name, so names near the 255-byte limit still work) in the destination's folder,
/// removed on failure and cancellation by the writer, on process exit and on SIGTERM, SIGHUP and SIGQUIT by handlers
/// here (SIGKILL and power loss cannot be caught), and otherwise by <see cref="RemoveStale"/> on a later run: a file named so
/// whose process is gone and that has not been written to for a minute, or that is a day old. While a file is live its
/// time of last write is renewed every <see cref="HeartbeatPeriod"/> (<see cref="Heartbeat"/>): an encoder may take minutes
/// before it writes a byte, and a run in another PID namespace or on another host sharing the folder sees no owner.
/// A private folder of this process (the import's warm-up works in one) can be tracked too (<see cref="TrackFolder"/>):
/// the same handlers remove it with its contents.
/// </summary>
internal static class TempFiles
{
    private const string Prefix = ".kmps.";
    private const string Suffix = ".tmp";
    private static readonly ConcurrentDictionary<string, byte> Live = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, byte> LiveFolders = new(StringComparer.Ordinal);
    private static int s_exitHookInstalled;
    private static volatile bool s_ending; // the exit or signal handlers have started: a folder tracked now may be missed
    private static PosixSignalRegistration[]? s_signals; // kept alive: disposing one unregisters it

    /// <summary>How long a dead process's temporary file is left alone (a writer in another PID namespace may own it).</summary>
    internal static readonly TimeSpan QuietTime = TimeSpan.FromMinutes(1);

    /// <summary>Age after which a temporary file is stale whoever owns it (the owner's PID may have been reused).</summary>
    internal static readonly TimeSpan MaxAge = TimeSpan.FromDays(1);

    /// <summary>How often a live temporary file's time of last write is renewed: well inside <see cref="QuietTime"/>.</summary>
    internal static readonly TimeSpan HeartbeatPeriod = TimeSpan.FromSeconds(15);

    private static Timer? s_heartbeat; // kept alive while the process runs; a timer does not keep the process up

    /// <summary>A fresh temporary path in <paramref name="folder"/>, registered for removal at process exit.</summary>
    public static string Create(string folder)
    {
        InstallExitHook();
        if (s_heartbeat is null)
        {
            var timer = new Timer(_ => Heartbeat(), null, HeartbeatPeriod, HeartbeatPeriod);
            if (Interlocked.CompareExchange(ref s_heartbeat, timer, null) is not null) timer.Dispose();
        }
        string path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture,
            $"{Prefix}{Environment.ProcessId}.{RandomNumberGenerator.GetHexString(8, lowercase: true)}{Suffix}"));
        Live[path] = 0;
        return path;
    }

    /// <summary>
    /// Renews the time of last write of every live temporary file, so no other run takes it for a dead process's leftover
    /// (<see cref="RemoveStale"/>). Returns how many were renewed.
    /// </summary>
    internal static int Heartbeat()
    {
        int renewed = 0;
        foreach (string path in Live.Keys)
        {
            try
            {
                if (!File.Exists(path)) continue; // created but not opened yet, or being published
                File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
                renewed++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A renewal that fails leaves the file to the quiet time; the write itself reports real trouble.
            }
        }
        return renewed;
    }

    /// <summary>Deletes <paramref name="path"/> if it is there and forgets it.</summary>
    public static void Remove(string path)
    {
        TryDelete(path);
        Live.TryRemove(path, out _);
    }

    /// <summary>Whether the exit or signal handlers have started: work that would make a folder should not start.</summary>
    public static bool Ending => s_ending;

    /// <summary>
    /// Registers <paramref name="folder"/>, a folder this process made for itself, for removal with everything in it at
    /// process exit and on SIGTERM, SIGHUP and SIGQUIT, until <see cref="RemoveFolder"/>. False if those handlers have
    /// started already (they may have listed the folders before this one): the folder is then removed here at once.
    /// </summary>
    public static bool TrackFolder(string folder)
    {
        InstallExitHook();
        LiveFolders[folder] = 0;
        if (!s_ending) return true; // the handlers, if they start now, find it
        RemoveFolder(folder);
        return false;
    }

    /// <summary>Tests: as if the exit handlers had started (true) or not (false).</summary>
    internal static void SetEndingForTests(bool ending) => s_ending = ending;

    /// <summary>
    /// Deletes a tracked folder with its contents (links in it are removed, never followed) and forgets it; false if it
    /// stays (still tracked: the exit handlers try again).
    /// </summary>
    public static bool RemoveFolder(string folder)
    {
        if (!TryDeleteFolder(folder)) return false;
        LiveFolders.TryRemove(folder, out _);
        return true;
    }

    /// <summary>Forgets <paramref name="path"/> (it was published).</summary>
    public static void Forget(string path) => Live.TryRemove(path, out _);

    /// <summary>The process id in a temporary file name of ours, or null when the name is not one.</summary>
    public static int? OwnerOf(string fileName)
    {
        if (!fileName.StartsWith(Prefix, StringComparison.Ordinal) || !fileName.EndsWith(Suffix, StringComparison.Ordinal)) return null;
        string[] parts = fileName[Prefix.Length..^Suffix.Length].Split('.');
        if (parts.Length != 2 || parts[1].Length != 8 || !parts[1].All(char.IsAsciiHexDigitLower)) return null;
        return int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && pid > 0 ? pid : null;
    }

    /// <summary>Removes the stale temporary files of earlier runs from <paramref name="folder"/>; returns how many.</summary>
    public static int RemoveStale(string folder)
    {
        if (!Directory.Exists(folder)) return 0;
        int removed = 0;
        try
        {
            foreach (string path in Directory.EnumerateFiles(folder, Prefix + "*" + Suffix,
                         new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = true, MatchCasing = MatchCasing.CaseSensitive }))
            {
                if (OwnerOf(Path.GetFileName(path)) is not int pid || Live.ContainsKey(path)) continue;
                TimeSpan quiet = DateTime.UtcNow - File.GetLastWriteTimeUtc(path);
                bool ownerGone = pid != Environment.ProcessId && !IsRunning(pid);
                // One of our own that is not live was left by a write this process abandoned.
                if (quiet > MaxAge || (quiet > QuietTime && (ownerGone || pid == Environment.ProcessId)))
                {
                    if (TryDelete(path)) removed++;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Cleaning up is a courtesy; a folder that cannot be listed is reported by the write itself.
        }
        return removed;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return true; // a process this user may not query (Windows): running, so its file stays
        }
    }

    private static void InstallExitHook()
    {
        if (Interlocked.Exchange(ref s_exitHookInstalled, 1) == 0)
        {
            // Only deletes files: nothing is cancelled, so the host's own handling of exit and signals goes on as before
            // (SIGTERM still ends the process with 143). SIGTERM does not raise ProcessExit under pwsh, hence the
            // signal handlers; SIGINT is left alone (PowerShell stops the pipeline, and the writer cleans up).
            AppDomain.CurrentDomain.ProcessExit += (_, _) => RemoveLive();
            s_signals = [.. new[] { PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT }.Select(TryRegister).OfType<PosixSignalRegistration>()];
        }
    }

    private static void RemoveLive()
    {
        s_ending = true;
        foreach (string path in Live.Keys) TryDelete(path);
        foreach (string folder in LiveFolders.Keys) TryDeleteFolder(folder);
    }

    private static PosixSignalRegistration? TryRegister(PosixSignal signal)
    {
        try
        {
            return PosixSignalRegistration.Create(signal, _ => RemoveLive());
        }
        catch (PlatformNotSupportedException)
        {
            return null;
        }
    }

    // A few tries: at exit the thread working in the folder still runs and may add a file between the recursive delete's
    // listing and its removal of the folder (then "not empty"); once the folder is gone, nothing can be added to it.
    private static bool TryDeleteFolder(string folder)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
                return true;
            }
            catch (DirectoryNotFoundException)
            {
                return true; // gone already
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                if (attempt == 4) return false;
                Thread.Sleep(10);
            }
        }
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
