using System.Runtime.CompilerServices;

namespace KMeansPS.Imaging.Png.Deflate;

/// <summary>
/// A deflate token as the redraw carries it: a literal as its byte (0-255); a match as its symbols and the values of
/// their extra bits, packed as the reader decodes them, so that the splitter, the measure and the writer never derive
/// a match's symbols from its length and distance again (they did on every token, three times over).
/// Bits 0-8: the literal/length symbol (a literal's byte, 257-285 for a match), 9-13: the distance symbol (0-29),
/// 14-18: the length's extra-bit value (at most 5 bits), 19-31: the distance's extra-bit value (at most 13 bits).
/// </summary>
internal static class DeflateToken
{
    /// <summary>Whether <paramref name="token"/> is a literal (its byte).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsLiteral(uint token) => token < 256;

    /// <summary>The literal/length symbol: a literal's byte, a match's length symbol (257-285).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int LiteralLengthSymbol(uint token) => (int)(token & 511);

    /// <summary>A match's distance symbol (0-29).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int DistanceSymbol(uint token) => (int)((token >> 9) & 31);

    /// <summary>The value of a match's length extra bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint LengthExtraValue(uint token) => (token >> 14) & 31;

    /// <summary>The value of a match's distance extra bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint DistanceExtraValue(uint token) => token >> 19;

    /// <summary>A match from its symbols and extra-bit values, as the reader decodes them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Match(int lengthSymbol, uint lengthExtra, int distanceSymbol, uint distanceExtra) =>
        (uint)lengthSymbol | ((uint)distanceSymbol << 9) | (lengthExtra << 14) | (distanceExtra << 19);

    /// <summary>A match of <paramref name="length"/> (3-258) bytes at <paramref name="distance"/> (1-32768).</summary>
    public static uint Match(int length, int distance)
    {
        int lengthSymbol = DeflateSymbols.LengthSymbol(length), distanceSymbol = DeflateSymbols.DistanceSymbol(distance);
        return Match(
            lengthSymbol,
            (uint)(length - DeflateSymbols.LengthBase[lengthSymbol - 257]),
            distanceSymbol,
            (uint)(distance - DeflateSymbols.DistanceBase[distanceSymbol]));
    }

    /// <summary>A match's length in bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Length(uint token) => DeflateSymbols.LengthBase[LiteralLengthSymbol(token) - 257] + (int)LengthExtraValue(token);

    /// <summary>A match's distance in bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Distance(uint token) => DeflateSymbols.DistanceBase[DistanceSymbol(token)] + (int)DistanceExtraValue(token);

    /// <summary>The bytes a token stands for: 1 for a literal, a match's length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int RawLength(uint token) => IsLiteral(token) ? 1 : Length(token);
}
