using System.Runtime.CompilerServices;

namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// The accurate integer inverse DCT as libjpeg defines it ("islow", JDCT_ISLOW): the Loeffler-Ligtenberg-Moschytz
/// factorisation with 13-bit constants, columns first with 2 extra bits of precision, then rows, each output
/// descaled with rounding, and the result range-limited as libjpeg's table does (the descaled value taken modulo
/// 1024 as a signed number, plus 128, clamped to 0..255). libjpeg works in 64-bit JLONG and keeps the column pass's
/// outputs as 32-bit ints; the row pass only needs the low 32 bits of its sums (its outputs are bits 18-27), so
/// 32-bit arithmetic with wrap-around gives its bits there on any input. The column pass needs more bits once a
/// dequantized coefficient passes <see cref="Int32ExactLimit"/>, which only crafted or damaged files reach: the
/// reference runs that pass in 64 bits, and the vector kernels, which use 32-bit lanes, hand such a block to it.
/// So every kernel gives the same bits on every input, and those of libjpeg-turbo's C code.
/// </summary>
internal static class InverseDct
{
    internal const int ConstBits = 13;
    internal const int Pass1Bits = 2;
    internal const int Pass1Shift = ConstBits - Pass1Bits;       // 11
    internal const int Pass2Shift = ConstBits + Pass1Bits + 3;   // 18

    /// <summary>
    /// The largest dequantized coefficient magnitude for which the column pass's 32-bit arithmetic is libjpeg's 64-bit
    /// arithmetic: over every value the pass computes, the largest sum of its factors' magnitudes is 61,214 (the odd
    /// part's), and 61,214 x 35,081 plus the rounding stays below 2^31. A valid 8-bit file's dequantized coefficients
    /// stay within about +-2,100; a coefficient of category 11-15 or a 16-bit quantization table can pass it.
    /// </summary>
    internal const int Int32ExactLimit = 35_081;

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

    /// <summary>
    /// The reference: one column, then one row, at a time, through the same passes as the vector kernels. The column
    /// pass runs in 64 bits and its outputs are kept as 32-bit ints, as libjpeg's are.
    /// </summary>
    internal static void TransformScalar(ReadOnlySpan<short> block, ReadOnlySpan<int> dequant, Span<byte> output, int stride)
    {
        Span<int> work = stackalloc int[64];
        for (int column = 0; column < 8; column++)
        {
            long v0 = block[column] * dequant[column], v1 = block[8 + column] * dequant[8 + column];
            long v2 = block[16 + column] * dequant[16 + column], v3 = block[24 + column] * dequant[24 + column];
            long v4 = block[32 + column] * dequant[32 + column], v5 = block[40 + column] * dequant[40 + column];
            long v6 = block[48 + column] * dequant[48 + column], v7 = block[56 + column] * dequant[56 + column];
            ColumnPass<long, ScalarLanes<long>>(ref v0, ref v1, ref v2, ref v3, ref v4, ref v5, ref v6, ref v7);
            work[column] = (int)v0; work[8 + column] = (int)v1; work[16 + column] = (int)v2; work[24 + column] = (int)v3;
            work[32 + column] = (int)v4; work[40 + column] = (int)v5; work[48 + column] = (int)v6; work[56 + column] = (int)v7;
        }
        for (int row = 0; row < 8; row++)
        {
            ReadOnlySpan<int> w = work.Slice(row * 8, 8);
            int v0 = w[0], v1 = w[1], v2 = w[2], v3 = w[3], v4 = w[4], v5 = w[5], v6 = w[6], v7 = w[7];
            RowPass<int, ScalarLanes<int>>(ref v0, ref v1, ref v2, ref v3, ref v4, ref v5, ref v6, ref v7);
            Span<byte> line = output.Slice(row * stride, 8);
            line[0] = (byte)v0; line[1] = (byte)v1; line[2] = (byte)v2; line[3] = (byte)v3;
            line[4] = (byte)v4; line[5] = (byte)v5; line[6] = (byte)v6; line[7] = (byte)v7;
        }
    }

    /// <summary>
    /// A block whose AC coefficients are all zero: every sample is the same. The column pass of such a block is the
    /// dequantized DC shifted by <see cref="Pass1Bits"/>, kept as a 32-bit int (libjpeg's own shortcut, and its full
    /// pass's value on any input); the row pass is worked out in the same 32-bit arithmetic as
    /// <see cref="Transform"/>'s, so it gives the same bits.
    /// </summary>
    internal static void TransformDcOnly(short dc, int dequant, Span<byte> output, int stride)
    {
        if (stride < 8 || output.Length < 7 * stride + 8) throw new ArgumentException("The output is too small.");
        int column = (dc * dequant) << Pass1Bits;
        byte value = RangeLimit(Descale(column << ConstBits, Pass2Shift));
        for (int row = 0; row < 8; row++) output.Slice(row * stride, 8).Fill(value);
    }

    /// <summary>The column pass, in place: the butterfly, then each output descaled by <see cref="Pass1Shift"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void ColumnPass<T, TLanes>(ref T v0, ref T v1, ref T v2, ref T v3, ref T v4, ref T v5, ref T v6, ref T v7)
        where T : struct
        where TLanes : struct, IInt32Lanes<T>
    {
        Butterfly<T, TLanes>(ref v0, ref v1, ref v2, ref v3, ref v4, ref v5, ref v6, ref v7);
        v0 = Descale<T, TLanes>(v0, Pass1Shift); v1 = Descale<T, TLanes>(v1, Pass1Shift);
        v2 = Descale<T, TLanes>(v2, Pass1Shift); v3 = Descale<T, TLanes>(v3, Pass1Shift);
        v4 = Descale<T, TLanes>(v4, Pass1Shift); v5 = Descale<T, TLanes>(v5, Pass1Shift);
        v6 = Descale<T, TLanes>(v6, Pass1Shift); v7 = Descale<T, TLanes>(v7, Pass1Shift);
    }

    /// <summary>The row pass, in place: the butterfly, then each output descaled and range-limited to 0..255.</summary>
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
    /// part from 1, 3, 5, 7), written once for the scalar reference and every vector kernel.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Butterfly<T, TLanes>(ref T i0, ref T i1, ref T i2, ref T i3, ref T i4, ref T i5, ref T i6, ref T i7)
        where T : struct
        where TLanes : struct, IInt32Lanes<T>
    {
        T z1 = TLanes.Multiply(TLanes.Add(i2, i6), F0_541196100);
        T even2 = TLanes.Subtract(z1, TLanes.Multiply(i6, F1_847759065));
        T even3 = TLanes.Add(z1, TLanes.Multiply(i2, F0_765366865));
        T even0 = TLanes.ShiftLeft(TLanes.Add(i0, i4), ConstBits);
        T even1 = TLanes.ShiftLeft(TLanes.Subtract(i0, i4), ConstBits);
        T t10 = TLanes.Add(even0, even3), t13 = TLanes.Subtract(even0, even3);
        T t11 = TLanes.Add(even1, even2), t12 = TLanes.Subtract(even1, even2);

        T s1 = TLanes.Add(i7, i1), s2 = TLanes.Add(i5, i3), s3 = TLanes.Add(i7, i3), s4 = TLanes.Add(i5, i1);
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Descale<T, TLanes>(T value, int shift)
        where T : struct
        where TLanes : struct, IInt32Lanes<T> =>
        TLanes.ShiftRightArithmetic(TLanes.Add(value, TLanes.Broadcast(1 << (shift - 1))), shift);

    /// <summary><see cref="Descale(int, int)"/> by <see cref="Pass2Shift"/>, then <see cref="RangeLimit"/>, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Sample<T, TLanes>(T value)
        where T : struct
        where TLanes : struct, IInt32Lanes<T>
    {
        T wrapped = TLanes.Add(TLanes.ShiftRightArithmetic(TLanes.ShiftLeft(Descale<T, TLanes>(value, Pass2Shift), 22), 22), TLanes.Broadcast(128));
        return TLanes.Min(TLanes.Max(wrapped, TLanes.Broadcast(0)), TLanes.Broadcast(255));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Descale(int value, int shift) => (value + (1 << (shift - 1))) >> shift;

    /// <summary>libjpeg's post-IDCT range limit: the value modulo 1024 as a signed 10-bit number, plus 128, clamped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static byte RangeLimit(int value) => (byte)Math.Clamp(((value << 22) >> 22) + 128, 0, 255);
}
