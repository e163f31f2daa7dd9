using System.Runtime.CompilerServices;

namespace KMeansPS.Imaging.Png.Deflate;

/// <summary>
/// The deflate alphabets of RFC 1951 section 3.2.5: match lengths 3-258 as literal/length symbols 257-285 with extra
/// bits, distances 1-32768 as distance symbols 0-29 with extra bits, and the fixed code's lengths (section 3.2.6).
/// </summary>
internal static class DeflateSymbols
{
    /// <summary>Literal/length symbols: 256 bytes, end of block, 29 length codes (286 and 287 never occur).</summary>
    public const int LiteralLengthCount = 286;

    /// <summary>Distance symbols in use (30 and 31 never occur).</summary>
    public const int DistanceCount = 30;

    /// <summary>The end-of-block symbol.</summary>
    public const int EndOfBlock = 256;

    /// <summary>Base match length of each length symbol 257-285.</summary>
    public static ReadOnlySpan<ushort> LengthBase =>
    [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
    ];

    /// <summary>Extra bits of each length symbol 257-285.</summary>
    public static ReadOnlySpan<byte> LengthExtra => [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];

    /// <summary>Base distance of each distance symbol 0-29.</summary>
    public static ReadOnlySpan<ushort> DistanceBase =>
    [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
        6145, 8193, 12289, 16385, 24577,
    ];

    /// <summary>Extra bits of each distance symbol 0-29.</summary>
    public static ReadOnlySpan<byte> DistanceExtra => [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];

    /// <summary>The literal/length symbol (257-285) of a match length (3-258).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int LengthSymbol(int length) => 257 + LengthSymbols[length];

    /// <summary>Length symbol less 257 by match length (0-2 unused).</summary>
    private static readonly byte[] LengthSymbols = BuildLengthSymbols();

    private static byte[] BuildLengthSymbols()
    {
        var table = new byte[259];
        for (int code = 0; code < 29; code++)
        {
            int first = LengthBase[code], last = code == 28 ? 258 : Math.Min(257, first + (1 << LengthExtra[code]) - 1);
            for (int length = first; length <= last; length++) table[length] = (byte)code;
        }
        return table;
    }

    /// <summary>The distance symbol (0-29) of a distance (1-32768).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int DistanceSymbol(int distance)
    {
        int x = distance - 1;
        if (x < 4) return x;
        int top = 31 - System.Numerics.BitOperations.LeadingZeroCount((uint)x); // 2..14
        return 2 * top + ((x >> (top - 1)) & 1);
    }

    /// <summary>Code lengths of the fixed literal/length code (all 288 symbols, as the code is defined).</summary>
    public static byte FixedLiteralLength(int symbol) => symbol switch
    {
        < 144 => 8,
        < 256 => 9,
        < 280 => 7,
        _ => 8,
    };

    /// <summary>The order in which a dynamic block's header lists the code-length code's lengths.</summary>
    public static ReadOnlySpan<byte> CodeLengthOrder => [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

    /// <summary>
    /// The canonical codes of code <paramref name="lengths"/> (RFC 1951 section 3.2.2; 0 where a symbol has no code),
    /// bit-reversed, as deflate sends them least significant bit first. False when the lengths are no code: one over 15
    /// bits, or more codes than they allow (the reader refuses such a block; the writer's lengths are always a code).
    /// </summary>
    public static bool CanonicalCodes(ReadOnlySpan<byte> lengths, Span<ushort> codes)
    {
        Span<int> perLength = stackalloc int[16];
        perLength.Clear();
        foreach (byte l in lengths)
        {
            if (l > 15) return false;
            perLength[l]++;
        }
        perLength[0] = 0;
        Span<int> nextCode = stackalloc int[16];
        int code = 0, left = 1;
        for (int l = 1; l <= 15; l++)
        {
            code = (code + perLength[l - 1]) << 1;
            nextCode[l] = code;
            left = (left << 1) - perLength[l];
            if (left < 0) return false;
        }
        for (int s = 0; s < lengths.Length; s++)
        {
            int l = lengths[s];
            codes[s] = l == 0 ? (ushort)0 : (ushort)Reverse(nextCode[l]++, l);
        }
        return true;
    }

    /// <summary>The low <paramref name="length"/> bits of <paramref name="code"/> in reverse order.</summary>
    internal static int Reverse(int code, int length)
    {
        int result = 0;
        for (int i = 0; i < length; i++)
        {
            result = (result << 1) | (code & 1);
            code >>= 1;
        }
        return result;
    }
}
