namespace KMeansPS.Pipeline;

/// <summary>
/// Runs items on worker threads, at most ThrottleLimit at a time, and hands back their outcomes in the
/// order the items were queued, so output order matches input order however the work interleaves.
/// Outcomes are drained on the pipeline thread, the only thread allowed to write output.
/// </summary>
internal sealed class OrderedWorkQueue<T> : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly Queue<(object Tag, Task<T> Task)> _pending = new();
    private readonly CancellationToken _cancellationToken;
    private Task _lastStarted = Task.CompletedTask;

    public OrderedWorkQueue(int throttleLimit, CancellationToken cancellationToken)
    {
        _slots = new SemaphoreSlim(throttleLimit, throttleLimit);
        _cancellationToken = cancellationToken;
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
        _pending.Enqueue((tag, task));
    }

    /// <summary>Hands over the finished items at the head of the queue without waiting.</summary>
    public void DrainCompleted(Action<object, Task<T>> handle)
    {
        while (_pending.Count > 0 && _pending.Peek().Task.IsCompleted)
        {
            var (tag, task) = _pending.Dequeue();
            handle(tag, task);
        }
    }

    /// <summary>Waits for every item, handing each over in order; calls <paramref name="tick"/> while waiting.</summary>
    public void DrainAll(Action<object, Task<T>> handle, Action tick)
    {
        while (_pending.Count > 0)
        {
            var (tag, task) = _pending.Peek();
            while (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(100))
            {
                tick();
            }
            _pending.Dequeue();
            handle(tag, task);
        }
    }

    public void Dispose() => _slots.Dispose();
}
