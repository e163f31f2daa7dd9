namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// A Huffman table of a DHT segment (ITU T.81 annex C): the canonical codes built from the count of codes of each
/// length, checked as libjpeg checks them (at most 256 codes, no code of all ones, DC symbols at most 15).
/// Codes of up to <see cref="FastBits"/> bits are found with one lookup of the next bits; longer ones by comparing
/// the next 16 bits with each length's upper bound.
/// </summary>
internal sealed class HuffmanTable
{
    internal const int FastBits = 9;

    /// <summary>Indexed by the next <see cref="FastBits"/> bits: code length &lt;&lt; 8 | symbol, or 0 for a longer code.</summary>
    internal readonly ushort[] Fast = new ushort[1 << FastBits];

    /// <summary>
    /// Indexed by code length 1 to 16 (and 17, a sentinel): one past the last code of that length, left-aligned to
    /// 16 bits. The next 16 bits hold a code of length l when they are below this and not below the bound of l - 1.
    /// </summary>
    internal readonly int[] Limit = new int[18];

    /// <summary>Indexed by code length: added to a code of that length, gives its symbol's index in <see cref="Symbols"/>.</summary>
    internal readonly int[] Offset = new int[18];

    internal readonly byte[] Symbols;

    /// <summary>
    /// For AC tables, indexed like <see cref="Fast"/>: when the next bits hold a run/size code and all of its extra
    /// bits, the coefficient's value &lt;&lt; 16 | run &lt;&lt; 8 | bits used; else 0. Most coefficients of a
    /// photo are small, so one lookup decodes them whole.
    /// </summary>
    internal readonly int[] FastAc = new int[1 << FastBits];

    private HuffmanTable(byte[] symbols) => Symbols = symbols;

    private void FillFastAc()
    {
        for (int peek = 0; peek < Fast.Length; peek++)
        {
            int entry = Fast[peek];
            if (entry == 0) continue;
            int length = entry >> 8, run = (entry >> 4) & 15, size = entry & 15;
            if (size == 0 || length + size > FastBits) continue;
            int bits = (peek >> (FastBits - length - size)) & ((1 << size) - 1);
            FastAc[peek] = BitReader.Extend(bits, size) << 16 | run << 8 | (length + size);
        }
    }

    /// <summary>
    /// The symbol whose code is longer than <see cref="FastBits"/> at the top of <paramref name="bits"/>, and its
    /// length; -1 when the bits start no code of this table.
    /// </summary>
    internal int DecodeLong(ulong bits, out int length)
    {
        int peek = (int)(bits >> 48);
        length = FastBits + 1;
        while (peek >= Limit[length]) length++;
        if (length > 16) return -1;
        int index = (peek >> (16 - length)) + Offset[length];
        return (uint)index < (uint)Symbols.Length ? Symbols[index] : -1;
    }

    /// <summary>Builds the table from the 16 counts and the symbols of a DHT segment; null when the table is invalid.</summary>
    internal static HuffmanTable? Build(ReadOnlySpan<byte> counts, ReadOnlySpan<byte> symbols, bool isDc)
    {
        int total = 0;
        for (int l = 0; l < 16; l++) total += counts[l];
        if (total > 256 || total != symbols.Length) return null;
        if (isDc)
            foreach (byte s in symbols)
                if (s > 15) return null;

        var table = new HuffmanTable(symbols.ToArray());
        int code = 0, index = 0;
        for (int length = 1; length <= 16; length++)
        {
            table.Offset[length] = index - code;
            int n = counts[length - 1];
            for (int i = 0; i < n; i++, code++, index++)
            {
                if (length > FastBits) continue;
                int first = code << (FastBits - length), last = (code + 1) << (FastBits - length);
                for (int peek = first; peek < last && peek < table.Fast.Length; peek++)
                    table.Fast[peek] = (ushort)(length << 8 | symbols[index]);
            }
            // One past the last code of this length must still fit in it: no code may be all ones.
            if (code >= 1 << length) return null;
            table.Limit[length] = code << (16 - length);
            code <<= 1;
        }
        table.Limit[17] = int.MaxValue;
        if (!isDc) table.FillFastAc();
        return table;
    }
}
