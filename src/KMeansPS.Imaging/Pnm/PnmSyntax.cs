namespace KMeansPS.Imaging.Pnm;

/// <summary>
/// The tokens of a PBM, PGM or PPM header and plain raster, read as ImageSharp 2.1 reads them, so the structure
/// check (<see cref="Integrity.PnmScanner"/>) and our decoder (<see cref="PnmDecoder"/>) take a file the same way.
/// </summary>
internal static class PnmSyntax
{
    /// <summary>
    /// ImageSharp's header reading: skips tab, line feed, carriage return and space, and '#' comments to the end
    /// of their line; stops before the next other byte. False at the end of the file.
    /// </summary>
    internal static bool SkipWhitespaceAndComments(ReadOnlySpan<byte> file, ref int p)
    {
        while (p < file.Length)
        {
            byte b = file[p];
            if (b == '#')
            {
                int end = file[p..].IndexOf((byte)'\n');
                if (end < 0)
                {
                    p = file.Length;
                    return false;
                }
                p += end + 1;
                continue;
            }
            if (b is 9 or 10 or 13 or 32)
            {
                p++;
                continue;
            }
            return true;
        }
        return false;
    }

    /// <summary>
    /// ImageSharp's number reading: digits, then one more byte that ends the number and is consumed too. False
    /// when the file ends first. Values are kept to just past int.MaxValue. A '#' right after the digits starts a
    /// comment that ends the number, through its line feed or carriage return, as netpbm reads it
    /// (<paramref name="comment"/>; ImageSharp took the comment's text for the next number).
    /// </summary>
    internal static bool ReadDecimal(ReadOnlySpan<byte> file, ref int p, out long value, out bool comment)
    {
        value = 0;
        comment = false;
        while (p < file.Length)
        {
            int digit = file[p++] - '0';
            if (digit == '#' - '0')
            {
                comment = true;
                while (p < file.Length && file[p] is not ((byte)'\n' or (byte)'\r')) p++;
                if (p == file.Length) return false;
                p++;
                return true;
            }
            if ((uint)digit > 9) return true;
            value = Math.Min(value * 10 + digit, (long)int.MaxValue + 1);
        }
        return false;
    }

    /// <summary>
    /// One sample of a plain raster as ImageSharp reads it: its digits, the one byte that ends them, then whitespace
    /// and comments up to the next sample. False when the token is not a number (no digits, or digits run into a byte
    /// other than whitespace), with <paramref name="p"/> at that byte. Values are kept to just past int.MaxValue.
    /// </summary>
    internal static bool ReadPlainSample(ReadOnlySpan<byte> file, ref int p, out long value)
    {
        int first = p;
        value = 0;
        while (p < file.Length && (uint)(file[p] - '0') <= 9)
        {
            value = Math.Min(value * 10 + (file[p] - '0'), (long)int.MaxValue + 1);
            p++;
        }
        if (p == first || (p < file.Length && file[p] is not (9 or 10 or 13 or 32))) return false;
        if (p < file.Length) p++;
        while (p < file.Length && file[p] is 9 or 10 or 13 or 32) p++;
        if (p < file.Length && file[p] == '#') SkipWhitespaceAndComments(file, ref p);
        return true;
    }
}
