using KMeansPS.Imaging.Quantization;

namespace KMeansPS.Bridge;

/// <summary>
/// Starts <see cref="PaletteJobWarmup"/>, then <see cref="FileJobWarmup"/>, on a background thread when the module is
/// imported, so a fresh session's first Compress-ImageKMeans or Measure-ImageKMeans finds the engine's kernels and a
/// file's path around them already compiled. The file part runs only while the session is idle: a cmdlet of the module
/// that starts (<see cref="CommandStarting"/>) stops it, or keeps it from starting. A script that calls a cmdlet right
/// after the import competes with the warm-up for the cores, and there the file part made the first call slower, not
/// faster (perf/README, "The first call of a small image").
/// KMEANSPS_NO_WARMUP=1 turns it off (for measuring a first call without it).
/// </summary>
internal static class ImportWarmup
{
    internal const string DisableVariable = "KMEANSPS_NO_WARMUP";

    private static int s_started;

    // Cancelled by the first cmdlet of the module that starts, in any runspace of the process.
    private static readonly CancellationTokenSource s_commandStarted = new();

    /// <summary>
    /// What became of the file part: "not started", "running", "done", "stopped" (a cmdlet started while it ran),
    /// "skipped" (one started before) or "failed".
    /// </summary>
    internal static string FilePart { get; private set; } = "not started";

    /// <summary>The warm-up's outcome once started (tests read it); null when it was not.</summary>
    internal static Task? Completion { get; private set; }

    /// <summary>Starts the warm-up, once per process (each runspace that imports the module calls this).</summary>
    internal static void Start()
    {
        if (Environment.GetEnvironmentVariable(DisableVariable) == "1" || Interlocked.Exchange(ref s_started, 1) == 1) return;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Completion = done.Task;
        // A thread of its own, not the pool's: the first job's parallel loops want every pool thread there is.
        var thread = new Thread(() =>
        {
            try
            {
                PaletteJobWarmup.Run();
                RunFilePart();
                done.SetResult();
            }
            catch (Exception ex)
            {
                // Nothing of the session depends on it: a failure only leaves the compiling to the first job. It is
                // kept (not thrown, which would end the process) for the tests, which assert the warm-up succeeds.
                done.SetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = "KMeansPS warm-up",
            Priority = ThreadPriority.BelowNormal,
        };
        thread.Start();
    }

    private static void RunFilePart()
    {
        if (s_commandStarted.IsCancellationRequested)
        {
            FilePart = "skipped";
            return;
        }
        FilePart = "running";
        try
        {
            FileJobWarmup.Run(s_commandStarted.Token);
            FilePart = "done";
        }
        catch (Exception ex) when (s_commandStarted.IsCancellationRequested && IsCancellation(ex))
        {
            FilePart = "stopped"; // a cmdlet started: the rest is left to it
        }
        catch
        {
            FilePart = "failed";
            throw;
        }
    }

    // A cancellation, or one a stage wrapped (an aggregate of a parallel loop, an inner exception).
    private static bool IsCancellation(Exception? ex) => ex switch
    {
        null => false,
        OperationCanceledException => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsCancellation),
        _ => IsCancellation(ex.InnerException),
    };

    /// <summary>A cmdlet of the module starts: the warm-up's file part, idle-time work, stops.</summary>
    internal static void CommandStarting()
    {
        if (!s_commandStarted.IsCancellationRequested) s_commandStarted.Cancel();
    }
}
