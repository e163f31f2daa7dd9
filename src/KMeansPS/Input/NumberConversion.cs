using System.Globalization;
using System.Management.Automation;

namespace KMeansPS.Input;

/// <summary>What one cell of input holds, for the column rules of Invoke-KMeans and Measure-KMeans.</summary>
internal enum CellKind
{
    /// <summary>A number, or text that reads as one.</summary>
    Number,
    /// <summary>Nothing: null, or empty or white-space text (an empty CSV cell).</summary>
    Blank,
    /// <summary>Anything else: text that is not a number ("1,5", "n/a"), booleans, dates, objects.</summary>
    Text,
}

/// <summary>
/// Reads a number from whatever a pipeline object holds: any numeric type, or numeric text (Import-Csv), read with the
/// invariant culture: '.' is the decimal point, an exponent is allowed, and a thousands separator is not, so "1,5" is
/// text in every culture. Values wrapped in PSObject (as PowerShell often passes them) are unwrapped first.
/// </summary>
internal static class NumberConversion
{
    public static bool IsNumber(object value) =>
        value is double or float or int or long or short or byte or sbyte or uint or ulong or ushort or decimal
            or Half or Int128 or UInt128 or System.Numerics.BigInteger or nint or nuint;

    /// <summary>The object a PSObject wraps, through any number of wrappings.</summary>
    public static object? Unwrap(object? value)
    {
        while (value is PSObject ps && !ReferenceEquals(ps.BaseObject, ps)) value = ps.BaseObject;
        return value;
    }

    /// <summary>Classifies <paramref name="value"/>; <paramref name="number"/> is set for <see cref="CellKind.Number"/> (maybe NaN or infinite).</summary>
    public static CellKind Read(object? value, out double number)
    {
        value = Unwrap(value);
        number = 0;
        switch (value)
        {
            case null or DBNull:
                return CellKind.Blank;
            case string s:
                if (string.IsNullOrWhiteSpace(s)) return CellKind.Blank;
                if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out number)) return CellKind.Text;
                // "1e400" is a finite number beyond double's range, not Infinity: the largest double, so that it is
                // refused as out of range (beyond ±1e300) rather than as infinite.
                if (double.IsInfinity(number) && s.AsSpan().IndexOfAnyInRange('0', '9') >= 0) number = double.CopySign(double.MaxValue, number);
                return CellKind.Number;
            default:
                if (!IsNumber(value)) return CellKind.Text;
                number = value switch
                {
                    Half h => (double)h,
                    Int128 i => (double)i,
                    UInt128 u => (double)u,
                    System.Numerics.BigInteger b => Finite((double)b, b.Sign),
                    nint n => n,
                    nuint n => n,
                    _ => Convert.ToDouble(value, CultureInfo.InvariantCulture),
                };
                return CellKind.Number;
        }
    }

    /// <summary>An integer too large for double converts to infinity; it is the largest double instead (out of range, not infinite).</summary>
    private static double Finite(double value, int sign) => double.IsInfinity(value) ? double.CopySign(double.MaxValue, sign) : value;

    /// <summary>Converts <paramref name="value"/> to a double; booleans, blanks and non-numeric text are not numbers.</summary>
    public static bool TryToDouble(object? value, out double result) => Read(value, out result) == CellKind.Number;
}
