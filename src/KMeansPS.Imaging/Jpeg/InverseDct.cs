using System.Runtime.CompilerServices;

namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// The accurate integer inverse DCT ("islow", JDCT_ISLOW) as libjpeg-turbo's x86 SIMD code (SSE2 and AVX2, which
/// give the same bits) computes it, since that is what djpeg, libtiff, PIL and ImageMagick run on x86: the
/// Loeffler-Ligtenberg-Moschytz factorisation with 13-bit constants, columns first with 2 extra bits of precision,
/// then rows, each output descaled with rounding. Between the passes values are 16-bit words: a dequantized
/// coefficient keeps the low 16 bits of its product (pmullw), the sums in0 + in4, in0 - in4 and the odd part's
/// z3 = in7 + in3 and z4 = in5 + in1 wrap to 16 bits (paddw), each pass's outputs saturate to 16 bits (packssdw) and
/// the samples to -128..127 before 128 is added (packsswb); products and the other sums are 32-bit and wrap. When
/// rows 1-7 of a block are all zero the column pass is a shortcut, the dequantized first row shifted left by 2 in
/// 16 bits, which wraps where the full pass would saturate (<see cref="ColumnShortcut"/>).
/// </summary>
/// <remarks>
/// On the values a valid 8-bit file gives this is libjpeg's C arithmetic too. They part only where a block's values
/// leave those ranges (crafted files, and damaged ones: a changed bit can make a coefficient of thousands): there
/// libjpeg-turbo's C code range-limits modulo 1024 and its ARM code narrows the column outputs by truncation, while
/// every kernel here gives the x86 code's bits.
/// </remarks>
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
    internal static void Transform(JpegKernel kernel, ReadOnlySpan<short> block, ReadOnlySpan<short> dequant, Span<byte> output, int stride)
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

    /// <summary>
    /// The reference: one column, then one row, at a time, through the same passes as the vector kernels (the column
    /// pass, or its shortcut when rows 1-7 are zero).
    /// </summary>
    internal static void TransformScalar(ReadOnlySpan<short> block, ReadOnlySpan<short> dequant, Span<byte> output, int stride)
    {
        Span<int> work = stackalloc int[64];
        ulong below = 0;
        foreach (ulong four in System.Runtime.InteropServices.MemoryMarshal.Cast<short, ulong>(block[8..64])) below |= four;
        bool firstRowOnly = below == 0;
        for (int column = 0; column < 8; column++)
        {
            int v0 = Dequantize(block[column], dequant[column]), v1 = Dequantize(block[8 + column], dequant[8 + column]);
            int v2 = Dequantize(block[16 + column], dequant[16 + column]), v3 = Dequantize(block[24 + column], dequant[24 + column]);
            int v4 = Dequantize(block[32 + column], dequant[32 + column]), v5 = Dequantize(block[40 + column], dequant[40 + column]);
            int v6 = Dequantize(block[48 + column], dequant[48 + column]), v7 = Dequantize(block[56 + column], dequant[56 + column]);
            if (firstRowOnly) v0 = v1 = v2 = v3 = v4 = v5 = v6 = v7 = ColumnShortcut<int, ScalarLanes>(v0);
            else ColumnPass<int, ScalarLanes>(ref v0, ref v1, ref v2, ref v3, ref v4, ref v5, ref v6, ref v7);
            work[column] = v0; work[8 + column] = v1; work[16 + column] = v2; work[24 + column] = v3;
            work[32 + column] = v4; work[40 + column] = v5; work[48 + column] = v6; work[56 + column] = v7;
        }
        for (int row = 0; row < 8; row++)
        {
            ReadOnlySpan<int> w = work.Slice(row * 8, 8);
            int v0 = w[0], v1 = w[1], v2 = w[2], v3 = w[3], v4 = w[4], v5 = w[5], v6 = w[6], v7 = w[7];
            RowPass<int, ScalarLanes>(ref v0, ref v1, ref v2, ref v3, ref v4, ref v5, ref v6, ref v7);
            Span<byte> line = output.Slice(row * stride, 8);
            line[0] = (byte)v0; line[1] = (byte)v1; line[2] = (byte)v2; line[3] = (byte)v3;
            line[4] = (byte)v4; line[5] = (byte)v5; line[6] = (byte)v6; line[7] = (byte)v7;
        }
    }

    /// <summary>
    /// A block whose AC coefficients are all zero, worked out: the column shortcut gives column 0 alone a value, and
    /// with only input 0 nonzero the row pass makes every sample that value shifted up by <see cref="ConstBits"/>,
    /// descaled and limited.
    /// </summary>
    internal static void TransformDcOnly(short dc, short dequant, Span<byte> output, int stride)
    {
        if (stride < 8 || output.Length < 7 * stride + 8) throw new ArgumentException("The output is too small.");
        byte value = (byte)Sample(ColumnShortcut<int, ScalarLanes>(Dequantize(dc, dequant)) << ConstBits);
        for (int row = 0; row < 8; row++) output.Slice(row * stride, 8).Fill(value);
    }

    /// <summary>The product as pmullw keeps it: its low 16 bits, signed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Dequantize(short coefficient, short multiplier) => (short)(coefficient * multiplier);

    /// <summary>
    /// The column pass's shortcut for a block whose rows 1-7 are zero (the SIMD code tests the coefficients): every
    /// output of a column is its dequantized first coefficient shifted left by <see cref="Pass1Bits"/> as a 16-bit
    /// word (psllw), which wraps where the full pass's packssdw saturates.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T ColumnShortcut<T, TLanes>(T dequantized)
        where T : struct
        where TLanes : struct, IInt32Lanes<T> =>
        Wrap16<T, TLanes>(TLanes.ShiftLeft(dequantized, Pass1Bits));

    /// <summary>The column pass, in place: the butterfly, then each output descaled by <see cref="Pass1Shift"/> and saturated to 16 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void ColumnPass<T, TLanes>(ref T v0, ref T v1, ref T v2, ref T v3, ref T v4, ref T v5, ref T v6, ref T v7)
        where T : struct
        where TLanes : struct, IInt32Lanes<T>
    {
        Butterfly<T, TLanes>(ref v0, ref v1, ref v2, ref v3, ref v4, ref v5, ref v6, ref v7);
        v0 = Word<T, TLanes>(v0); v1 = Word<T, TLanes>(v1); v2 = Word<T, TLanes>(v2); v3 = Word<T, TLanes>(v3);
        v4 = Word<T, TLanes>(v4); v5 = Word<T, TLanes>(v5); v6 = Word<T, TLanes>(v6); v7 = Word<T, TLanes>(v7);
    }

    /// <summary>The row pass, in place: the butterfly, then each output descaled and limited to a sample, 0..255.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void RowPass<T, TLanes>(ref T v0, ref T v1, ref T v2, ref T v3, ref T v4, ref T v5, ref T v6, ref T v7)
        where T : struct
        where TLanes : struct, IInt32Lanes<T>
    {
        Butterfly<T, TLanes>(ref v0, ref v1, ref v2, ref v3, ref v4, ref v5, ref v6, ref v7);
        v0 = Sample<T, TLanes>(v0); v1 = Sample<T, TLanes>(v1); v2 = Sample<T, TLanes>(v2); v3 = Sample<T, TLanes>(v3);
        v4 = Sample<T, TLanes>(v4); v5 = Sample<T, TLanes>(v5); v6 = Sample<T, TLanes>(v6); v7 = Sample<T, TLanes>(v7);
    }

    /// <summary>
    /// One 8-point inverse DCT without its final descaling, in place (the even part from inputs 0, 2, 4, 6, the odd
    /// part from 1, 3, 5, 7), written once for the scalar reference and every vector kernel. The inputs are 16-bit
    /// values. The SIMD code pairs inputs in pmaddwd instead of forming libjpeg's z1 = in2 + in6 and the odd part's
    /// in7 + in1 and in5 + in3; modulo 2^32 that is the same, so only its 16-bit sums need doing as it does them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Butterfly<T, TLanes>(ref T i0, ref T i1, ref T i2, ref T i3, ref T i4, ref T i5, ref T i6, ref T i7)
        where T : struct
        where TLanes : struct, IInt32Lanes<T>
    {
        T z1 = TLanes.Multiply(TLanes.Add(i2, i6), F0_541196100);
        T even2 = TLanes.Subtract(z1, TLanes.Multiply(i6, F1_847759065));
        T even3 = TLanes.Add(z1, TLanes.Multiply(i2, F0_765366865));
        // A 16-bit sum moved into the top half of a 32-bit lane and shifted down arithmetically (punpcklwd, psrad):
        // sign-extended from 16 bits and scaled by 2^ConstBits at once.
        T even0 = TLanes.ShiftRightArithmetic(TLanes.ShiftLeft(TLanes.Add(i0, i4), 16), 16 - ConstBits);
        T even1 = TLanes.ShiftRightArithmetic(TLanes.ShiftLeft(TLanes.Subtract(i0, i4), 16), 16 - ConstBits);
        T t10 = TLanes.Add(even0, even3), t13 = TLanes.Subtract(even0, even3);
        T t11 = TLanes.Add(even1, even2), t12 = TLanes.Subtract(even1, even2);

        T s1 = TLanes.Add(i7, i1), s2 = TLanes.Add(i5, i3);
        T s3 = Wrap16<T, TLanes>(TLanes.Add(i7, i3)), s4 = Wrap16<T, TLanes>(TLanes.Add(i5, i1));
        T z5 = TLanes.Multiply(TLanes.Add(s3, s4), F1_175875602);
        T odd0 = TLanes.Multiply(i7, F0_298631336), odd1 = TLanes.Multiply(i5, F2_053119869);
        T odd2 = TLanes.Multiply(i3, F3_072711026), odd3 = TLanes.Multiply(i1, F1_501321110);
        s1 = TLanes.Multiply(s1, -F0_899976223);
        s2 = TLanes.Multiply(s2, -F2_562915447);
        s3 = TLanes.Add(TLanes.Multiply(s3, -F1_961570560), z5);
        s4 = TLanes.Add(TLanes.Multiply(s4, -F0_390180644), z5);
        odd0 = TLanes.Add(odd0, TLanes.Add(s1, s3));
        odd1 = TLanes.Add(odd1, TLanes.Add(s2, s4));
        odd2 = TLanes.Add(odd2, TLanes.Add(s2, s3));
        odd3 = TLanes.Add(odd3, TLanes.Add(s1, s4));

        i0 = TLanes.Add(t10, odd3); i7 = TLanes.Subtract(t10, odd3);
        i1 = TLanes.Add(t11, odd2); i6 = TLanes.Subtract(t11, odd2);
        i2 = TLanes.Add(t12, odd1); i5 = TLanes.Subtract(t12, odd1);
        i3 = TLanes.Add(t13, odd0); i4 = TLanes.Subtract(t13, odd0);
    }

    /// <summary>The low 16 bits, signed (a 16-bit add's result).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T Wrap16<T, TLanes>(T value)
        where T : struct
        where TLanes : struct, IInt32Lanes<T> =>
        TLanes.ShiftRightArithmetic(TLanes.ShiftLeft(value, 16), 16);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Descale<T, TLanes>(T value, int shift)
        where T : struct
        where TLanes : struct, IInt32Lanes<T> =>
        TLanes.ShiftRightArithmetic(TLanes.Add(value, TLanes.Broadcast(1 << (shift - 1))), shift);

    /// <summary>A column pass output: descaled by <see cref="Pass1Shift"/>, saturated to 16 bits (packssdw).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Word<T, TLanes>(T value)
        where T : struct
        where TLanes : struct, IInt32Lanes<T> =>
        TLanes.Min(TLanes.Max(Descale<T, TLanes>(value, Pass1Shift), TLanes.Broadcast(short.MinValue)), TLanes.Broadcast(short.MaxValue));

    /// <summary>
    /// A row pass output: descaled by <see cref="Pass2Shift"/>, saturated to -128..127 (packssdw, then packsswb), plus
    /// 128 (paddb).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Sample<T, TLanes>(T value)
        where T : struct
        where TLanes : struct, IInt32Lanes<T> =>
        TLanes.Add(TLanes.Min(TLanes.Max(Descale<T, TLanes>(value, Pass2Shift), TLanes.Broadcast(-128)), TLanes.Broadcast(127)), TLanes.Broadcast(128));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Sample(int value) => Sample<int, ScalarLanes>(value);
}
