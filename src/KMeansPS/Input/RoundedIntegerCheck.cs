using System.Globalization;
using System.Management.Automation;
using System.Numerics;
using KMeansPS.Pipeline;

namespace KMeansPS.Input;

/// <summary>
/// Every value is read as a double, which holds integers exactly only up to 2^53 (9,007,199,254,740,992): beyond, an
/// integer becomes the nearest double, so nanosecond Unix times or 64-bit ids that differ in their last digits may be
/// read as one value. That loss happens before any clustering and no later step can see it, so the first such cell of
/// each column is told once, as a warning: what it held, what it was read as, and what to do.
/// </summary>
internal sealed partial class RoundedIntegerCheck(PSCmdlet cmdlet)
{
    private static readonly BigInteger Exact = BigInteger.Pow(2, 53);
    private readonly HashSet<string> _told = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Looks at a cell <paramref name="raw"/> of <paramref name="column"/> read as <paramref name="number"/> in row <paramref name="row"/>.</summary>
    public void Note(string column, object? raw, double number, int row)
    {
        // Below 2^53 every integer is exact; 2^53 itself is also what 2^53 + 1 reads as, so it is looked at. Beyond
        // PointReader.MaxMagnitude the row is refused with its own error: how it would have been read does not matter.
        if (Math.Abs(number) < 9007199254740992.0 || !double.IsFinite(number) || Math.Abs(number) > PointReader.MaxMagnitude || _told.Contains(column)) return;
        if (Held(NumberConversion.Unwrap(raw)) is not { } held || BigInteger.Abs(held) <= Exact || held == new BigInteger(number)) return;
        _told.Add(column);
        double step = Math.BitIncrement(Math.Abs(number)) - Math.Abs(number);
        NonPromptingStreams.Warning(cmdlet, string.Create(CultureInfo.InvariantCulture,
            $"Column '{column}' holds {held} (row {row}), an integer beyond 2^53, which a double holds only to the nearest {step:R}: it is read as {number:R}, ") +
            "so values that differ in their last digits may be read as one. Subtract a common offset (the first value, say) or use coarser units before clustering.");
    }

    /// <summary>The integer a cell holds exactly, or null when it holds no integer (or a fraction).</summary>
    private static BigInteger? Held(object? value) => value switch
    {
        long l => l,
        ulong u => u,
        Int128 i => (BigInteger)i,
        UInt128 u => (BigInteger)u,
        BigInteger b => b,
        decimal d when decimal.Truncate(d) == d => new BigInteger(d),
        string s => IntegerText(s.Trim()),
        _ => null,
    };

    /// <summary>
    /// The integer <paramref name="text"/> writes as one: digits, with a sign, and with a point and only zeros after it
    /// ("1700000000000000001", "1700000000000000001.0"); null for anything else. Scientific notation ("1e30") is a
    /// floating-point number as written, so reading it as the nearest double is what it asks for.
    /// </summary>
    internal static BigInteger? IntegerText(string text)
    {
        System.Text.RegularExpressions.Match m = IntegerForm().Match(text);
        return m.Success ? BigInteger.Parse(m.Groups[1].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : null;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^([+-]?[0-9]+)(?:\.0*)?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex IntegerForm();
}
