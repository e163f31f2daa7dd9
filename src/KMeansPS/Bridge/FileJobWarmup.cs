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
/// exclusive temporary-folder call). A background thread is not waited for at exit, so the folder is tracked by
/// <see cref="TempFiles"/>, whose handlers remove it at exit and on SIGTERM, SIGHUP and SIGQUIT, as they remove
/// outputs' temporary files; a process killed outright leaves it (a few KB). Other
/// processes' folders are never touched: in a shared temporary folder another user could turn one into a link between
/// a check and a delete.</para>
/// </summary>
internal static class FileJobWarmup
{
    /// <summary>The folders' name prefix in the temporary folder, before the process id.</summary>
    internal const string FolderPrefix = "kmeansps-warmup-";

    /// <summary>The prefix of this process's folders.</summary>
    internal static string OwnPrefix => FolderPrefix + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-";

    /// <summary>Compresses each embedded file once; returns each result (tests), the folder already gone.</summary>
    internal static IReadOnlyList<ImageCompressionResult> Run(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // A session ending while the in-memory part ran: its handlers have run or are running, so make no folder.
        if (TempFiles.Ending) throw new OperationCanceledException("The session is ending.");
        DirectoryInfo folder = Directory.CreateTempSubdirectory(OwnPrefix);
        if (!TempFiles.TrackFolder(folder.FullName)) throw new OperationCanceledException("The session is ending."); // removed already
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
            TempFiles.RemoveFolder(folder.FullName); // if it stays, the exit handler tries again
        }
    }

    /// <summary>
    /// The cmdlet's defaults at K = 16, seed 1, one worker. The job does not make the output's folder: if the session
    /// exits during the job, the exit handler removes the folder, and a job that made it again left it behind empty.
    /// </summary>
    internal static ImageCompressionRequest Request(string source, string destination)
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
            CreateFolders = false,
        };
    }
}
