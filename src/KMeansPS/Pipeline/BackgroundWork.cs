using System.Management.Automation;

namespace KMeansPS.Pipeline;

/// <summary>
/// Runs long work on a worker thread while the pipeline thread stays free to write progress: cmdlets may
/// call Write* only from the pipeline thread, so workers publish their state and this loop reads it.
/// </summary>
internal static class BackgroundWork
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Runs <paramref name="work"/> and, every tick after <paramref name="quietPeriod"/>, writes the record
    /// <paramref name="progress"/> returns (null: nothing new). Rethrows the work's exception as is.
    /// </summary>
    public static T Run<T>(PSCmdlet cmdlet, Func<T> work, Func<ProgressRecord?> progress, TimeSpan quietPeriod)
    {
        var started = DateTime.UtcNow;
        return Run(work, () =>
        {
            if (DateTime.UtcNow - started >= quietPeriod && progress() is { } record) cmdlet.WriteProgress(record);
        });
    }

    /// <summary>
    /// Runs <paramref name="work"/> and calls <paramref name="tick"/> every tick until it ends (a
    /// <see cref="ProgressBoard"/> decides what to write, and how often): work shorter than a tick shows nothing.
    /// Rethrows the work's exception as is.
    /// </summary>
    public static T Run<T>(Func<T> work, Action tick)
    {
        var task = Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        // Task.Wait would wrap a failure in AggregateException (a terminating NotSpecified error in PowerShell);
        // waiting on the handle leaves the work's own exception for GetResult to rethrow as is.
        WaitHandle done = ((IAsyncResult)task).AsyncWaitHandle;
        try
        {
            while (!done.WaitOne(Tick)) tick();
        }
        catch
        {
            // Stopped: the tick's write threw (PipelineStoppedException). StopProcessing cancels the work, which ends
            // promptly; waited for, so no worker outlives the stop burning the cores.
            done.WaitOne();
            throw;
        }
        return task.GetAwaiter().GetResult();
    }
}
