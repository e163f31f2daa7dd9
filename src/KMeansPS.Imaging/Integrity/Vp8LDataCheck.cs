using KMeansPS.Imaging.Png.Deflate;

namespace KMeansPS.Imaging.Integrity;

/// <summary>
/// Walks a VP8L (lossless WebP) bitstream as a decoder reads it, without making the picture, to see that its data
/// holds every pixel the header claims. ImageSharp 2.1 reads zeros past the end of the data, so a lossless WebP cut
/// inside its data with its chunk sizes set to match, or with a taller header, came out as a picture with repeated
/// colours in place of the missing rows; libwebp refuses both. Sub-images (transform data, the entropy image) are
/// decoded to their pixels, since the entropy image chooses the prefix codes; the main image only to its symbols.
/// The rules are those of RFC 9649 as libwebp applies them: a prefix code must be complete (or of one symbol), a
/// backward reference must stay within the pixels decoded so far and the image, a colour cache index within the cache.
/// </summary>
internal sealed class Vp8LDataCheck
{
    /// <summary>
    /// Above this many prefix-code groups in use the walk is not made (real encoders use a few hundred): their tables
    /// would cost too much memory. The file is then unsupported, not passed unread. Groups no pixel uses are read and
    /// checked but not kept, as libwebp does.
    /// </summary>
    private const int MaxGroups = 4096;

    private const int RootBits = 8, MaxCodeLength = 15, LengthCodes = 24, DistanceCodes = 40;

    private static readonly int[] CodeLengthOrder = [17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];

    // RFC 9649, section 5.2.2: the offsets (x, y) of distance codes 1 to 120, a pixel's near neighbours.
    private static readonly sbyte[] Plane =
    [
        0, 1, 1, 0, 1, 1, -1, 1, 0, 2, 2, 0, 1, 2, -1, 2, 2, 1, -2, 1, 2, 2, -2, 2, 0, 3, 3, 0, 1, 3, -1, 3,
        3, 1, -3, 1, 2, 3, -2, 3, 3, 2, -3, 2, 0, 4, 4, 0, 1, 4, -1, 4, 4, 1, -4, 1, 3, 3, -3, 3, 2, 4, -2, 4,
        4, 2, -4, 2, 0, 5, 3, 4, -3, 4, 4, 3, -4, 3, 5, 0, 1, 5, -1, 5, 5, 1, -5, 1, 2, 5, -2, 5, 5, 2, -5, 2,
        4, 4, -4, 4, 3, 5, -3, 5, 5, 3, -5, 3, 0, 6, 6, 0, 1, 6, -1, 6, 6, 1, -6, 1, 2, 6, -2, 6, 6, 2, -6, 2,
        4, 5, -4, 5, 5, 4, -5, 4, 3, 6, -3, 6, 6, 3, -6, 3, 0, 7, 7, 0, 1, 7, -1, 7, 5, 5, -5, 5, 7, 1, -7, 1,
        4, 6, -4, 6, 6, 4, -6, 4, 2, 7, -2, 7, 7, 2, -7, 2, 3, 7, -3, 7, 7, 3, -7, 3, 5, 6, -5, 6, 6, 5, -6, 5,
        8, 0, 4, 7, -4, 7, 7, 4, -7, 4, 8, 1, 8, 2, 6, 6, -6, 6, 8, 3, 5, 7, -5, 7, 7, 5, -7, 5, 8, 4, 6, 7,
        -6, 7, 7, 6, -7, 6, 8, 5, 7, 7, -7, 7, 8, 6, 8, 7,
    ];

    private readonly Vp8LBits _bits;
    private readonly string _what;
    private string? _problem;
    private bool _tooManyGroups;

    private Vp8LDataCheck(ReadOnlySpan<byte> data, string what)
    {
        _bits = new Vp8LBits(data.ToArray());
        _what = what;
    }

    /// <summary>
    /// Null when <paramref name="data"/> (a VP8L chunk's payload, its 5-byte header included) holds the whole image;
    /// else what is wrong, in words. Images of more than <paramref name="maxPixels"/> are not walked (null).
    /// </summary>
    public static string? Problem(ReadOnlySpan<byte> data, long maxPixels) => Problem(data, maxPixels, out _);

    /// <summary>As <see cref="Problem(ReadOnlySpan{byte}, long)"/>; <paramref name="unsupported"/> when the problem is that the data uses more prefix-code groups than the walk reads.</summary>
    public static string? Problem(ReadOnlySpan<byte> data, long maxPixels, out bool unsupported)
    {
        unsupported = false;
        if (data.Length < 5) return null; // the header's own check reports it
        var check = new Vp8LDataCheck(data, "lossless data");
        Vp8LBits bits = check._bits;
        bits.Read(8); // signature
        int width = (int)bits.Read(14) + 1, height = (int)bits.Read(14) + 1;
        bits.Read(4); // alpha hint, version
        if ((long)width * height > maxPixels) return null;
        string? problem = check.MainImage(width, height);
        unsupported = check._tooManyGroups;
        return problem;
    }

    /// <summary>As <see cref="Problem(ReadOnlySpan{byte}, long)"/>, for an ALPH chunk's losslessly compressed alpha (after its one-byte header): a VP8L stream without a header, of the frame's size.</summary>
    public static string? AlphaProblem(ReadOnlySpan<byte> data, int width, int height, long maxPixels, out bool unsupported)
    {
        unsupported = false;
        if (width <= 0 || height <= 0 || (long)width * height > maxPixels) return null;
        var check = new Vp8LDataCheck(data, "alpha data");
        string? problem = check.MainImage(width, height);
        unsupported = check._tooManyGroups;
        return problem;
    }

    private string? MainImage(int width, int height)
    {
        int xsize = width;
        int seen = 0;
        while (_problem is null && _bits.Read(1) == 1)
        {
            int type = (int)_bits.Read(2);
            if ((seen & (1 << type)) != 0) return Fail($"transform {type} is given twice");
            seen |= 1 << type;
            if (type is 0 or 1)
            {
                int sizeBits = (int)_bits.Read(3) + 2;
                SubImage(Shrink(xsize, sizeBits), Shrink(height, sizeBits));
            }
            else if (type == 3)
            {
                int colours = (int)_bits.Read(8) + 1;
                SubImage(colours, 1);
                int bundle = colours <= 2 ? 3 : colours <= 4 ? 2 : colours <= 16 ? 1 : 0;
                xsize = Shrink(xsize, bundle);
            }
            if (_bits.Overrun) return Truncated();
        }
        if (_problem is not null) return _problem;
        int cacheBits = CacheBits();
        int[]? entropy = null;
        int entropyBits = 0, groups = 1;
        if (_problem is null && _bits.Read(1) == 1)
        {
            entropyBits = (int)_bits.Read(3) + 2;
            entropy = SubImage(Shrink(xsize, entropyBits), Shrink(height, entropyBits));
            if (entropy is null) return _problem ?? Truncated();
            for (int i = 0; i < entropy.Length; i++)
            {
                entropy[i] = (entropy[i] >> 8) & 0xFFFF;
                groups = Math.Max(groups, entropy[i] + 1);
            }
        }
        if (_problem is not null) return _problem;
        bool[] used = new bool[groups];
        if (entropy is null) used[0] = true;
        else foreach (int g in entropy) used[g] = true;
        int inUse = used.Count(u => u);
        if (inUse > MaxGroups)
        {
            _tooManyGroups = true;
            return $"the WebP's {_what} uses {Plain.N(inUse)} prefix-code groups, more than the {Plain.N(MaxGroups)} this module checks";
        }
        Group[]? codes = Groups(groups, cacheBits, used);
        if (codes is null) return _problem ?? Truncated();
        Pixels(xsize, height, cacheBits, codes, entropy, entropyBits, keep: false);
        if (_problem is not null) return _problem;
        return _bits.Overrun ? Truncated() : null;
    }

    private static int Shrink(int size, int bits) => (int)(((long)size + (1 << bits) - 1) >> bits);

    private string Truncated() => _problem ??= $"the WebP's {_what} ends after {Plain.Bytes(_bits.Length)}, before the image it describes is complete";

    private string? Fail(string what) => _problem ??= $"the WebP's {_what} is corrupt ({what})";

    private int CacheBits()
    {
        if (_bits.Read(1) == 0) return 0;
        int cacheBits = (int)_bits.Read(4);
        if (cacheBits is < 1 or > 11) Fail($"a colour cache of {cacheBits} bits");
        return cacheBits;
    }

    /// <summary>A sub-image's ARGB pixels, or null on a problem.</summary>
    private int[]? SubImage(int width, int height)
    {
        int cacheBits = CacheBits();
        if (_problem is not null) return null;
        Group[]? codes = Groups(1, cacheBits, [true]);
        if (codes is null) return null;
        int[]? pixels = Pixels(width, height, cacheBits, codes, null, 0, keep: true);
        return _problem is not null || _bits.Overrun ? null : pixels;
    }

    private Group[]? Groups(int count, int cacheBits, bool[] used)
    {
        var groups = new Group[count]; // entries of unused groups stay null: no pixel reaches them
        int greenSize = 256 + LengthCodes + (cacheBits > 0 ? 1 << cacheBits : 0);
        for (int g = 0; g < count; g++)
        {
            PrefixCode? green = Code(greenSize), red = Code(256), blue = Code(256), alpha = Code(256), distance = Code(DistanceCodes);
            if (green is null || red is null || blue is null || alpha is null || distance is null) return null;
            if (_bits.Overrun) return null;
            if (used[g]) groups[g] = new Group(green, red, blue, alpha, distance); // an unused group's codes are checked, not kept
        }
        return groups;
    }

    /// <summary>Reads one prefix code of <paramref name="alphabet"/> symbols; null on a problem.</summary>
    private PrefixCode? Code(int alphabet)
    {
        var lengths = new byte[alphabet];
        if (_bits.Read(1) == 1)
        {
            int symbols = (int)_bits.Read(1) + 1;
            int first = (int)_bits.Read(_bits.Read(1) == 0 ? 1 : 8);
            if (first < alphabet) lengths[first] = 1;
            if (symbols == 2)
            {
                int second = (int)_bits.Read(8);
                if (second < alphabet) lengths[second] = 1;
            }
        }
        else
        {
            var lengthLengths = new byte[CodeLengthOrder.Length];
            int count = (int)_bits.Read(4) + 4;
            for (int i = 0; i < count; i++) lengthLengths[CodeLengthOrder[i]] = (byte)_bits.Read(3);
            PrefixCode? lengthCode = PrefixCode.Build(lengthLengths);
            if (lengthCode is null) return Corrupt("an incomplete prefix code for code lengths");
            int maxSymbol = alphabet;
            if (_bits.Read(1) == 1)
            {
                int lengthBits = 2 + 2 * (int)_bits.Read(3);
                maxSymbol = 2 + (int)_bits.Read(lengthBits);
                if (maxSymbol > alphabet) return Corrupt($"{maxSymbol} code lengths for {alphabet} symbols");
            }
            int symbol = 0;
            byte previous = 8;
            while (symbol < alphabet && maxSymbol-- > 0)
            {
                if (_bits.Overrun) return null;
                int code = lengthCode.Decode(_bits);
                if (code < 16)
                {
                    lengths[symbol++] = (byte)code;
                    if (code != 0) previous = (byte)code;
                    continue;
                }
                int repeat = code == 16 ? 3 + (int)_bits.Read(2) : code == 17 ? 3 + (int)_bits.Read(3) : 11 + (int)_bits.Read(7);
                if (symbol + repeat > alphabet) return Corrupt("code lengths past the alphabet");
                byte value = code == 16 ? previous : (byte)0;
                for (int r = 0; r < repeat; r++) lengths[symbol++] = value;
            }
        }
        if (_bits.Overrun) return null;
        return PrefixCode.Build(lengths) ?? Corrupt("an incomplete or over-full prefix code");
    }

    private PrefixCode? Corrupt(string what)
    {
        Fail(what);
        return null;
    }

    /// <summary>Decodes width x height pixels; their values only when <paramref name="keep"/> (sub-images).</summary>
    private int[]? Pixels(int width, int height, int cacheBits, Group[] groups, int[]? entropy, int entropyBits, bool keep)
    {
        long total = (long)width * height;
        int[]? pixels = keep ? new int[total] : null;
        int[]? cache = keep && cacheBits > 0 ? new int[1 << cacheBits] : null;
        int cacheSize = cacheBits > 0 ? 1 << cacheBits : 0;
        int entropyWidth = entropy is null ? 0 : Shrink(width, entropyBits);
        long pos = 0;
        int x = 0, y = 0;
        Group group = groups[0];
        bool moved = true; // a backward reference may end inside a block: its group is looked up again
        while (pos < total)
        {
            if (entropy is not null && (moved || (x & ((1 << entropyBits) - 1)) == 0))
                group = groups[entropy[(y >> entropyBits) * entropyWidth + (x >> entropyBits)]];
            moved = false;
            int s = group.Green.Decode(_bits);
            long length = 1;
            if (s < 256)
            {
                int red = group.Red.Decode(_bits), blue = group.Blue.Decode(_bits), alpha = group.Alpha.Decode(_bits);
                if (pixels is not null)
                {
                    int argb = (alpha << 24) | (red << 16) | (s << 8) | blue;
                    pixels[pos] = argb;
                    if (cache is not null) cache[(int)((uint)(0x1e35a7bd * argb) >> (32 - cacheBits))] = argb;
                }
            }
            else if (s < 256 + LengthCodes)
            {
                length = PrefixValue(s - 256);
                moved = true;
                int distanceSymbol = group.Distance.Decode(_bits);
                long code = PrefixValue(distanceSymbol);
                long distance;
                if (code > 120) distance = code - 120;
                else
                {
                    distance = Plane[2 * (code - 1)] + (long)Plane[2 * (code - 1) + 1] * width;
                    if (distance < 1) distance = 1;
                }
                if (distance > pos || length > total - pos)
                {
                    Fail(distance > pos ? $"a backward reference {distance} pixels back at pixel {pos}" : $"a backward reference of {length} pixels past the image's end");
                    return null;
                }
                if (pixels is not null)
                {
                    for (long i = 0; i < length; i++)
                    {
                        int argb = pixels[pos + i - distance];
                        pixels[pos + i] = argb;
                        if (cache is not null) cache[(int)((uint)(0x1e35a7bd * argb) >> (32 - cacheBits))] = argb;
                    }
                }
            }
            else
            {
                int index = s - 256 - LengthCodes;
                if (index >= cacheSize)
                {
                    Fail($"colour cache entry {index} of {cacheSize}");
                    return null;
                }
                if (pixels is not null)
                {
                    int argb = cache![index];
                    pixels[pos] = argb;
                    cache[(int)((uint)(0x1e35a7bd * argb) >> (32 - cacheBits))] = argb;
                }
            }
            pos += length;
            x += (int)(length % width);
            y += (int)(length / width);
            if (x >= width)
            {
                x -= width;
                y++;
                // Past the data there is nothing more to learn; a row at a time keeps the test cheap.
                if (_bits.Overrun) return null;
            }
        }
        return pixels;
    }

    private long PrefixValue(int symbol)
    {
        if (symbol < 4) return symbol + 1;
        int extra = (symbol - 2) >> 1;
        long offset = (2L + (symbol & 1)) << extra;
        return offset + _bits.Read(extra) + 1;
    }

    private sealed record Group(PrefixCode Green, PrefixCode Red, PrefixCode Blue, PrefixCode Alpha, PrefixCode Distance);

    /// <summary>A canonical prefix code: codes of up to 8 bits from a table, longer ones bit by bit.</summary>
    private sealed class PrefixCode
    {
        private readonly int _single = -1;
        private readonly int[] _table = [];
        private readonly int[] _counts = new int[MaxCodeLength + 1];
        private readonly int[] _sorted = [];

        private PrefixCode(int single) => _single = single;

        private PrefixCode(byte[] lengths, int[] counts)
        {
            _counts = counts;
            var offsets = new int[MaxCodeLength + 2];
            for (int len = 1; len <= MaxCodeLength; len++) offsets[len + 1] = offsets[len] + counts[len];
            _sorted = new int[offsets[MaxCodeLength + 1]];
            for (int s = 0; s < lengths.Length; s++)
                if (lengths[s] != 0) _sorted[offsets[lengths[s]]++] = s;
            // VP8L's prefix codes are deflate's canonical codes, sent the same way (first bit first): the table is
            // indexed by the codes bit-reversed, as the deflate reader's is.
            var codes = new ushort[lengths.Length];
            DeflateSymbols.CanonicalCodes(lengths, codes);
            _table = new int[1 << RootBits];
            for (int s = 0; s < lengths.Length; s++)
            {
                int len = lengths[s];
                if (len is 0 or > RootBits) continue;
                for (int fill = codes[s]; fill < _table.Length; fill += 1 << len) _table[fill] = (s << 4) | len;
            }
        }

        /// <summary>The code of these lengths, or null when it is neither complete nor of a single symbol.</summary>
        public static PrefixCode? Build(byte[] lengths)
        {
            var counts = new int[MaxCodeLength + 1];
            int used = 0, last = 0;
            for (int s = 0; s < lengths.Length; s++)
            {
                if (lengths[s] == 0) continue;
                counts[lengths[s]]++;
                used++;
                last = s;
            }
            if (used == 0) return null;
            if (used == 1) return new PrefixCode(last);
            long left = 1;
            for (int len = 1; len <= MaxCodeLength; len++)
            {
                left = (left << 1) - counts[len];
                if (left < 0) return null;
            }
            return left == 0 ? new PrefixCode(lengths, counts) : null;
        }

        public int Decode(Vp8LBits bits)
        {
            if (_single >= 0) return _single;
            int entry = _table[bits.Peek(RootBits)];
            if (entry != 0)
            {
                bits.Skip(entry & 15);
                return entry >> 4;
            }
            int code = 0, first = 0, index = 0;
            for (int len = 1; len <= MaxCodeLength; len++)
            {
                code |= (int)bits.Read(1);
                int count = _counts[len];
                if (code - first < count) return _sorted[index + code - first];
                index += count;
                first = (first + count) << 1;
                code <<= 1;
            }
            return 0; // unreachable for a complete code
        }
    }
}
