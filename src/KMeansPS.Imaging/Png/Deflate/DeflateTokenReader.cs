using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace KMeansPS.Imaging.Png.Deflate;

/// <summary>
/// Reads a raw deflate stream (RFC 1951) back into its tokens: literals as their byte (0-255), matches as
/// <c>distance &lt;&lt; 9 | length</c> (always above 255). The compressor's parse is kept and only its blocks are
/// redrawn (<see cref="DeflateRepacker"/>). Reads until a final block or the end of the input (a band that ends with a
/// sync flush has no final block); a malformed stream throws <see cref="InvalidDataException"/>.
/// </summary>
internal static class DeflateTokenReader
{
    /// <summary>
    /// The tokens of <paramref name="deflate"/> (in an array from <see cref="System.Buffers.ArrayPool{T}.Shared"/>, for the
    /// caller to return) and the number of bytes they stand for.
    /// </summary>
    public static (int[] Tokens, int Count, long RawLength) Read(ReadOnlySpan<byte> deflate)
    {
        var reader = new BitReader(deflate);
        int[] tokens = System.Buffers.ArrayPool<int>.Shared.Rent(Math.Max(1024, deflate.Length));
        int count = 0;
        long raw = 0;
        Span<byte> lengths = stackalloc byte[DeflateSymbols.LiteralLengthCount + 2 + 32];
        Span<byte> codeLengthLengths = stackalloc byte[19];
        bool final = false;
        while (!final && !reader.AtEnd)
        {
            final = reader.Bits(1) == 1;
            uint type = reader.Bits(2);
            if (type == 0)
            {
                reader.AlignToByte();
                int len = (int)reader.Bits(16), nlen = (int)reader.Bits(16);
                if ((len ^ 0xFFFF) != nlen) throw new InvalidDataException("A stored block's length and its complement disagree.");
                for (int i = 0; i < len; i++)
                {
                    Append(ref tokens, ref count, (int)reader.Bits(8));
                }
                raw += len;
                continue;
            }
            if (type == 3) throw new InvalidDataException("Block type 3 is reserved.");
            HuffmanTable literalCode, distanceCode;
            if (type == 1)
            {
                for (int s = 0; s < 288; s++) lengths[s] = DeflateSymbols.FixedLiteralLength(s);
                literalCode = new HuffmanTable(lengths[..288]);
                lengths[..32].Fill(5);
                distanceCode = new HuffmanTable(lengths[..32]);
            }
            else
            {
                int hlit = (int)reader.Bits(5) + 257, hdist = (int)reader.Bits(5) + 1, hclen = (int)reader.Bits(4) + 4;
                codeLengthLengths.Clear();
                for (int i = 0; i < hclen; i++) codeLengthLengths[DeflateSymbols.CodeLengthOrder[i]] = (byte)reader.Bits(3);
                var codeLengthCode = new HuffmanTable(codeLengthLengths);
                Span<byte> all = lengths[..(hlit + hdist)];
                for (int i = 0; i < all.Length;)
                {
                    int symbol = codeLengthCode.Decode(ref reader);
                    if (symbol < 16)
                    {
                        all[i++] = (byte)symbol;
                        continue;
                    }
                    (byte value, int repeat) = symbol switch
                    {
                        16 => (i > 0 ? all[i - 1] : throw new InvalidDataException("A repeat with nothing before it."), 3 + (int)reader.Bits(2)),
                        17 => ((byte)0, 3 + (int)reader.Bits(3)),
                        _ => ((byte)0, 11 + (int)reader.Bits(7)),
                    };
                    if (i + repeat > all.Length) throw new InvalidDataException("Code lengths run past their count.");
                    all.Slice(i, repeat).Fill(value);
                    i += repeat;
                }
                literalCode = new HuffmanTable(all[..hlit]);
                distanceCode = new HuffmanTable(all[hlit..]);
            }
            while (true)
            {
                int symbol = literalCode.Decode(ref reader);
                if (symbol < 256)
                {
                    Append(ref tokens, ref count, symbol);
                    raw++;
                    continue;
                }
                if (symbol == DeflateSymbols.EndOfBlock) break;
                if (symbol > 285) throw new InvalidDataException("Length symbols 286 and 287 do not occur.");
                int length = DeflateSymbols.LengthBase[symbol - 257] + (int)reader.Bits(DeflateSymbols.LengthExtra[symbol - 257]);
                int distanceSymbol = distanceCode.Decode(ref reader);
                if (distanceSymbol >= DeflateSymbols.DistanceCount) throw new InvalidDataException("Distance symbols 30 and 31 do not occur.");
                int distance = DeflateSymbols.DistanceBase[distanceSymbol] + (int)reader.Bits(DeflateSymbols.DistanceExtra[distanceSymbol]);
                if (distance > raw) throw new InvalidDataException("A match reaches before the start of the stream.");
                Append(ref tokens, ref count, (distance << 9) | length);
                raw += length;
            }
        }
        return (tokens, count, raw);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Append(ref int[] tokens, ref int count, int token)
    {
        if (count == tokens.Length) Grow(ref tokens);
        tokens[count++] = token;
    }

    private static void Grow(ref int[] tokens)
    {
        int[] larger = System.Buffers.ArrayPool<int>.Shared.Rent(tokens.Length * 2);
        tokens.CopyTo(larger, 0);
        System.Buffers.ArrayPool<int>.Shared.Return(tokens);
        tokens = larger;
    }

    /// <summary>Bits of a byte span, least significant first; past the end it reads zeros and reports overrun.</summary>
    internal ref struct BitReader
    {
        private readonly ReadOnlySpan<byte> data;
        private int next;
        private ulong buffer;
        private int available;

        public BitReader(ReadOnlySpan<byte> data) => this.data = data;

        /// <summary>Whether every bit of the input has been read but padding of the last byte.</summary>
        public readonly bool AtEnd => next >= data.Length && available < 8;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public uint Peek(int count)
        {
            if (available < count) Refill();
            return (uint)(buffer & ((1UL << count) - 1));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Skip(int count)
        {
            if (count > available) throw new InvalidDataException("The stream ends inside a block.");
            buffer >>= count;
            available -= count;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public uint Bits(int count)
        {
            if (count == 0) return 0;
            uint value = Peek(count);
            Skip(count);
            return value;
        }

        public void AlignToByte() => Skip(available & 7);

        private void Refill()
        {
            if (next + 8 <= data.Length)
            {
                ulong word = BinaryPrimitives.ReadUInt64LittleEndian(data[next..]);
                buffer |= word << available;
                int take = (63 - available) >> 3;
                next += take;
                available += take * 8;
                return;
            }
            while (available <= 56 && next < data.Length)
            {
                buffer |= (ulong)data[next++] << available;
                available += 8;
            }
        }
    }

    /// <summary>A canonical Huffman code as one lookup table indexed by the next longest-code bits.</summary>
    private readonly struct HuffmanTable
    {
        private readonly ushort[] entries; // symbol << 4 | length; 0 where no code
        private readonly int bits;

        public HuffmanTable(ReadOnlySpan<byte> lengths)
        {
            Span<int> perLength = stackalloc int[16];
            perLength.Clear();
            int max = 0;
            foreach (byte l in lengths)
            {
                if (l > 15) throw new InvalidDataException("A code is longer than 15 bits.");
                perLength[l]++;
                max = Math.Max(max, l);
            }
            bits = Math.Max(1, max);
            entries = new ushort[1 << bits];
            Span<int> nextCode = stackalloc int[16];
            int code = 0, left = 1;
            perLength[0] = 0;
            for (int l = 1; l <= 15; l++)
            {
                code = (code + perLength[l - 1]) << 1;
                nextCode[l] = code;
                left = (left << 1) - perLength[l];
                if (left < 0) throw new InvalidDataException("A code has more codes than its lengths allow.");
            }
            for (int symbol = 0; symbol < lengths.Length; symbol++)
            {
                int l = lengths[symbol];
                if (l == 0) continue;
                int reversed = Reverse(nextCode[l]++, l);
                var entry = (ushort)((symbol << 4) | l);
                for (int fill = reversed; fill < entries.Length; fill += 1 << l) entries[fill] = entry;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Decode(ref BitReader reader)
        {
            ushort entry = entries[reader.Peek(bits)];
            if (entry == 0) throw new InvalidDataException("Bits that are no code of the block.");
            reader.Skip(entry & 15);
            return entry >> 4;
        }
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
