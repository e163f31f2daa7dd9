namespace KMeansPS.Imaging.Tests.Corpus;

/// <summary>
/// TIFF 6.0's LZW as libtiff's encoder writes it: a clear code first, the longest string in the table at each step,
/// codes most significant bit first, the width growing when the next entry would not fit (the decoder, one entry
/// behind, grows one code early), a clear code before the table's last entries, and the end code.
/// </summary>
internal static class TiffLzwEncoder
{
    private const int Clear = 256, End = 257, First = 258, Full = 4094;

    public static byte[] Encode(byte[] data)
    {
        var output = new List<byte>();
        var table = new Dictionary<(int Prefix, byte Next), int>();
        int width = 9, next = First, buffered = 0;
        ulong bits = 0;
        void Put(int code)
        {
            bits = (bits << width) | (uint)code;
            buffered += width;
            while (buffered >= 8)
            {
                output.Add((byte)(bits >> (buffered - 8)));
                buffered -= 8;
            }
        }
        void Added()
        {
            if (++next > (1 << width) - 1 && width < 12) width++;
            if (next < Full) return;
            Put(Clear);
            (table, width, next) = ([], 9, First);
        }
        Put(Clear);
        int current = -1;
        foreach (byte b in data)
        {
            if (current < 0) current = b;
            else if (table.TryGetValue((current, b), out int code)) current = code;
            else
            {
                Put(current);
                table[(current, b)] = next;
                Added();
                current = b;
            }
        }
        if (current >= 0)
        {
            Put(current);
            Added();
        }
        Put(End);
        if (buffered > 0) output.Add((byte)(bits << (8 - buffered)));
        return [.. output];
    }
}
