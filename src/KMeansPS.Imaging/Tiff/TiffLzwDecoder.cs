namespace KMeansPS.Imaging.Tiff;

/// <summary>
/// A TIFF strip's LZW codes (TIFF 6.0: most significant bit first, 9 to 12 bits, the width growing one code early,
/// 256 clears the table, 257 ends the data), walked by one loop for both of their uses: <see cref="Count"/> counts the
/// bytes they give without producing them, for the integrity scanner (ImageSharp 2.1 pads a strip whose codes end
/// before its rows with zeros, so a strip cut short with its byte count set to match came out as a picture with black
/// rows; libtiff refuses it), and <see cref="Decode"/> produces them, for a copy whose strips are rewritten
/// (<see cref="DifferencedFloats"/>). Both stop at the same code for the same reason, so a strip the scanner has
/// counted decodes to exactly that many bytes. One decoder serves a file's strips, its table made once.
/// </summary>
internal sealed class TiffLzwDecoder
{
    private const int Clear = 256, End = 257, First = 258, MaxCodes = 4096;

    // A table code's string as the decoder keeps it: its length, its prefix's code, its last byte and its first byte.
    // Counting keeps only the lengths (on the stack).
    private readonly ushort[] _length = new ushort[MaxCodes];
    private readonly short[] _prefix = new short[MaxCodes];
    private readonly byte[] _last = new byte[MaxCodes];
    private readonly byte[] _head = new byte[MaxCodes];

    public TiffLzwDecoder()
    {
        for (int c = 0; c < Clear; c++) (_last[c], _head[c]) = ((byte)c, (byte)c);
    }

    /// <summary>
    /// The bytes <paramref name="data"/> gives, counted up to <paramref name="limit"/> (the code that reaches it counted
    /// whole); <paramref name="corrupt"/> is set when a code before it names no string yet (the data is damaged there).
    /// </summary>
    public static long Count(ReadOnlySpan<byte> data, long limit, out bool corrupt)
    {
        Span<ushort> lengths = stackalloc ushort[MaxCodes];
        return Walk(data, limit, lengths, strings: null, [], out corrupt);
    }

    /// <summary>
    /// Decodes <paramref name="data"/> into <paramref name="destination"/> until it is full, the codes end, or a code
    /// names no string yet; returns the bytes written.
    /// </summary>
    public int Decode(ReadOnlySpan<byte> data, Span<byte> destination) =>
        (int)Math.Min(Walk(data, destination.Length, _length, this, destination, out _), destination.Length);

    /// <summary>
    /// True for data in the LZW of TIFF before 6.0 (least significant bit first, first byte 0, second's low bit set: a
    /// clear code), which decoders read by another rule; it is neither counted nor decoded.
    /// </summary>
    public static bool IsOldStyle(ReadOnlySpan<byte> data) => data.Length >= 2 && data[0] == 0 && (data[1] & 1) == 1;

    /// <summary>
    /// Runs the codes until <paramref name="limit"/> bytes are given, the end code, the end of the data (as far as it
    /// goes, without an end code) or a code that names no string yet (<paramref name="corrupt"/>); returns the bytes
    /// given, each code's string counted whole. With <paramref name="strings"/> (a decoder, whose table it keeps) the
    /// strings are also written into <paramref name="destination"/>, as much of them as fits.
    /// </summary>
    private static long Walk(ReadOnlySpan<byte> data, long limit, Span<ushort> lengths, TiffLzwDecoder? strings, Span<byte> destination, out bool corrupt)
    {
        corrupt = false;
        int width = 9, next = First, previous = -1, bitCount = 0, at = 0;
        uint bits = 0;
        long produced = 0;
        while (produced < limit)
        {
            while (bitCount < width && at < data.Length)
            {
                bits = (bits << 8) | data[at++];
                bitCount += 8;
            }
            if (bitCount < width) break;
            int code = (int)(bits >> (bitCount - width)) & ((1 << width) - 1);
            bitCount -= width;
            if (code == End) break;
            if (code == Clear)
            {
                (width, next, previous) = (9, First, -1);
                continue;
            }
            int length;
            if (previous < 0)
            {
                // The first code after a clear (or of the data) is a byte; anything else would name stale entries.
                if (code > Clear)
                {
                    corrupt = true;
                    break;
                }
                length = 1;
            }
            else
            {
                int previousLength = previous < Clear ? 1 : lengths[previous];
                bool known = true;
                if (code < Clear) length = 1;
                else if (code < next) length = lengths[code];
                else if (code == next)
                {
                    // The entry this code adds: the previous string and its own first byte.
                    length = previousLength + 1;
                    known = false;
                }
                else
                {
                    corrupt = true;
                    break;
                }
                if (next < MaxCodes)
                {
                    // The longest string is under 4,096 bytes (one more than the longest before it, per entry), so
                    // the lengths never saturate; the bound only keeps the cast honest.
                    lengths[next] = (ushort)Math.Min(previousLength + 1, ushort.MaxValue);
                    strings?.Add(next, previous, known ? code : previous);
                    next++;
                    // "Early change": the width grows when the next code would need it, one code before the table does.
                    if (next + 1 >= (1 << width) && width < 12) width++;
                }
            }
            if (strings is not null) strings.Write(code, length, destination, produced);
            produced += length;
            previous = code;
        }
        return produced;
    }

    /// <summary>Table entry <paramref name="code"/>: the string of <paramref name="previous"/> and the first byte of <paramref name="firstOf"/>'s.</summary>
    private void Add(int code, int previous, int firstOf)
    {
        _prefix[code] = (short)previous;
        _last[code] = _head[firstOf];
        _head[code] = _head[previous];
    }

    /// <summary>Writes <paramref name="code"/>'s string of <paramref name="length"/> bytes at <paramref name="at"/>, as much as fits.</summary>
    private void Write(int code, int length, Span<byte> destination, long at)
    {
        int fits = (int)Math.Min(length, destination.Length - at);
        for (int i = length - 1; i >= 0; i--)
        {
            if (i < fits) destination[(int)at + i] = _last[code];
            code = _prefix[code];
        }
    }
}
