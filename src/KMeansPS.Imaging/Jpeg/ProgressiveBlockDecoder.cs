using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// The four Huffman decoding procedures of a progressive scan (T.81 G.1.2): the first DC scan, DC refinement,
/// the first AC scan of a band with its end-of-band runs, and AC refinement with its correction bits. Each works
/// on a block's coefficients in zig-zag order (the order they are coded in, so that a band is contiguous) and
/// returns 0 or a negative <see cref="BlockStatus"/>. The AC procedures, where a progressive file spends its time,
/// hold the reader's bit buffer in locals as <see cref="SequentialBlockDecoder"/> does.
/// </summary>
internal static class ProgressiveBlockDecoder
{
    /// <summary>First DC scan: the difference, added to the predictor, shifted up by <paramref name="al"/>.</summary>
    internal static int DcFirst(ref BitReader reader, HuffmanTable dc, ref int predictor, int al, Span<short> block)
    {
        if (reader.Count < 32) reader.Fill();
        int size = reader.Decode(dc);
        if (size < 0) return BlockStatus.BadCode;
        if (size != 0)
        {
            int difference = BitReader.Extend(reader.Take(size), size), sum = predictor + difference;
            if (((predictor ^ sum) & (difference ^ sum)) < 0) return BlockStatus.DcOutOfRange;
            predictor = sum;
        }
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
        ref int acWhole = ref MemoryMarshal.GetArrayDataReference(ac.FastAc);
        ulong bits = reader.Bits;
        int count = reader.Count;
        for (int k = ss; k <= se; k++)
        {
            if (count < 32) Refill(ref reader, ref bits, ref count);
            int peek = (int)(bits >> (64 - HuffmanTable.FastBits));
            int whole = Unsafe.Add(ref acWhole, peek);
            if (whole != 0)
            {
                int used = whole & 0xFF;
                bits <<= used;
                count -= used;
                k += (whole >> 8) & 0xFF;
                if (k > se) return BlockStatus.PastEnd;
                Unsafe.Add(ref coefficients, k) = (short)((whole >> 16) << al);
                continue;
            }
            int symbol = Symbol(ac, peek, ref bits, ref count);
            if (symbol < 0) return BlockStatus.BadCode;
            int run = symbol >> 4, size = symbol & 15;
            if (size != 0)
            {
                k += run;
                if (k > se) return BlockStatus.PastEnd;
                Unsafe.Add(ref coefficients, k) = (short)(BitReader.Extend(Take(ref bits, ref count, size), size) << al);
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
                if (run != 0) endOfBandRun += Take(ref bits, ref count, run);
                break;
            }
        }
        reader.Bits = bits;
        reader.Count = count;
        return 0;
    }

    /// <summary>
    /// AC refinement of the band: every coefficient already nonzero gets a correction bit, and each coded symbol
    /// places one new coefficient of magnitude 2^<paramref name="al"/> after skipping its run of zero-history
    /// coefficients. Within an end-of-band run only the correction bits are read.
    /// </summary>
    /// <remarks>
    /// The coefficients that were nonzero before this scan are taken as a mask once; a symbol's target is then the
    /// (run + 1)-th zero-history position from k, and the correction bits before it are read for the mask's set bits
    /// in order: the same bits in the same order as walking the band one position at a time (T.81 G.1.2.3).
    /// </remarks>
    internal static int AcRefine(ref BitReader reader, HuffmanTable ac, int ss, int se, int al, ref int endOfBandRun, Span<short> block, JpegKernel kernel)
    {
        ref short coefficients = ref MemoryMarshal.GetReference(block);
        int plus = 1 << al, minus = -1 << al;
        ulong band = (ulong.MaxValue << ss) & (ulong.MaxValue >> (63 - se));
        ulong history = NonZeroMask.Of(kernel, block) & band;
        ulong zeroHistory = ~history & band;
        ulong bits = reader.Bits;
        int count = reader.Count;
        int k = ss;
        if (endOfBandRun == 0)
        {
            for (; k <= se; k++)
            {
                if (count < 32) Refill(ref reader, ref bits, ref count);
                int symbol = Symbol(ac, (int)(bits >> (64 - HuffmanTable.FastBits)), ref bits, ref count);
                if (symbol < 0) return BlockStatus.BadCode;
                int run = symbol >> 4, size = symbol & 15, value = 0;
                if (size != 0)
                {
                    if (size != 1) return BlockStatus.BadRefinement;
                    value = Take(ref bits, ref count, 1) != 0 ? plus : minus;
                }
                else if (run != 15)
                {
                    endOfBandRun = 1 << run;
                    if (run != 0) endOfBandRun += Take(ref bits, ref count, run);
                    break;
                }
                // The target: `run` zero-history positions are skipped, the new coefficient (if any) goes on the next.
                ulong zeros = NthSetBitAndAbove(zeroHistory & (ulong.MaxValue << k), run);
                if (zeros == 0) return BlockStatus.PastEnd;
                int target = System.Numerics.BitOperations.TrailingZeroCount(zeros);
                for (ulong nonZero = history & (ulong.MaxValue << k) & ~(ulong.MaxValue << target); nonZero != 0; nonZero &= nonZero - 1)
                    Correct(ref reader, ref bits, ref count, ref Unsafe.Add(ref coefficients, System.Numerics.BitOperations.TrailingZeroCount(nonZero)), plus);
                if (value != 0) Unsafe.Add(ref coefficients, target) = (short)value;
                k = target;
            }
        }
        if (endOfBandRun > 0)
        {
            // Only the nonzero coefficients from k to se take a bit.
            for (ulong nonZero = k <= se ? history & (ulong.MaxValue << k) : 0; nonZero != 0; nonZero &= nonZero - 1)
                Correct(ref reader, ref bits, ref count, ref Unsafe.Add(ref coefficients, System.Numerics.BitOperations.TrailingZeroCount(nonZero)), plus);
            endOfBandRun--;
        }
        reader.Bits = bits;
        reader.Count = count;
        return 0;
    }

    /// <summary><paramref name="mask"/> without its <paramref name="n"/> lowest set bits (0 when it has no more).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong NthSetBitAndAbove(ulong mask, int n)
    {
        for (int i = 0; i < n; i++) mask &= mask - 1;
        return mask;
    }

    /// <summary>
    /// A correction bit of 1 adds one to the magnitude at bit al, unless that bit is already set. Branch-free: the
    /// bits are close to random, so a branch on them would mostly be mispredicted.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Correct(ref BitReader reader, ref ulong bits, ref int count, ref short coefficient, int plus)
    {
        if (count < 1) Refill(ref reader, ref bits, ref count);
        int bit = (int)(bits >> 63);
        bits <<= 1;
        count--;
        int value = coefficient, sign = value >> 31;
        int step = (plus ^ sign) - sign;                    // +2^al for a positive coefficient, -2^al for a negative one
        int unset = ((value & plus) - 1) >> 31;             // all ones when bit al is not yet set
        coefficient = (short)(value + (step & -bit & unset));
    }

    /// <summary>The next symbol of <paramref name="table"/> (the caller has 16 bits buffered), or -1 for a bad code.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Symbol(HuffmanTable table, int peek, ref ulong bits, ref int count)
    {
        int symbol = table.Fast[peek], length;
        if (symbol != 0)
        {
            length = symbol >> 8;
            symbol &= 0xFF;
        }
        else if ((symbol = table.DecodeLong(bits, out length)) < 0)
        {
            return -1;
        }
        bits <<= length;
        count -= length;
        return symbol;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Take(ref ulong bits, ref int count, int n)
    {
        int value = (int)(bits >> (64 - n));
        bits <<= n;
        count -= n;
        return value;
    }

    private static void Refill(ref BitReader reader, ref ulong bits, ref int count)
    {
        reader.Bits = bits;
        reader.Count = count;
        reader.Fill();
        bits = reader.Bits;
        count = reader.Count;
    }
}
