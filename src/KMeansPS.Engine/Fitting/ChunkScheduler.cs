namespace KMeansPS.Engine.Fitting;

/// <summary>
/// Runs a body over fixed-size chunks of points on up to <c>degree</c> workers. Chunk boundaries never
/// depend on the worker count, and every body writes only its own chunk's slots, so any reduction done
/// afterwards in chunk order gives the same bits for any thread count. Workers pull chunk numbers from a
/// shared counter; the worker number lets a body use that worker's preallocated scratch.
/// </summary>
internal static class ChunkScheduler
{
    /// <summary>
    /// Points per chunk unless K x D is huge. Part of the result contract: changing it changes the
    /// rounding of every sum.
    /// </summary>
    internal const int BaseChunkSize = 4096;

    /// <summary>Most doubles the per-chunk centroid partial sums may take (256 MB).</summary>
    private const long MaxPartialSums = 1L << 25;

    internal static int ChunkCount(int n, int chunkSize) => (int)(((long)n + chunkSize - 1) / chunkSize);

    /// <summary>
    /// The chunk size of a fit: 4096, doubled while chunks x K x (D + 1) partial sums would exceed the
    /// budget. It depends only on N, K and D (never on threads or width), so results stay deterministic;
    /// every ordinary case (e.g. 4 M points, K = 256, D = 4) keeps 4096.
    /// </summary>
    internal static int ChunkSizeFor(int n, int k, int dims)
    {
        int size = BaseChunkSize;
        while (size < n && (long)ChunkCount(n, size) * k * (dims + 1) > MaxPartialSums) size *= 2;
        return size;
    }

    internal static void Run(int chunkCount, int degree, Action<int, int> body, CancellationToken cancellationToken)
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
