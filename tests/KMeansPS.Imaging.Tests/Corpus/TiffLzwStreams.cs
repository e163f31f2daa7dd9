namespace KMeansPS.Imaging.Tests.Corpus;

/// <summary>
/// A seeded corpus of TIFF LZW strips, valid and not: libtiff-style encodings of noise, runs and small alphabets (the
/// table filling and clearing, every width from 9 to 12 bits), each of a few of them cut at every byte; random codes
/// that follow the decoder's table (the next free code, a table left full without a clear, now and then a code past
/// the table or an end code), with and without a leading clear code; codes that only grow the longest string; random
/// bytes; and old-style (pre-6.0, least significant bit first) data.
/// </summary>
internal static class TiffLzwStreams
{
    private const int Clear = 256, End = 257, First = 258;

    public static List<(string Name, byte[] Data)> All()
    {
        var random = new Random(20261207);
        var streams = new List<(string, byte[])> { ("empty", []) };
        for (int i = 0; i < 40; i++)
        {
            byte[] raw = Raw(random, i % 4, random.Next(0, i < 30 ? 3000 : 40000));
            byte[] encoded = TiffLzwEncoder.Encode(raw);
            streams.Add(($"encoded {i}", encoded));
            // Every cut of the small ones; a sample of cuts of the rest.
            if (encoded.Length < 400)
                for (int cut = 0; cut < encoded.Length; cut++) streams.Add(($"encoded {i} cut at {cut}", encoded[..cut]));
            else
                for (int k = 0; k < 20; k++)
                {
                    int cut = random.Next(encoded.Length);
                    streams.Add(($"encoded {i} cut at {cut}", encoded[..cut]));
                }
            // The leading clear code dropped: the stream starts with its first string's code.
            streams.Add(($"encoded {i} without its clear", DropFirstCode(encoded)));
        }
        for (int i = 0; i < 1500; i++)
            streams.Add(($"random codes {i}", RandomCodes(random, random.Next(1, 6000), leadingClear: i % 3 != 0, clearRate: i % 5 == 0 ? 0 : 2, junkRate: i % 2)));
        for (int i = 0; i < 300; i++)
        {
            byte[] garbage = new byte[random.Next(1, 2000)];
            random.NextBytes(garbage);
            streams.Add(($"random bytes {i}", garbage));
        }
        // The longest strings the table can hold (each code the next free one), with and without a clear.
        streams.Add(("longest strings", Growing(4000, clearAt: -1)));
        streams.Add(("longest strings cleared", Growing(6000, clearAt: 3000)));
        for (int i = 0; i < 20; i++)
        {
            byte[] old = new byte[random.Next(2, 500)];
            random.NextBytes(old);
            (old[0], old[1]) = (0, (byte)(old[1] | 1));
            streams.Add(($"old style {i}", old));
        }
        return streams;
    }

    /// <summary>Bytes of one of four kinds: noise, long runs, a four-letter alphabet, a ramp.</summary>
    private static byte[] Raw(Random random, int kind, int length)
    {
        byte[] raw = new byte[length];
        switch (kind)
        {
            case 0:
                random.NextBytes(raw);
                break;
            case 1:
                for (int at = 0; at < length;)
                {
                    int run = random.Next(1, 600);
                    raw.AsSpan(at, Math.Min(run, length - at)).Fill((byte)random.Next(256));
                    at += run;
                }
                break;
            case 2:
                for (int at = 0; at < length; at++) raw[at] = (byte)"ACGT"[random.Next(4)];
                break;
            default:
                for (int at = 0; at < length; at++) raw[at] = (byte)(at / 7);
                break;
        }
        return raw;
    }

    /// <summary>MSB-first codes written at the widths given.</summary>
    private sealed class CodeWriter
    {
        private readonly List<byte> _bytes = [];
        private ulong _bits;
        private int _count;

        public void Put(int code, int width)
        {
            _bits = (_bits << width) | (uint)code;
            _count += width;
            while (_count >= 8)
            {
                _bytes.Add((byte)(_bits >> (_count - 8)));
                _count -= 8;
            }
        }

        public byte[] Bytes() => _count > 0 ? [.. _bytes, (byte)(_bits << (8 - _count))] : [.. _bytes];
    }

    /// <summary>
    /// Mostly valid codes (literals, codes in the table, the next free code, clears at <paramref name="clearRate"/> per
    /// cent), at <paramref name="junkRate"/> per cent any code of the width (maybe past the table) or an end code; the
    /// widths follow the decoder's table as TIFF 6.0 grows them, one code early.
    /// </summary>
    private static byte[] RandomCodes(Random random, int count, bool leadingClear, int clearRate, int junkRate)
    {
        var writer = new CodeWriter();
        int width = 9, next = First;
        bool first = true;
        if (leadingClear) writer.Put(Clear, 9);
        for (int i = 0; i < count; i++)
        {
            int roll = random.Next(100), code;
            if (roll < clearRate) code = Clear;
            else if (roll < clearRate + junkRate) code = random.Next(1 << width);    // anything, maybe past the table
            else if (roll < clearRate + 2 * junkRate && i > count / 2) code = End;
            else if (roll < 40 || first) code = random.Next(Clear);                  // a literal
            else code = random.Next(First, next + 1);                                // in the table, or the next free code
            writer.Put(code, width);
            if (code == Clear)
            {
                (width, next, first) = (9, First, true);
            }
            else if (code != End && (code < Clear || code <= next))
            {
                if (!first && next < 4096 && ++next + 1 >= 1 << width && width < 12) width++;
                first = false;
            }
        }
        return writer.Bytes();
    }

    /// <summary>A literal, then each next free code in turn: every string one byte longer than the one before.</summary>
    private static byte[] Growing(int count, int clearAt)
    {
        var writer = new CodeWriter();
        int width = 9, next = First;
        writer.Put(Clear, 9);
        writer.Put('x', 9);
        for (int i = 0; i < count; i++)
        {
            if (i == clearAt)
            {
                writer.Put(Clear, width);
                (width, next) = (9, First);
                writer.Put('y', 9);
                continue;
            }
            writer.Put(Math.Min(next, 4095), width);
            if (next < 4096 && ++next + 1 >= 1 << width && width < 12) width++;
        }
        writer.Put(End, width);
        return writer.Bytes();
    }

    /// <summary>The stream without its first 9-bit code (the clear an encoder writes first).</summary>
    private static byte[] DropFirstCode(byte[] data)
    {
        if (data.Length < 2) return [];
        var result = new byte[data.Length - 1];
        for (int i = 0; i < result.Length; i++)
        {
            int hi = data[i + 1] << 1 & 0xFF;
            int lo = i + 2 < data.Length ? data[i + 2] >> 7 : 0;
            result[i] = (byte)(hi | lo);
        }
        return result;
    }
}
