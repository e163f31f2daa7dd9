namespace KMeansPS.Imaging.Tests.Jpeg;

/// <summary>
/// libjpeg-turbo 2.1's jsimd_idct_islow_sse2 (simd/x86_64/jidctint-sse2.asm; its AVX2 version computes the same),
/// transcribed step by step over arrays of 16-bit words and 32-bit lanes, so that the decoder's inverse DCT, written
/// as libjpeg's C factorisation with the SIMD code's wrap and saturation points, is checked against the instructions
/// themselves: pmullw keeps a product's low 16 bits, pmaddwd adds two 16 x 16-bit products into a 32-bit lane (the
/// code's reorganised constants, in the pairs it forms), paddw and psubw wrap, packssdw and packsswb saturate.
/// </summary>
internal static class Sse2InverseDct
{
    private const int ConstBits = 13, Pass1Bits = 2;
    private const int F0298 = 2446, F0390 = 3196, F0541 = 4433, F0765 = 6270, F0899 = 7373, F1175 = 9633;
    private const int F1501 = 12299, F1847 = 15137, F1961 = 16069, F2053 = 16819, F2562 = 20995, F3072 = 25172;

    /// <summary>The block (natural order) times <paramref name="dequant"/> into 8 x 8 samples, row by row.</summary>
    public static void Transform(short[] block, short[] dequant, byte[] output)
    {
        // Pass 1 works on rows of eight words, a column per lane: in[k][c] is row k, column c.
        var rows = new short[8][];
        for (int k = 0; k < 8; k++)
        {
            rows[k] = new short[8];
            for (int c = 0; c < 8; c++) rows[k][c] = (short)(block[k * 8 + c] * dequant[k * 8 + c]); // pmullw
        }
        bool acZero = true;
        for (int i = 8; i < 64; i++) acZero &= block[i] == 0;
        short[][] columns; // after pass 1, columns[k][c] is output row k of column c
        if (acZero)
        {
            // "AC terms all zero": psllw of the dequantized first row, broadcast down each column.
            columns = new short[8][];
            for (int k = 0; k < 8; k++)
            {
                columns[k] = new short[8];
                for (int c = 0; c < 8; c++) columns[k][c] = (short)(rows[0][c] << Pass1Bits);
            }
        }
        else
        {
            columns = Pass(rows, ConstBits - Pass1Bits);
        }
        // Transposed: pass 2 takes the rows of the intermediate block as its lanes.
        var transposed = new short[8][];
        for (int k = 0; k < 8; k++)
        {
            transposed[k] = new short[8];
            for (int r = 0; r < 8; r++) transposed[k][r] = columns[r][k];
        }
        short[][] samples = Pass(transposed, ConstBits + Pass1Bits + 3);
        for (int r = 0; r < 8; r++)
            for (int c = 0; c < 8; c++)
                output[r * 8 + c] = (byte)(Math.Clamp(samples[c][r], (short)-128, (short)127) + 128); // packsswb, paddb
    }

    /// <summary>One pass over eight lanes: in[k] is input k of every lane; outputs descaled and packed to words.</summary>
    private static short[][] Pass(short[][] input, int shift)
    {
        var output = new short[8][];
        for (int k = 0; k < 8; k++) output[k] = new short[8];
        for (int lane = 0; lane < 8; lane++)
        {
            short in0 = input[0][lane], in1 = input[1][lane], in2 = input[2][lane], in3 = input[3][lane];
            short in4 = input[4][lane], in5 = input[5][lane], in6 = input[6][lane], in7 = input[7][lane];
            // Even part.
            int tmp3 = Pmaddwd(in2, F0541 + F0765, in6, F0541);
            int tmp2 = Pmaddwd(in2, F0541, in6, F0541 - F1847);
            int tmp0 = (short)(in0 + in4) << ConstBits;                 // paddw, punpcklwd into the high half, psrad 3
            int tmp1 = (short)(in0 - in4) << ConstBits;                 // psubw
            int tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;
            // Odd part.
            short z3 = (short)(in7 + in3), z4 = (short)(in5 + in1);     // paddw
            int z3s = Pmaddwd(z3, F1175 - F1961, z4, F1175);
            int z4s = Pmaddwd(z3, F1175, z4, F1175 - F0390);
            int odd0 = Pmaddwd(in7, F0298 - F0899, in1, -F0899) + z3s;
            int odd3 = Pmaddwd(in7, -F0899, in1, F1501 - F0899) + z4s;
            int odd1 = Pmaddwd(in5, F2053 - F2562, in3, -F2562) + z4s;
            int odd2 = Pmaddwd(in5, -F2562, in3, F3072 - F2562) + z3s;
            output[0][lane] = Pack(tmp10 + odd3, shift);
            output[7][lane] = Pack(tmp10 - odd3, shift);
            output[1][lane] = Pack(tmp11 + odd2, shift);
            output[6][lane] = Pack(tmp11 - odd2, shift);
            output[2][lane] = Pack(tmp12 + odd1, shift);
            output[5][lane] = Pack(tmp12 - odd1, shift);
            output[3][lane] = Pack(tmp13 + odd0, shift);
            output[4][lane] = Pack(tmp13 - odd0, shift);
        }
        return output;
    }

    /// <summary>pmaddwd: two products of words, added in 32 bits (wrapping, as it does for -32768 x -32768 twice).</summary>
    private static int Pmaddwd(short a, int ca, short b, int cb) => unchecked(a * (short)ca + b * (short)cb);

    /// <summary>paddd of the rounding, psrad, packssdw.</summary>
    private static short Pack(int value, int shift) => (short)Math.Clamp(unchecked(value + (1 << (shift - 1))) >> shift, short.MinValue, short.MaxValue);
}
