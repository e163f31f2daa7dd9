using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// Reads the entropy-coded data of a scan bit by bit, most significant first, removing the 0x00 stuffed after each
/// 0xFF (T.81 F.1.2.3). At a marker or the end of the file it stops and supplies zero bits instead, counting them in
/// <see cref="Padding"/>: <see cref="Overrun"/> then tells whether any were consumed, that is whether the data
/// ended before the decoder was done with it. libjpeg pads the same way but only warns; the decoder refuses.
/// </summary>
internal struct BitReader
{
    private readonly byte[] _data;

    /// <summary>The next byte to move into <see cref="Bits"/>.</summary>
    internal int Position;

    /// <summary>The buffered bits, the next one in the top bit.</summary>
    internal ulong Bits;

    /// <summary>How many of the top bits of <see cref="Bits"/> are buffered (padding included).</summary>
    internal int Count;

    /// <summary>Zero bits appended after the data ended; they are the last <see cref="Padding"/> buffered bits.</summary>
    internal int Padding;

    /// <summary>The data ended: <see cref="Position"/> is at a marker's 0xFF or at the end of the file.</summary>
    internal bool AtMarker;

    internal BitReader(byte[] data, int position)
    {
        _data = data;
        Position = position;
    }

    /// <summary>True when bits past the end of the data were consumed.</summary>
    internal readonly bool Overrun => Count < Padding;

    /// <summary>Buffers at least 57 bits (padding with zeros past the end of the data).</summary>
    internal void Fill()
    {
        byte[] data = _data;
        while (Count <= 56)
        {
            if (!AtMarker && Position <= data.Length - 8)
            {
                ulong word = BinaryPrimitives.ReverseEndianness(
                    Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(data), Position)));
                if (!HasByteFF(word))
                {
                    // The whole bytes that fit are taken; the top bits of the next byte land below them too, where
                    // that byte will be ORed in again, so they need no masking.
                    int bytes = (64 - Count) >> 3;
                    Bits |= word >> Count;
                    Position += bytes;
                    Count += bytes << 3;
                    return;
                }
            }
            FillByte();
        }
    }

    private void FillByte()
    {
        byte[] data = _data;
        if (!AtMarker)
        {
            if (Position < data.Length)
            {
                byte b = data[Position];
                if (b != 0xFF)
                {
                    Position++;
                    Bits |= (ulong)b << (56 - Count);
                    Count += 8;
                    return;
                }
                if (Position + 1 < data.Length && data[Position + 1] == 0)
                {
                    Position += 2;
                    Bits |= 0xFFUL << (56 - Count);
                    Count += 8;
                    return;
                }
            }
            AtMarker = true;
        }
        Padding += 8;
        Count += 8;
    }

    /// <summary>Drops the buffered bits, as at a restart marker, and reads on from <see cref="Position"/>.</summary>
    internal void Reset(int position)
    {
        Position = position;
        Bits = 0;
        Count = 0;
        Padding = 0;
        AtMarker = false;
    }

    /// <summary>The next <paramref name="n"/> bits (1 to 16) as an unsigned number; the caller has filled enough.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int Take(int n)
    {
        int value = (int)(Bits >> (64 - n));
        Bits <<= n;
        Count -= n;
        return value;
    }

    /// <summary>One bit, filling first when needed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int TakeBit()
    {
        if (Count < 1) Fill();
        int value = (int)(Bits >> 63);
        Bits <<= 1;
        Count--;
        return value;
    }

    /// <summary>
    /// The next Huffman symbol of <paramref name="table"/>, or -1 when the bits form no code of it. The caller has
    /// filled at least 16 bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int Decode(HuffmanTable table)
    {
        int entry = table.Fast[(int)(Bits >> (64 - HuffmanTable.FastBits))];
        if (entry != 0)
        {
            int length = entry >> 8;
            Bits <<= length;
            Count -= length;
            return entry & 0xFF;
        }
        return DecodeLong(table);
    }

    private int DecodeLong(HuffmanTable table)
    {
        int symbol = table.DecodeLong(Bits, out int length);
        if (symbol < 0) return -1;
        Bits <<= length;
        Count -= length;
        return symbol;
    }

    /// <summary>The sign extension of T.81 F.2.2.1: <paramref name="bits"/> read as an <paramref name="size"/>-bit difference.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Extend(int bits, int size) => bits - ((((bits << 1) >> size) - 1) & ((1 << size) - 1));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool HasByteFF(ulong word)
    {
        ulong inverted = ~word;
        return ((inverted - 0x0101010101010101UL) & ~inverted & 0x8080808080808080UL) != 0;
    }
}
