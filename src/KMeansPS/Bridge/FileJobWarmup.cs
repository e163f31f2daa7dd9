using System.Globalization;
using KMeansPS.Imaging.IO;
using KMeansPS.Output;
using PaletteJobWarmup = KMeansPS.Imaging.Quantization.PaletteJobWarmup;
using QuantizeOptions = KMeansPS.Imaging.Quantization.QuantizeOptions;

namespace KMeansPS.Bridge;

/// <summary>
/// The second half of the import's warm-up (<see cref="ImportWarmup"/>): the warm-up's embedded PNG and JPEG files
/// compressed as Compress-ImageKMeans compresses a file, through <see cref="ImageCompressionJob"/> from a file in a
/// private temporary folder to a file beside it, which is then removed with the folder. <see cref="PaletteJobWarmup"/>
/// compiles the kernels on an image in memory; a first call also ran the file's path around them for the first time
/// (its intake and structure check, the marker and its hash, the metadata, the metrics beside the encoder, the atomic
/// write): after the in-memory warm-up, china.png at K = 16 took 198-214 ms in a fresh session's first call against
/// 78-112 warm, 208 methods compiled in that call; after a first call on a 96 x 64 PNG, 108-125 ms and 84 methods
/// (perf/README, "The first call of a small image"). One worker, as the in-memory part (the metrics beside the encoder
/// take a pool thread, as in any call), and only in idle time: the import's warm-up runs it only until a cmdlet of the
/// module starts.
/// <para>The folder is named for the process ("kmeansps-warmup-PID-" and a random part, made by the system's
/// exclusive temporary-folder call). A process that ends while the job runs may leave it (a background thread is not
/// waited for at exit, though an exit handler tries): each run first removes such folders whose process is gone and
/// that have been quiet for <see cref="TempFiles.QuietTime"/>, or that are older than <see cref="TempFiles.MaxAge"/>, as
/// <see cref="TempFiles.RemoveStale"/> does for an output's temporary files. Links are never followed.</para>
/// </summary>
internal static class FileJobWarmup
{
    /// <summary>The folders' name prefix in the temporary folder, before the process id.</summary>
    internal const string FolderPrefix = "kmeansps-warmup-";

    private static string? s_current; // the folder of a run in progress, for the exit handler
    private static int s_exitHookInstalled;

    /// <summary>The prefix of this process's folders.</summary>
    internal static string OwnPrefix => FolderPrefix + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-";

    /// <summary>Compresses each embedded file once; returns each result (tests), the folder already gone.</summary>
    internal static IReadOnlyList<ImageCompressionResult> Run(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RemoveStale(Path.GetTempPath());
        InstallExitHook();
        DirectoryInfo folder = Directory.CreateTempSubdirectory(OwnPrefix);
        s_current = folder.FullName;
        try
        {
            var results = new List<ImageCompressionResult>();
            string[] sources = [PaletteJobWarmup.PngResources[0], PaletteJobWarmup.JpegResources[0]];
            for (int i = 0; i < sources.Length; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                string source = Path.Combine(folder.FullName, $"in-{i}{Path.GetExtension(sources[i])}");
                using (var file = new FileStream(source, FileMode.CreateNew, FileAccess.Write)) file.Write(PaletteJobWarmup.Resource(sources[i]));
                string destination = Path.Combine(folder.FullName, $"out-{i}.png");
                _ = OutputProvenance.OwnOutput(source, out _);
                results.Add(ImageCompressionJob.Run(Request(source, destination), progress: null, cancellationToken));
            }
            return results;
        }
        finally
        {
            s_current = null;
            TryDelete(folder.FullName);
        }
    }

    /// <summary>
    /// Removes the warm-up folders in <paramref name="root"/> left by processes that are gone (quiet for a minute) or a
    /// day old, never following a link; returns how many. Folders it cannot remove (another user's) are left.
    /// </summary>
    internal static int RemoveStale(string root)
    {
        int removed = 0;
        try
        {
            foreach (string path in Directory.EnumerateDirectories(root, FolderPrefix + "*",
                         new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = true, MatchCasing = MatchCasing.CaseSensitive }))
            {
                var info = new DirectoryInfo(path);
                if (info.LinkTarget is not null || OwnerOf(info.Name) is not int pid || string.Equals(path, s_current, StringComparison.Ordinal)) continue;
                TimeSpan quiet = DateTime.UtcNow - info.LastWriteTimeUtc;
                bool ownerGone = pid != Environment.ProcessId && !TempFiles.IsRunning(pid);
                if (quiet > TempFiles.MaxAge || (quiet > TempFiles.QuietTime && (ownerGone || pid == Environment.ProcessId)))
                {
                    if (TryDelete(path)) removed++;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A courtesy: a temporary folder that cannot be listed only leaves the leftovers where they are.
        }
        return removed;
    }

    /// <summary>The process id in a warm-up folder's name ("kmeansps-warmup-PID-RANDOM"), or null when the name is not one.</summary>
    internal static int? OwnerOf(string name)
    {
        if (!name.StartsWith(FolderPrefix, StringComparison.Ordinal)) return null;
        string rest = name[FolderPrefix.Length..];
        int dash = rest.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 && dash < rest.Length - 1 && int.TryParse(rest.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && pid > 0
            ? pid
            : null;
    }

    private static void InstallExitHook()
    {
        if (Interlocked.Exchange(ref s_exitHookInstalled, 1) == 0)
        {
            // The warm-up's thread is not waited for at exit: its folder goes here if it can (a file still open on
            // Windows keeps it, and a later run's RemoveStale takes it).
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                if (s_current is { } folder) TryDelete(folder);
            };
        }
    }

    // Directory.Delete removes a link inside the folder, never what it points to.
    private static bool TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false; // left in the temporary folder for a later run's RemoveStale
        }
    }

    /// <summary>The cmdlet's defaults at K = 16, seed 1, one worker.</summary>
    private static ImageCompressionRequest Request(string source, string destination)
    {
        var defaults = new QuantizeOptions();
        return new ImageCompressionRequest
        {
            Source = source,
            Destination = destination,
            K = PaletteJobWarmup.PaletteK,
            Format = ImageOutputFormat.Png,
            ColorSpace = ColorSpace.Rgb,
            Dither = DitherMode.None,
            Algorithm = KMeansAlgorithm.Auto,
            MaxIterations = defaults.MaxIterations,
            Tolerance = defaults.Tolerance,
            Seed = 1,
            MaxPixels = defaults.MaxPixels,
            Threads = 1,
        };
    }
}
