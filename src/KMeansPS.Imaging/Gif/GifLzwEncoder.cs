namespace KMeansPS.Imaging.Gif;

/// <summary>
/// GIF's LZW: variable-length codes from minimum code size + 1 bits up to 12, low bits first, with a clear code at
/// the start and whenever the 4,096-code table fills. The code size grows one code after the table reaches it, as
/// GIF decoders read it (the decoder adds each entry one code later than the encoder). A hash table of 8,192 slots,
/// keyed by (prefix code, next index), finds the strings.
/// </summary>
internal static class GifLzwEncoder
{
    private const int MaxCodes = 4096, Slots = 8192;

    /// <summary>The LZW data of <paramref name="indices"/> (every one below 2^<paramref name="minCodeSize"/>), not yet cut into sub-blocks.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> indices, int minCodeSize, CancellationToken cancellationToken = default)
    {
        if (minCodeSize is < 2 or > 8) throw new ArgumentOutOfRangeException(nameof(minCodeSize), minCodeSize, "GIF's LZW minimum code size is 2 to 8.");
        int clear = 1 << minCodeSize, end = clear + 1;
        var keys = new int[Slots];
        var codes = new short[Slots];
        var output = new MemoryStream(Math.Max(64, indices.Length / 2));
        uint bits = 0;
        int count = 0, size = minCodeSize + 1, next = clear + 2;

        void Put(int code)
        {
            bits |= (uint)code << count;
            for (count += size; count >= 8; count -= 8)
            {
                output.WriteByte((byte)bits);
                bits >>= 8;
            }
        }
        void Reset()
        {
            Array.Fill(keys, -1);
            size = minCodeSize + 1;
            next = clear + 2;
        }

        Reset();
        Put(clear);
        if (indices.IsEmpty)
        {
            Put(end);
            if (count > 0) output.WriteByte((byte)bits);
            return output.ToArray();
        }
        int prefix = indices[0];
        for (int i = 1; i < indices.Length; i++)
        {
            if ((i & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
            int k = indices[i];
            int key = (prefix << 8) | k;
            int slot = (int)(((uint)key * 2654435761u) >> 19); // 13 bits: the slot
            while (keys[slot] >= 0 && keys[slot] != key) slot = (slot + 1) & (Slots - 1);
            if (keys[slot] == key)
            {
                prefix = codes[slot];
                continue;
            }
            Put(prefix);
            if (next >= 1 << size && size < 12) size++;
            if (next < MaxCodes)
            {
                keys[slot] = key;
                codes[slot] = (short)next++;
            }
            else
            {
                Put(clear); // the table is full: start again
                Reset();
            }
            prefix = k;
        }
        Put(prefix);
        if (next >= 1 << size && size < 12) size++;
        Put(end);
        if (count > 0) output.WriteByte((byte)bits);
        return output.ToArray();
    }
}
