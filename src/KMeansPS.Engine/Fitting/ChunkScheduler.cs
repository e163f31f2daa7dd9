namespace KMeansPS.Engine.Fitting;

/// <summary>
/// Runs a body over fixed-size chunks of points on up to <c>degree</c> workers. Chunk boundaries never
/// depend on the worker count, and every body writes only its own chunk's slots, so any reduction done
/// afterwards in chunk order gives the same bits for any thread count. Workers pull chunk numbers from a
/// shared counter; the worker number lets a body use that worker's preallocated scratch.
/// </summary>
internal static class ChunkScheduler
{
    /// <summary>Points per chunk. Fixed: changing it changes the rounding of every sum, so it is part of the result contract.</summary>
    internal const int ChunkSize = 4096;

    internal static int ChunkCount(int n) => (int)(((long)n + ChunkSize - 1) / ChunkSize);

    internal static void Run(int chunkCount, int degree, CancellationToken cancellationToken, Action<int, int> body)
    {
        cancellationToken.ThrowIfCancellationRequested();
        int workers = Math.Max(1, Math.Min(degree, chunkCount));
        if (workers == 1)
        {
            for (int c = 0; c < chunkCount; c++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                body(0, c);
            }
            return;
        }
        int next = -1;
        var parallelOptions = new ParallelOptions { MaxDegreeOfParallelism = workers };
        try
        {
            Parallel.For(0, workers, parallelOptions, worker =>
            {
                int c;
                while ((c = Interlocked.Increment(ref next)) < chunkCount)
                {
                    if (cancellationToken.IsCancellationRequested) return;
                    body(worker, c);
                }
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        cancellationToken.ThrowIfCancellationRequested();
    }
}
