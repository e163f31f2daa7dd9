using System.Globalization;
using System.Management.Automation;

namespace KMeansPS.Pipeline;

/// <summary>
/// Writes a command's progress: one overall record, and under it (ParentActivityId) one record per item in flight
/// that names the item and tells its stage and percentage. Workers only store their state in an
/// <see cref="ItemProgress"/>; this board runs on the pipeline thread (the only one allowed to write) and writes a
/// few rounds a second at most, each with only what changed.
/// </summary>
internal sealed class ProgressBoard(PSCmdlet cmdlet, int activityId, string activity)
{
    /// <summary>Shortest time between two rounds of records.</summary>
    internal static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    // Entries are objects, not value tuples: a list of tuples is compiled anew, unoptimised, in every session's first
    // call (the runtime's precompiled list code serves element types that are objects).
    private readonly List<Entry> _items = [];
    private DateTime _lastRound = DateTime.MinValue;
    private string? _overallShown;
    private int _nextId;

    /// <summary>Items the board has finished.</summary>
    public int Done { get; private set; }

    /// <summary>Items added so far.</summary>
    public int Added { get; private set; }

    /// <summary>Starts following an item (in input order).</summary>
    public ItemProgress Add(string name)
    {
        var item = new ItemProgress(name);
        _items.Add(new Entry(item, activityId * 1000 + 1 + (_nextId++ % 100_000)));
        Added++;
        return item;
    }

    /// <summary>Counts an item that has no record of its own (a skipped input, an error found while planning).</summary>
    public void AddUnfollowed() => Added++;

    /// <summary>Counts an item as done and, if its record was shown, removes it.</summary>
    public void Finish(ItemProgress? item)
    {
        Done++;
        if (item is null) return;
        int at = _items.FindIndex(i => ReferenceEquals(i.Item, item));
        if (at < 0) return;
        Entry entry = _items[at];
        _items.RemoveAt(at);
        if (entry.Shown)
        {
            cmdlet.WriteProgress(new ProgressRecord(entry.Id, item.Name, "Done") { ParentActivityId = activityId, RecordType = ProgressRecordType.Completed });
        }
    }

    /// <summary>Writes a round of records if the last was long enough ago: the overall count, then each item that moved.</summary>
    public void Tick()
    {
        DateTime now = DateTime.UtcNow;
        if (now - _lastRound < Interval) return;
        _lastRound = now;
        string overall = Added > 1
            ? string.Create(CultureInfo.InvariantCulture, $"{Done} of {Added} files done")
            : string.Create(CultureInfo.InvariantCulture, $"{Done} files done");
        bool anyItem = _items.Count > 0;
        if (overall != _overallShown && (anyItem || Added > 1))
        {
            cmdlet.WriteProgress(new ProgressRecord(activityId, activity, overall) { PercentComplete = Added > 1 ? Math.Min(100, 100 * Done / Added) : -1 });
            _overallShown = overall;
        }
        for (int i = 0; i < _items.Count; i++)
        {
            Entry entry = _items[i];
            ItemProgress item = entry.Item;
            if (!item.TryTake(out string? stage, out string? detail, out int percent) || stage is null) continue;
            if (_overallShown is null)
            {
                cmdlet.WriteProgress(new ProgressRecord(activityId, activity, overall));
                _overallShown = overall;
            }
            cmdlet.WriteProgress(new ProgressRecord(entry.Id, item.Name, detail is null ? stage : $"{stage}: {detail}")
            {
                ParentActivityId = activityId,
                PercentComplete = percent,
            });
            entry.Shown = true;
        }
    }

    /// <summary>Removes the overall record (and any item record still shown).</summary>
    public void Complete()
    {
        foreach (Entry entry in _items)
        {
            if (entry.Shown) cmdlet.WriteProgress(new ProgressRecord(entry.Id, entry.Item.Name, "Done") { ParentActivityId = activityId, RecordType = ProgressRecordType.Completed });
        }
        _items.Clear();
        cmdlet.WriteProgress(new ProgressRecord(activityId, activity, "Done") { RecordType = ProgressRecordType.Completed });
    }

    /// <summary>An item followed, its record's id, and whether its record has been written.</summary>
    private sealed class Entry(ItemProgress item, int id)
    {
        public ItemProgress Item { get; } = item;

        public int Id { get; } = id;

        public bool Shown { get; set; }
    }
}
