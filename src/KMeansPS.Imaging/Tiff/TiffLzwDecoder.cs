namespace KMeansPS.Imaging.Tiff;

/// <summary>
/// Decodes a TIFF strip's LZW data (TIFF 6.0: codes most significant bit first, 9 to 12 bits, the width growing one
/// code early; 256 clears the table, 257 ends the data), for a copy whose strips are rewritten
/// (<see cref="DifferencedFloats"/>). <see cref="Integrity.TiffLzwCounter"/> walks the same codes only counting the bytes,
/// so the scanner has seen the strip hold its rows before this decodes it. One decoder serves a file's strips, its
/// table made once.
/// </summary>
internal sealed class TiffLzwDecoder
{
    private const int Clear = 256, End = 257, First = 258, MaxCodes = 4096;

    // A table code's string: its prefix's code, its last byte, its first byte and its length.
    private readonly short[] _prefix = new short[MaxCodes];
    private readonly byte[] _last = new byte[MaxCodes];
    private readonly byte[] _head = new byte[MaxCodes];
    private readonly int[] _length = new int[MaxCodes];

    public TiffLzwDecoder()
    {
        for (int c = 0; c < Clear; c++) (_last[c], _head[c], _length[c]) = ((byte)c, (byte)c, 1);
    }

    /// <summary>
    /// Decodes <paramref name="data"/> into <paramref name="destination"/> until it is full, the codes end, or a code
    /// names no string yet; returns the bytes written.
    /// </summary>
    public int Decode(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        int width = 9, next = First, previous = -1, bitCount = 0, at = 0, written = 0;
        uint bits = 0;
        while (written < destination.Length)
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
            bool known = code < Clear || (code >= First && code < next);
            if (previous < 0)
            {
                if (code >= Clear) break; // the first code after a clear is a byte, else the data is damaged
            }
            else
            {
                if (!known && !(code == next && next < MaxCodes)) break; // names no string yet: damaged
                if (next < MaxCodes)
                {
                    // The new entry: the previous string and the first byte of this one (of the previous, when this is that entry).
                    _prefix[next] = (short)previous;
                    _last[next] = known ? _head[code] : _head[previous];
                    _head[next] = _head[previous];
                    _length[next] = _length[previous] + 1;
                    next++;
                    // "Early change": the width grows when the next code would need it, one code before the table does.
                    if (next + 1 >= (1 << width) && width < 12) width++;
                }
            }
            written += Write(code, destination, written);
            previous = code;
        }
        return written;
    }

    /// <summary>Writes <paramref name="code"/>'s string at <paramref name="at"/>, as much as fits; returns how much that was.</summary>
    private int Write(int code, Span<byte> destination, int at)
    {
        int n = _length[code], fits = Math.Min(n, destination.Length - at);
        for (int i = n - 1; i >= 0; i--)
        {
            if (i < fits) destination[at + i] = _last[code];
            code = _prefix[code];
        }
        return fits;
    }
}
