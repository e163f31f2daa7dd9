using System.Globalization;

namespace KMeansPS.Imaging.Integrity;

/// <summary>Numbers and sizes written the same way in every reason, whatever the current culture.</summary>
internal static class Plain
{
    /// <summary>1234567 as "1,234,567".</summary>
    public static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>"1 byte", "2,048 bytes".</summary>
    public static string Bytes(long value) => value == 1 ? "1 byte" : N(value) + " bytes";

    /// <summary>"640 x 480".</summary>
    public static string Size(long width, long height) => N(width) + " x " + N(height);

    /// <summary>"the data ends after 41 of 427 rows" for a row-ordered image that has <paramref name="rowsHeld"/> complete rows.</summary>
    public static string Rows(long rowsHeld, long rows) => $"{N(Math.Clamp(rowsHeld, 0, rows))} of {N(rows)} rows";

    /// <summary>A chunk type such as "IDAT", with anything unprintable shown as '?'.</summary>
    public static string FourCc(ReadOnlySpan<byte> type)
    {
        Span<char> text = stackalloc char[type.Length];
        for (int i = 0; i < type.Length; i++) text[i] = type[i] is >= 0x20 and < 0x7F ? (char)type[i] : '?';
        return new string(text);
    }
}
