using System.Runtime.CompilerServices;

namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// The accurate integer inverse DCT as libjpeg defines it ("islow", JDCT_ISLOW): the Loeffler-Ligtenberg-Moschytz
/// factorisation with 13-bit constants, columns first with 2 extra bits of precision, then rows, each output
/// descaled with rounding, and the result range-limited as libjpeg's table does (the descaled value taken modulo
/// 1024 as a signed number, plus 128, clamped to 0..255). All arithmetic is 32-bit with wrap-around, so the
/// vector kernels, which use the same operations lane by lane, give the same bits on every input, and a valid
/// file gives djpeg's samples (its intermediate values never wrap).
/// </summary>
internal static class InverseDct
{
    internal const int ConstBits = 13;
    internal const int Pass1Bits = 2;
    internal const int Pass1Shift = ConstBits - Pass1Bits;       // 11
    internal const int Pass2Shift = ConstBits + Pass1Bits + 3;   // 18

    // round(x * 2^13) for the factors of the factorisation (sqrt(2) times cosines and their combinations).
    internal const int F0_298631336 = 2446;
    internal const int F0_390180644 = 3196;
    internal const int F0_541196100 = 4433;
    internal const int F0_765366865 = 6270;
    internal const int F0_899976223 = 7373;
    internal const int F1_175875602 = 9633;
    internal const int F1_501321110 = 12299;
    internal const int F1_847759065 = 15137;
    internal const int F1_961570560 = 16069;
    internal const int F2_053119869 = 16819;
    internal const int F2_562915447 = 20995;
    internal const int F3_072711026 = 25172;

    /// <summary>
    /// Transforms one block (64 coefficients in natural order, times <paramref name="dequant"/>) into 8 rows of 8
    /// samples at <paramref name="output"/>, <paramref name="stride"/> bytes apart.
    /// </summary>
    internal static void Transform(JpegKernel kernel, ReadOnlySpan<short> block, ReadOnlySpan<int> dequant, Span<byte> output, int stride)
    {
        if (block.Length < 64 || dequant.Length < 64 || stride < 8 || output.Length < 7 * stride + 8)
            throw new ArgumentException("The block, table or output is too small.");
        switch (kernel)
        {
            case JpegKernel.Vector256: InverseDctVector256.Transform(block, dequant, output, stride); break;
            case JpegKernel.Vector128: InverseDctVector128.Transform(block, dequant, output, stride); break;
            default: TransformScalar(block, dequant, output, stride); break;
        }
    }

    /// <summary>The reference: one column, then one row, at a time.</summary>
    internal static void TransformScalar(ReadOnlySpan<short> block, ReadOnlySpan<int> dequant, Span<byte> output, int stride)
    {
        Span<int> work = stackalloc int[64];
        for (int column = 0; column < 8; column++)
        {
            Butterfly(
                block[column] * dequant[column], block[8 + column] * dequant[8 + column],
                block[16 + column] * dequant[16 + column], block[24 + column] * dequant[24 + column],
                block[32 + column] * dequant[32 + column], block[40 + column] * dequant[40 + column],
                block[48 + column] * dequant[48 + column], block[56 + column] * dequant[56 + column],
                out int o0, out int o1, out int o2, out int o3, out int o4, out int o5, out int o6, out int o7);
            work[column] = Descale(o0, Pass1Shift);
            work[8 + column] = Descale(o1, Pass1Shift);
            work[16 + column] = Descale(o2, Pass1Shift);
            work[24 + column] = Descale(o3, Pass1Shift);
            work[32 + column] = Descale(o4, Pass1Shift);
            work[40 + column] = Descale(o5, Pass1Shift);
            work[48 + column] = Descale(o6, Pass1Shift);
            work[56 + column] = Descale(o7, Pass1Shift);
        }
        for (int row = 0; row < 8; row++)
        {
            ReadOnlySpan<int> w = work.Slice(row * 8, 8);
            Butterfly(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7],
                out int o0, out int o1, out int o2, out int o3, out int o4, out int o5, out int o6, out int o7);
            Span<byte> line = output.Slice(row * stride, 8);
            line[0] = RangeLimit(Descale(o0, Pass2Shift));
            line[1] = RangeLimit(Descale(o1, Pass2Shift));
            line[2] = RangeLimit(Descale(o2, Pass2Shift));
            line[3] = RangeLimit(Descale(o3, Pass2Shift));
            line[4] = RangeLimit(Descale(o4, Pass2Shift));
            line[5] = RangeLimit(Descale(o5, Pass2Shift));
            line[6] = RangeLimit(Descale(o6, Pass2Shift));
            line[7] = RangeLimit(Descale(o7, Pass2Shift));
        }
    }

    /// <summary>
    /// A block whose AC coefficients are all zero: every sample is the same. This is the full transform worked out
    /// for that case in the same 32-bit arithmetic, so it gives the same bits as <see cref="Transform"/>.
    /// </summary>
    internal static void TransformDcOnly(short dc, int dequant, Span<byte> output, int stride)
    {
        if (stride < 8 || output.Length < 7 * stride + 8) throw new ArgumentException("The output is too small.");
        int column = Descale((dc * dequant) << ConstBits, Pass1Shift);
        byte value = RangeLimit(Descale(column << ConstBits, Pass2Shift));
        for (int row = 0; row < 8; row++) output.Slice(row * stride, 8).Fill(value);
    }

    /// <summary>
    /// One 8-point inverse DCT without its final descaling (the even part from inputs 0, 2, 4, 6, the odd part from
    /// 1, 3, 5, 7). Every vector kernel performs these operations in this order on its lanes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Butterfly(int i0, int i1, int i2, int i3, int i4, int i5, int i6, int i7,
        out int o0, out int o1, out int o2, out int o3, out int o4, out int o5, out int o6, out int o7)
    {
        int z1 = (i2 + i6) * F0_541196100;
        int even2 = z1 - i6 * F1_847759065;
        int even3 = z1 + i2 * F0_765366865;
        int even0 = (i0 + i4) << ConstBits;
        int even1 = (i0 - i4) << ConstBits;
        int t10 = even0 + even3, t13 = even0 - even3, t11 = even1 + even2, t12 = even1 - even2;

        int s1 = i7 + i1, s2 = i5 + i3, s3 = i7 + i3, s4 = i5 + i1;
        int z5 = (s3 + s4) * F1_175875602;
        int odd0 = i7 * F0_298631336, odd1 = i5 * F2_053119869, odd2 = i3 * F3_072711026, odd3 = i1 * F1_501321110;
        s1 *= -F0_899976223;
        s2 *= -F2_562915447;
        s3 = s3 * -F1_961570560 + z5;
        s4 = s4 * -F0_390180644 + z5;
        odd0 += s1 + s3;
        odd1 += s2 + s4;
        odd2 += s2 + s3;
        odd3 += s1 + s4;

        o0 = t10 + odd3; o7 = t10 - odd3;
        o1 = t11 + odd2; o6 = t11 - odd2;
        o2 = t12 + odd1; o5 = t12 - odd1;
        o3 = t13 + odd0; o4 = t13 - odd0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Descale(int value, int shift) => (value + (1 << (shift - 1))) >> shift;

    /// <summary>libjpeg's post-IDCT range limit: the value modulo 1024 as a signed 10-bit number, plus 128, clamped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static byte RangeLimit(int value) => (byte)Math.Clamp(((value << 22) >> 22) + 128, 0, 255);
}
