using KMeansPS.Imaging.Quantization;

namespace KMeansPS.Bridge;

/// <summary>
/// Starts <see cref="PaletteJobWarmup"/> on a background thread when the module is imported, so a fresh session's
/// first Compress-ImageKMeans or Measure-ImageKMeans finds the engine's kernels already compiled.
/// KMEANSPS_NO_WARMUP=1 turns it off (for measuring a first call without it).
/// </summary>
internal static class ImportWarmup
{
    internal const string DisableVariable = "KMEANSPS_NO_WARMUP";

    private static int s_started;

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
}
