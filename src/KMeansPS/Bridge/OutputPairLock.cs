using System.Security.Cryptography;
using System.Text;

namespace KMeansPS.Bridge;

/// <summary>
/// Makes the publishing of an output and of its comparison figure one step for every process of the machine's user:
/// a named mutex per output path, held from just before the output is published until its figure is (or the job
/// ends). Two overlapping -Force runs of one source then leave an output and a figure of one run: without it, one run
/// could publish its output and figure between the other's two publishes (each is a rename of its own), leaving the
/// first run's figure beside the second run's output. In one process the pair is already one step: an output is
/// published only when every earlier input's work is done (<see cref="Pipeline.OrderedWorkQueue{T}.WaitForTurn"/>),
/// and a later input of the same name is refused. A holder never waits for another pair's mutex, so runs cannot
/// deadlock; a mutex of a killed process is abandoned, and the next waiter gets it.
/// </summary>
internal sealed class OutputPairLock : IDisposable
{
    private readonly Mutex _mutex;
    private readonly int _thread = Environment.CurrentManagedThreadId;

    private OutputPairLock(Mutex mutex) => _mutex = mutex;

    /// <summary>
    /// Waits for the pair lock of <paramref name="output"/>; null when the system offers no such mutex to this user
    /// (then the publishes are as before: a later run that finds the two of different runs writes both again).
    /// </summary>
    public static OutputPairLock? Acquire(string output, CancellationToken cancellationToken)
    {
        Mutex? mutex = Open(Name(output));
        if (mutex is null) return null;
        try
        {
            while (true)
            {
                try
                {
                    if (mutex.WaitOne(100)) break;
                }
                catch (AbandonedMutexException)
                {
                    break; // its holder died between the two publishes: the mutex is this run's now
                }
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        catch
        {
            mutex.Dispose();
            throw;
        }
        return new OutputPairLock(mutex);
    }

    /// <summary>Lets the next run publish its pair. A mutex belongs to the thread that took it: released there only.</summary>
    public void Dispose()
    {
        if (Environment.CurrentManagedThreadId == _thread) _mutex.ReleaseMutex();
        _mutex.Dispose();
    }

    // "Global\": one name for every session of the machine (on Unix a session-local name would differ between a cron job and
    // a terminal). The resolved path, hashed: the same file by whatever name it is given, within the names' length limit.
    internal static string Name(string output) =>
        @"Global\KMeansPS-pair-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(FileSystemChecks.ResolvePath(Path.GetFullPath(output)))))[..40];

    private static Mutex? Open(string name)
    {
        try
        {
            return new Mutex(initiallyOwned: false, name);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException or WaitHandleCannotBeOpenedException or PlatformNotSupportedException)
        {
            return null;
        }
    }
}
