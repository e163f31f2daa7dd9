using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace KMeansPS.Imaging.Png.Deflate;

/// <summary>
/// Reads a raw deflate stream (RFC 1951) back into its tokens (<see cref="DeflateToken"/>), a piece at a time. The
/// compressor's parse is kept and only its
/// blocks are redrawn (<see cref="DeflateRepacker"/>). Reads until a final block or the end of the input (a band that
/// ends with a sync flush has no final block); a malformed stream throws <see cref="InvalidDataException"/>. Pieces,
/// not the whole stream at once: a band of an 8000 x 8000 noise image holds four million tokens, and holding them
/// (and a pool keeping such arrays) took the image's peak from 790 to 1,027-1,452 MB (perf/memory-bounds.ps1).
/// </summary>
internal sealed class DeflateTokenReader : IDeflateTokenSource
{
    private readonly byte[] data;
    private readonly int end;
    private int next;
    private ulong buffer;
    private int available;
    private bool inBlock;
    private bool finalSeen;
    private int storedLeft = -1; // bytes left in the current stored block, -1 in a Huffman block
    private HuffmanTable literalCode;
    private HuffmanTable distanceCode;
    private readonly byte[] lengths = new byte[DeflateSymbols.LiteralLengthCount + 2 + 32];

    public DeflateTokenReader(byte[] deflate) : this(deflate, deflate.Length) { }

    /// <summary>Reads the first <paramref name="length"/> bytes of <paramref name="deflate"/> (a buffer that may hold more).</summary>
    public DeflateTokenReader(byte[] deflate, int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)length, (uint)deflate.Length, nameof(length));
        data = deflate;
        end = length;
    }

    /// <summary>Bytes the tokens read so far stand for.</summary>
    public long RawLength { get; private set; }

    /// <summary>Whether a final block has been read (a whole stream; a band ending with a sync flush has none).</summary>
    public bool FinalBlockSeen => finalSeen;

    /// <summary>Whether every byte of the input has been read, but the padding bits of its last byte.</summary>
    public bool InputConsumed => next >= end && available < 8;

    /// <summary>Whether the stream has no more tokens.</summary>
    public bool Finished => !inBlock && (finalSeen || (next >= end && available < 8));

    /// <summary>The whole stream's tokens at once, and the reader at its end (tests; the repacker reads in pieces).</summary>
    public static (uint[] Tokens, DeflateTokenReader Reader) Read(byte[] deflate)
    {
        var reader = new DeflateTokenReader(deflate);
        var tokens = new List<uint>();
        var piece = new uint[4096];
        int count;
        while ((count = reader.ReadTokens(piece)) > 0) tokens.AddRange(piece.AsSpan(0, count).ToArray());
        return ([.. tokens], reader);
    }

    /// <summary>Up to <paramref name="destination"/>'s length of the next tokens; 0 at the end of the stream.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int ReadTokens(Span<uint> destination)
    {
        int count = 0;
        while (count < destination.Length)
        {
            if (!inBlock)
            {
                if (Finished) break;
                StartBlock();
                continue;
            }
            if (storedLeft >= 0)
            {
                if (storedLeft == 0)
                {
                    inBlock = false;
                    storedLeft = -1;
                    continue;
                }
                destination[count++] = Bits(8);
                storedLeft--;
                RawLength++;
                continue;
            }
            int symbol = literalCode.Decode(this);
            if (symbol < 256)
            {
                destination[count++] = (uint)symbol;
                RawLength++;
                continue;
            }
            if (symbol == DeflateSymbols.EndOfBlock)
            {
                inBlock = false;
                continue;
            }
            if (symbol > 285) throw new InvalidDataException("Length symbols 286 and 287 do not occur.");
            uint lengthExtra = Bits(DeflateSymbols.LengthExtra[symbol - 257]);
            int distanceSymbol = distanceCode.Decode(this);
            if (distanceSymbol >= DeflateSymbols.DistanceCount) throw new InvalidDataException("Distance symbols 30 and 31 do not occur.");
            uint distanceExtra = Bits(DeflateSymbols.DistanceExtra[distanceSymbol]);
            if (DeflateSymbols.DistanceBase[distanceSymbol] + distanceExtra > RawLength) throw new InvalidDataException("A match reaches before the start of the stream.");
            destination[count++] = DeflateToken.Match(symbol, lengthExtra, distanceSymbol, distanceExtra);
            RawLength += DeflateSymbols.LengthBase[symbol - 257] + lengthExtra;
        }
        return count;
    }

    private void StartBlock()
    {
        finalSeen = Bits(1) == 1;
        uint type = Bits(2);
        inBlock = true;
        if (type == 0)
        {
            Skip(available & 7);
            int len = (int)Bits(16), nlen = (int)Bits(16);
            if ((len ^ 0xFFFF) != nlen) throw new InvalidDataException("A stored block's length and its complement disagree.");
            storedLeft = len;
            return;
        }
        if (type == 3) throw new InvalidDataException("Block type 3 is reserved.");
        if (type == 1)
        {
            for (int s = 0; s < 288; s++) lengths[s] = DeflateSymbols.FixedLiteralLength(s);
            literalCode = new HuffmanTable(lengths.AsSpan(0, 288));
            lengths.AsSpan(0, 32).Fill(5);
            distanceCode = new HuffmanTable(lengths.AsSpan(0, 32));
            return;
        }
        int hlit = (int)Bits(5) + 257, hdist = (int)Bits(5) + 1, hclen = (int)Bits(4) + 4;
        Span<byte> codeLengthLengths = stackalloc byte[19];
        codeLengthLengths.Clear();
        for (int i = 0; i < hclen; i++) codeLengthLengths[DeflateSymbols.CodeLengthOrder[i]] = (byte)Bits(3);
        var codeLengthCode = new HuffmanTable(codeLengthLengths);
        Span<byte> all = lengths.AsSpan(0, hlit + hdist);
        for (int i = 0; i < all.Length;)
        {
            int symbol = codeLengthCode.Decode(this);
            if (symbol < 16)
            {
                all[i++] = (byte)symbol;
                continue;
            }
            (byte value, int repeat) = symbol switch
            {
                16 => (i > 0 ? all[i - 1] : throw new InvalidDataException("A repeat with nothing before it."), 3 + (int)Bits(2)),
                17 => ((byte)0, 3 + (int)Bits(3)),
                _ => ((byte)0, 11 + (int)Bits(7)),
            };
            if (i + repeat > all.Length) throw new InvalidDataException("Code lengths run past their count.");
            all.Slice(i, repeat).Fill(value);
            i += repeat;
        }
        literalCode = new HuffmanTable(all[..hlit]);
        distanceCode = new HuffmanTable(all[hlit..]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint Peek(int count)
    {
        if (available < count) Refill();
        return (uint)(buffer & ((1UL << count) - 1));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Skip(int count)
    {
        if (count > available) throw new InvalidDataException("The stream ends inside a block.");
        buffer >>= count;
        available -= count;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint Bits(int count)
    {
        if (count == 0) return 0;
        uint value = Peek(count);
        Skip(count);
        return value;
    }

    private void Refill()
    {
        if (next + 8 <= end)
        {
            ulong word = BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(next));
            buffer |= word << available;
            int take = (63 - available) >> 3;
            next += take;
            available += take * 8;
            return;
        }
        while (available <= 56 && next < end)
        {
            buffer |= (ulong)data[next++] << available;
            available += 8;
        }
    }

    /// <summary>A canonical Huffman code as one lookup table indexed by the next longest-code bits.</summary>
    private readonly struct HuffmanTable
    {
        private readonly ushort[] entries; // symbol << 4 | length; 0 where no code
        private readonly int bits;

        public HuffmanTable(ReadOnlySpan<byte> lengths)
        {
            Span<ushort> codes = stackalloc ushort[lengths.Length];
            if (!DeflateSymbols.CanonicalCodes(lengths, codes)) throw new InvalidDataException("Code lengths that are no code: over 15 bits, or more codes than they allow.");
            int max = 0;
            foreach (byte l in lengths) max = Math.Max(max, l);
            bits = Math.Max(1, max);
            entries = new ushort[1 << bits];
            for (int symbol = 0; symbol < lengths.Length; symbol++)
            {
                int l = lengths[symbol];
                if (l == 0) continue;
                var entry = (ushort)((symbol << 4) | l);
                for (int fill = codes[symbol]; fill < entries.Length; fill += 1 << l) entries[fill] = entry;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Decode(DeflateTokenReader reader)
        {
            ushort entry = entries[reader.Peek(bits)];
            if (entry == 0) throw new InvalidDataException("Bits that are no code of the block.");
            reader.Skip(entry & 15);
            return entry >> 4;
        }
    }
}
