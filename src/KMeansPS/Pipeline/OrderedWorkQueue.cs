namespace KMeansPS.Pipeline;

/// <summary>
/// Runs items on worker threads, at most ThrottleLimit at a time, and hands back their outcomes in the
/// order the items were queued, so output order matches input order however the work interleaves.
/// Outcomes are drained on the pipeline thread, the only thread allowed to write output.
/// </summary>
internal sealed class OrderedWorkQueue<T> : IDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    private readonly SemaphoreSlim _slots;
    // Objects, not value tuples, as elements: a queue of tuples was compiled anew, unoptimised, in every session's first
    // call (the runtime's precompiled queue code serves element types that are objects).
    private readonly Queue<Pending> _pending = new();
    private readonly CancellationToken _cancellationToken;
    private Task _lastStarted = Task.CompletedTask;
    // Turns: items queued so far and items handed over (each counted once its handler returned), under _turns.
    private readonly object _turns = new();
    private long _queued;
    private long _handedOver;

    public OrderedWorkQueue(int throttleLimit, CancellationToken cancellationToken)
    {
        _slots = new SemaphoreSlim(throttleLimit, throttleLimit);
        _cancellationToken = cancellationToken;
    }

    /// <summary>Items queued and not handed over yet (running, waiting for a slot, or done behind an earlier one).</summary>
    public int Count => _pending.Count;

    /// <summary>The turn of the next item queued: how many were queued before it.</summary>
    public long NextTurn => _queued;

    /// <summary>
    /// Blocks (on a worker) until every item queued before turn <paramref name="turn"/> has been handed over and its
    /// handler has returned. An item can thus hold back what it makes visible (its output file) until the pipeline
    /// has taken every earlier outcome: a handler that throws (a terminating error, a downstream stop) lets no later
    /// item through, and the wait ends in <see cref="OperationCanceledException"/> when the command is stopped.
    /// Earlier items never wait on later ones, so this cannot deadlock.
    /// </summary>
    public void WaitForTurn(long turn, CancellationToken cancellationToken)
    {
        lock (_turns)
        {
            while (_handedOver < turn)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Monitor.Wait(_turns, Tick);
            }
        }
    }

    public void Enqueue(object tag, Func<T> work)
    {
        // Items take their slot strictly in queue order (each waits until the one before has its slot), so an item
        // never waits on a later one: CallFiles lets an output wait for earlier claims on its name.
        Task previous = _lastStarted;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _lastStarted = started.Task;
        var task = Task.Run(async () =>
        {
            try
            {
                await previous.ConfigureAwait(false);
                await _slots.WaitAsync(_cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                started.TrySetResult();
            }
            try
            {
                return work();
            }
            finally
            {
                _slots.Release();
            }
        }, CancellationToken.None);
        _pending.Enqueue(new Pending(tag, task));
        _queued++;
    }

    /// <summary>
    /// Queues an outcome known already (a skipped input, an error found while planning): it takes no slot, and is
    /// handed over after every item queued before it, like the others.
    /// </summary>
    public void EnqueueDone(object tag, Task<T> outcome)
    {
        _pending.Enqueue(new Pending(tag, outcome));
        _queued++;
    }

    /// <summary>
    /// Hands over items in order until fewer than <paramref name="limit"/> remain, waiting for the head when it is
    /// still running and calling <paramref name="tick"/> while waiting; then hands over any finished ones behind it.
    /// Returns false when cancelled while waiting (the rest stays queued).
    /// </summary>
    public bool DrainTo(int limit, Action<object, Task<T>> handle, Action tick)
    {
        while (_pending.Count > 0 && (_pending.Count > limit || _pending.Peek().Task.IsCompleted))
        {
            Pending head = _pending.Peek();
            if (!WaitFor(head.Task, tick)) return false;
            _pending.Dequeue();
            handle(head.Tag, head.Task);
            lock (_turns)
            {
                _handedOver++;
                Monitor.PulseAll(_turns);
            }
        }
        return true;
    }

    /// <summary>Waits for every item, handing each over in order; calls <paramref name="tick"/> while waiting.</summary>
    public bool DrainAll(Action<object, Task<T>> handle, Action tick) => DrainTo(0, handle, tick);

    // Waits for the task or for cancellation, whichever comes first; the work itself observes the same token, so a
    // cancelled wait does not leave work running for long.
    private bool WaitFor(Task<T> task, Action tick)
    {
        WaitHandle[] handles = [((IAsyncResult)task).AsyncWaitHandle, _cancellationToken.WaitHandle];
        while (!task.IsCompleted)
        {
            int signalled = WaitHandle.WaitAny(handles, Tick);
            if (signalled == 1) return false;
            if (signalled == WaitHandle.WaitTimeout) tick();
        }
        return true;
    }

    /// <summary>
    /// Waits until every queued item's work has ended (once the token is cancelled each ends promptly: it observes the
    /// token, or waits for a slot or a turn that the cancellation ends). A stopped command waits here so that when the
    /// stop returns no worker still runs, holds a pair lock or a temporary file, or publishes; the outcomes stay unread.
    /// </summary>
    public void WaitForWorkers()
    {
        foreach (Pending pending in _pending) ((IAsyncResult)pending.Task).AsyncWaitHandle.WaitOne();
    }

    /// <summary>Waits for the workers (<see cref="WaitForWorkers"/>) and frees the slots.</summary>
    public void Dispose()
    {
        WaitForWorkers();
        _slots.Dispose();
    }

    /// <summary>A queued item: the caller's tag and the task of its outcome.</summary>
    private sealed record Pending(object Tag, Task<T> Task);
}
