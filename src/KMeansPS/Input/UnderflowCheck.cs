using System.Globalization;
using System.Management.Automation;
using KMeansPS.Pipeline;

namespace KMeansPS.Input;

/// <summary>
/// Text such as "1e-400" is a number below the smallest double (4.9e-324) and reads as 0, where "1e400", beyond the
/// largest, is refused. The value is used as read (0 is the nearest double), but the first such cell of each column is
/// told once, as a warning, since no later step can see that it was not 0.
/// </summary>
internal sealed class UnderflowCheck(PSCmdlet cmdlet)
{
    private readonly HashSet<string> _told = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Looks at a cell <paramref name="raw"/> of <paramref name="column"/> read as <paramref name="number"/> in row <paramref name="row"/>.</summary>
    public void Note(string column, object? raw, double number, int row)
    {
        if (number != 0 || _told.Contains(column) || NumberConversion.Unwrap(raw) is not string text || !WritesNonZero(text)) return;
        _told.Add(column);
        NonPromptingStreams.Warning(cmdlet, string.Create(CultureInfo.InvariantCulture,
            $"Column '{column}' holds '{text.Trim()}' (row {row}), a number below the smallest double (4.9E-324): it is read as 0. ") +
            "Scale the column up (or use coarser units) before clustering.");
    }

    /// <summary>Whether the digits before any exponent hold one that is not 0 ("1e-400", "0.5e-330"; not "0", "0.0e5").</summary>
    internal static bool WritesNonZero(string text)
    {
        ReadOnlySpan<char> mantissa = text.AsSpan().Trim();
        int exponent = mantissa.IndexOfAny('e', 'E');
        if (exponent >= 0) mantissa = mantissa[..exponent];
        return mantissa.IndexOfAnyInRange('1', '9') >= 0;
    }
}
