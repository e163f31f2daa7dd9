namespace KMeansPS.Imaging.Decoding;

/// <summary>
/// How many leading pixels of an image buffer are final while a decoder is still filling it, so the colour
/// histogram can count the first rows while later rows are being decoded. One producer publishes, one
/// consumer waits; <see cref="Complete"/> ends it, with or without success.
/// </summary>
internal sealed class PixelArrival(int total) : IDisposable
{
    private readonly ManualResetEventSlim _changed = new(false);
    private volatile int _available;
    private volatile int _state; // 0 running, 1 succeeded, 2 failed

    public int Total { get; } = total;

    /// <summary>Producer: the first <paramref name="pixels"/> pixels are written and will not change.</summary>
    public void Publish(int pixels)
    {
        if (pixels <= _available) return;
        _available = Math.Min(pixels, Total);
        _changed.Set();
    }

    /// <summary>Producer: no more pixels will come; on success all <see cref="Total"/> are final.</summary>
    public void Complete(bool succeeded)
    {
        if (succeeded) _available = Total;
        _state = succeeded ? 1 : 2;
        _changed.Set();
    }

    /// <summary>
    /// Consumer: waits until more than <paramref name="have"/> pixels are final or the producer is done. Returns
    /// the number of final pixels, or -1 when the producer failed (the buffer is then not to be used).
    /// </summary>
    public int WaitBeyond(int have, CancellationToken cancellationToken)
    {
        while (true)
        {
            int state = _state;
            if (state == 2) return -1;
            int available = _available;
            if (available > have || state == 1) return available;
            _changed.Reset();
            // Re-check after the reset, so a Publish between the read and the reset is not missed.
            if (_state != 0 || _available > have) continue;
            _changed.Wait(cancellationToken);
        }
    }

    public void Dispose() => _changed.Dispose();
}
