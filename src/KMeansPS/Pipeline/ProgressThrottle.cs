namespace KMeansPS.Pipeline;

/// <summary>
/// Says when a command that works on the pipeline thread (reading rows, streaming batches) should write progress: not
/// during a first quiet period (short calls show no bar at all), then at most once per <see cref="ProgressBoard.Interval"/>.
/// </summary>
internal sealed class ProgressThrottle(TimeSpan quietPeriod)
{
    private readonly DateTime _started = DateTime.UtcNow;
    private DateTime _last = DateTime.MinValue;

    /// <summary>True when a record is due now (and counts it as written).</summary>
    public bool Due()
    {
        DateTime now = DateTime.UtcNow;
        if (now - _started < quietPeriod || now - _last < ProgressBoard.Interval) return false;
        _last = now;
        return true;
    }
}
