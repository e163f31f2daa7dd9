using System.Globalization;
using System.Management.Automation;

namespace KMeansPS.Input;

/// <summary>Reads a number from whatever a pipeline object holds: any numeric type, or a numeric string (Import-Csv).</summary>
internal static class NumberConversion
{
    public static bool IsNumber(object value) =>
        value is double or float or int or long or short or byte or sbyte or uint or ulong or ushort or decimal;

    /// <summary>Converts <paramref name="value"/> to a double; booleans and non-numeric text are not numbers.</summary>
    public static bool TryToDouble(object? value, out double result)
    {
        value = value is PSObject ps ? ps.BaseObject : value;
        result = 0;
        switch (value)
        {
            case null or bool:
                return false;
            case string s:
                return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out result);
            default:
                if (!IsNumber(value)) return false;
                result = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                return true;
        }
    }
}
