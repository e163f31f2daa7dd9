namespace KMeansPS.Engine.Fitting;

/// <summary>
/// Workers shared by several fits that run side by side (a palette's seedings): each pass of a fit takes an equal
/// share, rounded up, of the workers among the fits not yet done. Seedings converge after 15 to 45 iterations, so
/// the last one to finish used to run alone on one core while the others sat idle (china.jpg at K = 16: its fourth
/// seeding's 43 iterations were 28 of the palette's 47 ms, the other core idle for 22 of them); now its passes take
/// every worker once the others are done. A fit gives the same bits on any number of workers, so the share changes
/// only the time.
/// </summary>
internal sealed class SharedWorkers
{
    private readonly int _workers;
    private int _unfinished;

    /// <param name="workers">The workers the fits share (the caller's degree of parallelism).</param>
    /// <param name="fits">How many fits will run: each calls <see cref="Done"/> once when it and its own work after it end.</param>
    internal SharedWorkers(int workers, int fits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(fits, 1);
        _workers = workers;
        _unfinished = fits;
    }

    /// <summary>
    /// Workers one pass may use now: the shared ones divided among the fits not yet done, rounded up (3 workers and 2
    /// fits: 2 each, rather than a core left idle; the passes pull chunks from one counter, so one thread more than
    /// the cores costs little). Fits still waiting for a worker count as not done, so while fits wait each pass takes
    /// one worker.
    /// </summary>
    internal int PerFit
    {
        get
        {
            int unfinished = Math.Max(1, Volatile.Read(ref _unfinished));
            return (_workers + unfinished - 1) / unfinished;
        }
    }

    /// <summary>One fit is done: the others' later passes may take its worker.</summary>
    internal void Done() => Interlocked.Decrement(ref _unfinished);
}
