using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// The four Huffman decoding procedures of a progressive scan (T.81 G.1.2): the first DC scan, DC refinement,
/// the first AC scan of a band with its end-of-band runs, and AC refinement with its correction bits. Each works
/// on a block's coefficients in natural order and returns 0 or a negative <see cref="BlockStatus"/>.
/// </summary>
internal static class ProgressiveBlockDecoder
{
    /// <summary>First DC scan: the difference, added to the predictor, shifted up by <paramref name="al"/>.</summary>
    internal static int DcFirst(ref BitReader reader, HuffmanTable dc, ref int predictor, int al, Span<short> block)
    {
        if (reader.Count < 32) reader.Fill();
        int size = reader.Decode(dc);
        if (size < 0) return BlockStatus.BadCode;
        if (size != 0) predictor += BitReader.Extend(reader.Take(size), size);
        block[0] = (short)(predictor << al);
        return 0;
    }

    /// <summary>DC refinement: one more bit, bit <paramref name="al"/> of the coefficient.</summary>
    internal static int DcRefine(ref BitReader reader, int al, Span<short> block)
    {
        if (reader.TakeBit() != 0) block[0] |= (short)(1 << al);
        return 0;
    }

    /// <summary>
    /// First AC scan of the band <paramref name="ss"/>..<paramref name="se"/>: coefficients shifted up by
    /// <paramref name="al"/>, or a run of blocks with nothing in the band (<paramref name="endOfBandRun"/>).
    /// </summary>
    internal static int AcFirst(ref BitReader reader, HuffmanTable ac, int ss, int se, int al, ref int endOfBandRun, Span<short> block)
    {
        if (endOfBandRun > 0)
        {
            endOfBandRun--;
            return 0;
        }
        ref short coefficients = ref MemoryMarshal.GetReference(block);
        ref byte natural = ref MemoryMarshal.GetArrayDataReference(ZigZag.ToNatural);
        for (int k = ss; k <= se; k++)
        {
            if (reader.Count < 32) reader.Fill();
            int symbol = reader.Decode(ac);
            if (symbol < 0) return BlockStatus.BadCode;
            int run = symbol >> 4, size = symbol & 15;
            if (size != 0)
            {
                k += run;
                if (k > se) return BlockStatus.PastEnd;
                Unsafe.Add(ref coefficients, Unsafe.Add(ref natural, k)) = (short)(BitReader.Extend(reader.Take(size), size) << al);
            }
            else if (run == 15)
            {
                k += 15;
                if (k > se) return BlockStatus.PastEnd;
            }
            else
            {
                // EOBn: this block and 2^n - 1 + (n extra bits) more end here.
                endOfBandRun = (1 << run) - 1;
                if (run != 0) endOfBandRun += reader.Take(run);
                break;
            }
        }
        return 0;
    }

    /// <summary>
    /// AC refinement of the band: every coefficient already nonzero gets a correction bit, and each coded symbol
    /// places one new coefficient of magnitude 2^<paramref name="al"/> after skipping its run of zero-history
    /// coefficients. Within an end-of-band run only the correction bits are read.
    /// </summary>
    internal static int AcRefine(ref BitReader reader, HuffmanTable ac, int ss, int se, int al, ref int endOfBandRun, Span<short> block)
    {
        ref short coefficients = ref MemoryMarshal.GetReference(block);
        ref byte natural = ref MemoryMarshal.GetArrayDataReference(ZigZag.ToNatural);
        int plus = 1 << al, minus = -1 << al;
        int k = ss;
        if (endOfBandRun == 0)
        {
            for (; k <= se; k++)
            {
                if (reader.Count < 32) reader.Fill();
                int symbol = reader.Decode(ac);
                if (symbol < 0) return BlockStatus.BadCode;
                int run = symbol >> 4, size = symbol & 15, value = 0;
                if (size != 0)
                {
                    if (size != 1) return BlockStatus.BadRefinement;
                    value = reader.Take(1) != 0 ? plus : minus;
                }
                else if (run != 15)
                {
                    endOfBandRun = 1 << run;
                    if (run != 0) endOfBandRun += reader.Take(run);
                    break;
                }
                // Skip `run` zero-history coefficients (the new one goes on the next), correcting nonzero ones on the way.
                for (; k <= se; k++)
                {
                    ref short coefficient = ref Unsafe.Add(ref coefficients, Unsafe.Add(ref natural, k));
                    if (coefficient != 0) Correct(ref reader, ref coefficient, plus, minus);
                    else if (run-- == 0) break;
                }
                if (k > se) return BlockStatus.PastEnd;
                if (value != 0) Unsafe.Add(ref coefficients, Unsafe.Add(ref natural, k)) = (short)value;
            }
        }
        if (endOfBandRun > 0)
        {
            for (; k <= se; k++)
            {
                ref short coefficient = ref Unsafe.Add(ref coefficients, Unsafe.Add(ref natural, k));
                if (coefficient != 0) Correct(ref reader, ref coefficient, plus, minus);
            }
            endOfBandRun--;
        }
        return 0;
    }

    /// <summary>A correction bit of 1 adds one to the magnitude at bit al, unless that bit is already set.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Correct(ref BitReader reader, ref short coefficient, int plus, int minus)
    {
        if (reader.TakeBit() != 0 && (coefficient & plus) == 0)
            coefficient = (short)(coefficient + (coefficient >= 0 ? plus : minus));
    }
}
