using System.Globalization;
using System.Management.Automation;
using System.Text.RegularExpressions;
using KMeansPS.Pipeline;

namespace KMeansPS.Input;

/// <summary>
/// Numbers are read with '.' as the decimal point in every culture, so "1.000" is 1. In a session whose culture groups
/// thousands with '.' (de-DE, es-ES, it-IT, nl-NL, pt-BR, tr-TR...) such text most likely means 1000, from a file written
/// under that culture: the value is used as read, but the first such cell of each column is told once, as a warning.
/// </summary>
internal sealed partial class GroupedThousandsCheck(PSCmdlet cmdlet)
{
    private readonly HashSet<string> _told = new(StringComparer.OrdinalIgnoreCase);
    private readonly bool _sessionGroupsWithDot = CultureInfo.CurrentCulture.NumberFormat is { NumberGroupSeparator: ".", NumberDecimalSeparator: not "." };

    /// <summary>Looks at a cell <paramref name="raw"/> of <paramref name="column"/> read as <paramref name="number"/> in row <paramref name="row"/>.</summary>
    public void Note(string column, object? raw, double number, int row)
    {
        if (!_sessionGroupsWithDot || _told.Contains(column) || NumberConversion.Unwrap(raw) is not string text) return;
        string trimmed = text.Trim();
        if (!Grouped().IsMatch(trimmed) || !double.TryParse(trimmed, NumberStyles.Number, CultureInfo.CurrentCulture, out double session)) return;
        _told.Add(column);
        NonPromptingStreams.Warning(cmdlet, string.Create(CultureInfo.InvariantCulture,
            $"Column '{column}' holds '{trimmed}' (row {row}), read as {number:R}: numbers are read with '.' as the decimal point in every culture, " +
            $"though this session's culture{(CultureInfo.CurrentCulture.Name.Length == 0 ? "" : $" ({CultureInfo.CurrentCulture.Name})")} reads it as {session:R}, with '.' grouping thousands. ") +
            "If the file groups thousands so, remove the separators or write it under the invariant culture ([cultureinfo]::CurrentCulture = [cultureinfo]::InvariantCulture before Export-Csv); the values are used as read.");
    }

    // A leading group of 0 is no culture's way of writing a number ('0.001' is a decimal, not 1 grouped).
    [GeneratedRegex(@"^[+-]?[1-9]\d{0,2}(\.\d{3})+$", RegexOptions.CultureInvariant)]
    private static partial Regex Grouped();
}
