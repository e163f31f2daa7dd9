using System.Globalization;
using System.Management.Automation;

namespace KMeansPS.Pipeline;

/// <summary>
/// Writes a command's per-input errors so that many inputs with the same fault do not flood the error stream: the
/// first <see cref="ShownEach"/> of each kind are written as they come (each naming its input), the rest are counted,
/// and <see cref="Summarize"/> then writes one error per kind saying how many more were left out and why. 10,000 rows
/// without the plotted properties give 10 errors and one summary, not 10,000 of the same.
/// </summary>
/// <param name="cmdlet">Where the errors go.</param>
/// <param name="noun">What the command calls its inputs in its messages ("input", "row").</param>
internal sealed class RepeatedErrorLimit(PSCmdlet cmdlet, string noun = "input")
{
    /// <summary>How many errors of one kind are written before the rest are only counted.</summary>
    public const int ShownEach = 10;

    private readonly Dictionary<string, Kind> _kinds = new(StringComparer.Ordinal);

    /// <summary>
    /// Reports an input left out. <paramref name="reason"/> names the kind (the same text for the same fault, without the
    /// input's number) and ends the summary; <paramref name="record"/> makes the error written for one of the first ones.
    /// </summary>
    public void Report(string id, ErrorCategory category, string reason, Func<ErrorRecord> record)
    {
        if (!_kinds.TryGetValue(reason, out Kind? kind)) _kinds[reason] = kind = new Kind(id, category);
        if (++kind.Count <= ShownEach) cmdlet.WriteError(record());
    }

    /// <summary>Writes one error for each kind that had more than <see cref="ShownEach"/> inputs, in the order the kinds first came, and starts the counts again.</summary>
    public void Summarize()
    {
        foreach ((string reason, Kind kind) in _kinds)
        {
            if (kind.Count <= ShownEach) continue;
            int more = kind.Count - ShownEach;
            cmdlet.WriteError(new ErrorRecord(new ArgumentException(string.Format(CultureInfo.InvariantCulture,
                    "{0:N0} more {1}{2} {3} left out for the same reason ({4:N0} in all; the first {5} are reported above): {6}",
                    more, noun, more == 1 ? "" : "s", more == 1 ? "was" : "were", kind.Count, ShownEach, reason)),
                kind.Id, kind.Category, null));
        }
        // Once per call: a second Summarize (a stream's end after its first rows') repeats nothing.
        _kinds.Clear();
    }

    private sealed class Kind(string id, ErrorCategory category)
    {
        public string Id { get; } = id;
        public ErrorCategory Category { get; } = category;
        public int Count { get; set; }
    }
}
