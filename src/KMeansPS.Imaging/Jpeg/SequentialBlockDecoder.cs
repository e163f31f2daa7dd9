using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KMeansPS.Imaging.Jpeg;

/// <summary>The Huffman decoding of one block of a sequential scan (T.81 F.2.2): the DC difference, then the AC run-lengths.</summary>
internal static class SequentialBlockDecoder
{
    /// <summary>
    /// Decodes one block into <paramref name="block"/> (64 coefficients in natural order, zero on entry, not yet
    /// dequantized). Returns the zig-zag index of the last coefficient written (0 when only the DC is present) or a
    /// negative <see cref="BlockStatus"/>.
    /// </summary>
    /// <remarks>
    /// The hottest loop of the decoder: the reader's bit buffer is held in locals (written back around refills,
    /// which are rare), and small coefficients come whole from <see cref="HuffmanTable.FastAc"/>.
    /// </remarks>
    internal static int Decode(ref BitReader reader, HuffmanTable dc, HuffmanTable ac, ref int predictor, Span<short> block)
    {
        ref short coefficients = ref MemoryMarshal.GetReference(block);
        ref byte natural = ref MemoryMarshal.GetArrayDataReference(ZigZag.ToNatural);
        ref ushort acFast = ref MemoryMarshal.GetArrayDataReference(ac.Fast);
        ref int acWhole = ref MemoryMarshal.GetArrayDataReference(ac.FastAc);
        // 32 buffered bits cover a code (at most 16) and its extra bits (at most 15).
        if (reader.Count < 32) reader.Fill();
        ulong bits = reader.Bits;
        int count = reader.Count;

        int symbol = dc.Fast[(int)(bits >> (64 - HuffmanTable.FastBits))], length;
        if (symbol != 0)
        {
            length = symbol >> 8;
            symbol &= 0xFF;
        }
        else if ((symbol = dc.DecodeLong(bits, out length)) < 0)
        {
            return BlockStatus.BadCode;
        }
        bits <<= length;
        count -= length;
        if (symbol != 0)
        {
            predictor += BitReader.Extend((int)(bits >> (64 - symbol)), symbol);
            bits <<= symbol;
            count -= symbol;
        }
        coefficients = (short)predictor;

        int last = 0;
        for (int k = 1; k < 64; k++)
        {
            if (count < 32)
            {
                reader.Bits = bits;
                reader.Count = count;
                reader.Fill();
                bits = reader.Bits;
                count = reader.Count;
            }
            int peek = (int)(bits >> (64 - HuffmanTable.FastBits));
            int whole = Unsafe.Add(ref acWhole, peek);
            if (whole != 0)
            {
                // A small coefficient, code and value in one lookup.
                length = whole & 0xFF;
                bits <<= length;
                count -= length;
                k += (whole >> 8) & 0xFF;
                if (k > 63) return BlockStatus.PastEnd;
                Unsafe.Add(ref coefficients, Unsafe.Add(ref natural, k)) = (short)(whole >> 16);
                last = k;
                continue;
            }
            symbol = Unsafe.Add(ref acFast, peek);
            if (symbol != 0)
            {
                length = symbol >> 8;
                symbol &= 0xFF;
            }
            else if ((symbol = ac.DecodeLong(bits, out length)) < 0)
            {
                return BlockStatus.BadCode;
            }
            bits <<= length;
            count -= length;
            int run = symbol >> 4, size = symbol & 15;
            if (size != 0)
            {
                k += run;
                if (k > 63) return BlockStatus.PastEnd;
                Unsafe.Add(ref coefficients, Unsafe.Add(ref natural, k)) = (short)BitReader.Extend((int)(bits >> (64 - size)), size);
                bits <<= size;
                count -= size;
                last = k;
            }
            else if (run == 15)
            {
                // Sixteen zeros; they must leave room for the coefficient that ends them.
                k += 15;
                if (k > 63) return BlockStatus.PastEnd;
            }
            else
            {
                break; // end of block
            }
        }
        reader.Bits = bits;
        reader.Count = count;
        return last;
    }
}
