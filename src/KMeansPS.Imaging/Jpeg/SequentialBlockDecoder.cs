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
    internal static int Decode(ref BitReader reader, HuffmanTable dc, HuffmanTable ac, ref int predictor, Span<short> block)
    {
        ref short coefficients = ref MemoryMarshal.GetReference(block);
        ref byte natural = ref MemoryMarshal.GetArrayDataReference(ZigZag.ToNatural);
        // 32 buffered bits cover a code (at most 16) and its extra bits (at most 15).
        if (reader.Count < 32) reader.Fill();
        int size = reader.Decode(dc);
        if (size < 0) return BlockStatus.BadCode;
        if (size != 0) predictor += BitReader.Extend(reader.Take(size), size);
        coefficients = (short)predictor;

        int last = 0;
        for (int k = 1; k < 64; k++)
        {
            if (reader.Count < 32) reader.Fill();
            int symbol = reader.Decode(ac);
            if (symbol < 0) return BlockStatus.BadCode;
            int run = symbol >> 4;
            size = symbol & 15;
            if (size != 0)
            {
                k += run;
                if (k > 63) return BlockStatus.PastEnd;
                Unsafe.Add(ref coefficients, Unsafe.Add(ref natural, k)) = (short)BitReader.Extend(reader.Take(size), size);
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
        return last;
    }
}
