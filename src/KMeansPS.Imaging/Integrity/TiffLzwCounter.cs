namespace KMeansPS.Imaging.Integrity;

/// <summary>
/// Runs a TIFF strip's LZW codes (TIFF 6.0: most significant bit first, 9 to 12 bits, the width growing one code
/// early, 256 clear and 257 end of information) to count the bytes they give, without producing them: the table keeps
/// only each code's string length. ImageSharp 2.1 pads a strip whose codes end before its rows with zeros, so a strip
/// cut short with its byte count set to match came out as a picture with black rows (libtiff refuses it).
/// </summary>
internal static class TiffLzwCounter
{
    private const int Clear = 256, End = 257, First = 258, MaxCodes = 4096;

    /// <summary>
    /// The bytes <paramref name="data"/> gives, counted up to <paramref name="limit"/>; <paramref name="corrupt"/> is
    /// set when a code names no string yet (the data is damaged there).
    /// </summary>
    public static long Count(ReadOnlySpan<byte> data, long limit, out bool corrupt)
    {
        corrupt = false;
        Span<ushort> lengths = stackalloc ushort[MaxCodes];
        int width = 9, next = First, previous = -1, bitCount = 0;
        uint bits = 0;
        long produced = 0;
        int at = 0;
        while (produced < limit)
        {
            while (bitCount < width && at < data.Length)
            {
                bits = (bits << 8) | data[at++];
                bitCount += 8;
            }
            if (bitCount < width) break; // the data ends without an end-of-information code: as far as it goes
            int code = (int)(bits >> (bitCount - width)) & ((1 << width) - 1);
            bitCount -= width;
            if (code == End) break;
            if (code == Clear)
            {
                width = 9;
                next = First;
                previous = -1;
                continue;
            }
            int length;
            if (previous < 0)
            {
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
                if (code < Clear) length = 1;
                else if (code < next) length = lengths[code];
                else if (code == next) length = previousLength + 1;
                else
                {
                    corrupt = true;
                    break;
                }
                if (next < MaxCodes)
                {
                    lengths[next] = (ushort)Math.Min(previousLength + 1, ushort.MaxValue);
                    next++;
                    // "Early change": the width grows when the next code would need it, one code before the table does.
                    if (next + 1 >= (1 << width) && width < 12) width++;
                }
            }
            produced += length;
            previous = code;
        }
        return produced;
    }

    /// <summary>
    /// True for data in the LZW of TIFF before 6.0 (least significant bit first, first byte 0, second's low bit set: a
    /// clear code), which decoders read by another rule; it is not counted.
    /// </summary>
    public static bool IsOldStyle(ReadOnlySpan<byte> data) => data.Length >= 2 && data[0] == 0 && (data[1] & 1) == 1;
}
