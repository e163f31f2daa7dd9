using System.Diagnostics;

namespace KMeansPS.Pipeline;

/// <summary>
/// The latest progress of one item of work (one file): its stage, a short detail and a percentage, and how long each
/// stage took. Workers report (per stage, per row batch, per iteration: never per pixel); the pipeline thread takes the
/// newest state when it writes progress, and reads the timings once the item is done. Only the latest state is kept.
/// </summary>
internal sealed class ItemProgress(string name)
{
    private readonly object _gate = new();
    private readonly List<StageTime> _timings = [];
    private long _stageStarted;
    private string? _stage;
    private string? _detail;
    private int _percent;
    private bool _changed;

    /// <summary>What the item is called in progress records (a file name).</summary>
    public string Name { get; } = name;

    /// <summary>
    /// Records the stage and how far the item is. The percentage never goes back (a later fit of a -MinPsnr search
    /// starts its iterations again); a new stage name closes the previous stage's timing.
    /// </summary>
    public void Report(string stage, string? detail, int percent)
    {
        long now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            if (!string.Equals(stage, _stage, StringComparison.Ordinal))
            {
                if (_stage is not null) _timings.Add(new StageTime(_stage, Stopwatch.GetElapsedTime(_stageStarted, now)));
                _stage = stage;
                _stageStarted = now;
            }
            _detail = detail;
            _percent = Math.Clamp(Math.Max(_percent, percent), 0, 100);
            _changed = true;
        }
    }

    /// <summary>Closes the timing of the last stage (the item's work is over).</summary>
    public void Finish()
    {
        long now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            if (_stage is not null) _timings.Add(new StageTime(_stage, Stopwatch.GetElapsedTime(_stageStarted, now)));
            _stage = null;
        }
    }

    /// <summary>The newest state when it changed since the last call.</summary>
    public bool TryTake(out string? stage, out string? detail, out int percent)
    {
        lock (_gate)
        {
            (stage, detail, percent) = (_stage, _detail, _percent);
            bool changed = _changed;
            _changed = false;
            return changed;
        }
    }

    /// <summary>Each stage's time, in the order the stages ran (a stage entered twice is listed twice).</summary>
    public IReadOnlyList<StageTime> Timings
    {
        get
        {
            lock (_gate) return _timings.ToArray();
        }
    }
}
