using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using static KMeansPS.Imaging.Jpeg.InverseDct;

namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// <see cref="InverseDct"/> with Vector128 of 32-bit lanes: each row is two vectors (columns 0-3 and 4-7). The
/// column pass runs on each half, four 4 x 4 transposes turn the block, the row pass runs on rows 0-3 and 4-7, and
/// four more transposes turn it back. Lane by lane the operations are the scalar reference's.
/// </summary>
internal static class InverseDctVector128
{
    internal static void Transform(ReadOnlySpan<short> block, ReadOnlySpan<int> dequant, Span<byte> output, int stride)
    {
        ref short b = ref MemoryMarshal.GetReference(block);
        ref int q = ref MemoryMarshal.GetReference(dequant);
        // l<k> holds columns 0-3 of row k, h<k> columns 4-7.
        Load(ref b, ref q, 0, out Vector128<int> l0, out Vector128<int> h0);
        Load(ref b, ref q, 8, out Vector128<int> l1, out Vector128<int> h1);
        Load(ref b, ref q, 16, out Vector128<int> l2, out Vector128<int> h2);
        Load(ref b, ref q, 24, out Vector128<int> l3, out Vector128<int> h3);
        Load(ref b, ref q, 32, out Vector128<int> l4, out Vector128<int> h4);
        Load(ref b, ref q, 40, out Vector128<int> l5, out Vector128<int> h5);
        Load(ref b, ref q, 48, out Vector128<int> l6, out Vector128<int> h6);
        Load(ref b, ref q, 56, out Vector128<int> l7, out Vector128<int> h7);

        Butterfly(ref l0, ref l1, ref l2, ref l3, ref l4, ref l5, ref l6, ref l7);
        Butterfly(ref h0, ref h1, ref h2, ref h3, ref h4, ref h5, ref h6, ref h7);
        Pass1(ref l0, ref l1, ref l2, ref l3, ref l4, ref l5, ref l6, ref l7);
        Pass1(ref h0, ref h1, ref h2, ref h3, ref h4, ref h5, ref h6, ref h7);

        // Transposed, l<c> holds rows 0-3 of column c and h<c> rows 4-7, for c = 0..7.
        Transpose8x8(ref l0, ref l1, ref l2, ref l3, ref l4, ref l5, ref l6, ref l7,
            ref h0, ref h1, ref h2, ref h3, ref h4, ref h5, ref h6, ref h7);
        Butterfly(ref l0, ref l1, ref l2, ref l3, ref l4, ref l5, ref l6, ref l7);
        Butterfly(ref h0, ref h1, ref h2, ref h3, ref h4, ref h5, ref h6, ref h7);
        Final(ref l0, ref l1, ref l2, ref l3, ref l4, ref l5, ref l6, ref l7);
        Final(ref h0, ref h1, ref h2, ref h3, ref h4, ref h5, ref h6, ref h7);
        Transpose8x8(ref l0, ref l1, ref l2, ref l3, ref l4, ref l5, ref l6, ref l7,
            ref h0, ref h1, ref h2, ref h3, ref h4, ref h5, ref h6, ref h7);

        // Samples are 0..255 now, so truncating narrows are exact: two rows per vector of bytes.
        ref byte o = ref MemoryMarshal.GetReference(output);
        Store(ref o, stride, 0, l0, h0, l1, h1);
        Store(ref o, stride, 2, l2, h2, l3, h3);
        Store(ref o, stride, 4, l4, h4, l5, h5);
        Store(ref o, stride, 6, l6, h6, l7, h7);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Load(ref short block, ref int dequant, int at, out Vector128<int> low, out Vector128<int> high)
    {
        (Vector128<int> l, Vector128<int> h) = Vector128.Widen(Vector128.LoadUnsafe(ref block, (nuint)at));
        low = l * Vector128.LoadUnsafe(ref dequant, (nuint)at);
        high = h * Vector128.LoadUnsafe(ref dequant, (nuint)at + 4);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref byte output, int stride, int row, Vector128<int> l0, Vector128<int> h0, Vector128<int> l1, Vector128<int> h1)
    {
        Vector128<ulong> rows = Vector128.Narrow(Vector128.Narrow(l0, h0), Vector128.Narrow(l1, h1)).AsUInt64();
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref output, row * stride), rows.GetElement(0));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref output, (row + 1) * stride), rows.GetElement(1));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Descale(Vector128<int> value, int shift) => (value + Vector128.Create(1 << (shift - 1))) >> shift;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pass1(ref Vector128<int> v0, ref Vector128<int> v1, ref Vector128<int> v2, ref Vector128<int> v3,
        ref Vector128<int> v4, ref Vector128<int> v5, ref Vector128<int> v6, ref Vector128<int> v7)
    {
        v0 = Descale(v0, Pass1Shift); v1 = Descale(v1, Pass1Shift); v2 = Descale(v2, Pass1Shift); v3 = Descale(v3, Pass1Shift);
        v4 = Descale(v4, Pass1Shift); v5 = Descale(v5, Pass1Shift); v6 = Descale(v6, Pass1Shift); v7 = Descale(v7, Pass1Shift);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Final(ref Vector128<int> v0, ref Vector128<int> v1, ref Vector128<int> v2, ref Vector128<int> v3,
        ref Vector128<int> v4, ref Vector128<int> v5, ref Vector128<int> v6, ref Vector128<int> v7)
    {
        v0 = Final(v0); v1 = Final(v1); v2 = Final(v2); v3 = Final(v3);
        v4 = Final(v4); v5 = Final(v5); v6 = Final(v6); v7 = Final(v7);
    }

    /// <summary>Descale by <see cref="InverseDct.Pass2Shift"/>, then <see cref="InverseDct.RangeLimit"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Final(Vector128<int> value)
    {
        Vector128<int> wrapped = ((Descale(value, Pass2Shift) << 22) >> 22) + Vector128.Create(128);
        return Vector128.Min(Vector128.Max(wrapped, Vector128<int>.Zero), Vector128.Create(255));
    }

    /// <summary><see cref="InverseDct"/>'s butterfly on four lanes at once (in place).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Butterfly(ref Vector128<int> i0, ref Vector128<int> i1, ref Vector128<int> i2, ref Vector128<int> i3,
        ref Vector128<int> i4, ref Vector128<int> i5, ref Vector128<int> i6, ref Vector128<int> i7)
    {
        Vector128<int> z1 = (i2 + i6) * F0_541196100;
        Vector128<int> even2 = z1 - i6 * F1_847759065;
        Vector128<int> even3 = z1 + i2 * F0_765366865;
        Vector128<int> even0 = (i0 + i4) << ConstBits;
        Vector128<int> even1 = (i0 - i4) << ConstBits;
        Vector128<int> t10 = even0 + even3, t13 = even0 - even3, t11 = even1 + even2, t12 = even1 - even2;

        Vector128<int> s1 = i7 + i1, s2 = i5 + i3, s3 = i7 + i3, s4 = i5 + i1;
        Vector128<int> z5 = (s3 + s4) * F1_175875602;
        Vector128<int> odd0 = i7 * F0_298631336, odd1 = i5 * F2_053119869, odd2 = i3 * F3_072711026, odd3 = i1 * F1_501321110;
        s1 *= -F0_899976223;
        s2 *= -F2_562915447;
        s3 = s3 * -F1_961570560 + z5;
        s4 = s4 * -F0_390180644 + z5;
        odd0 += s1 + s3;
        odd1 += s2 + s4;
        odd2 += s2 + s3;
        odd3 += s1 + s4;

        i0 = t10 + odd3; i7 = t10 - odd3;
        i1 = t11 + odd2; i6 = t11 - odd2;
        i2 = t12 + odd1; i5 = t12 - odd1;
        i3 = t13 + odd0; i4 = t13 - odd0;
    }

    /// <summary>
    /// Transposes the 8 x 8 matrix whose row k is (l<sub>k</sub>, h<sub>k</sub>): afterwards l<sub>c</sub> holds
    /// rows 0-3 of column c and h<sub>c</sub> rows 4-7, numbering c = 0..7 across both sets.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(
        ref Vector128<int> l0, ref Vector128<int> l1, ref Vector128<int> l2, ref Vector128<int> l3,
        ref Vector128<int> l4, ref Vector128<int> l5, ref Vector128<int> l6, ref Vector128<int> l7,
        ref Vector128<int> h0, ref Vector128<int> h1, ref Vector128<int> h2, ref Vector128<int> h3,
        ref Vector128<int> h4, ref Vector128<int> h5, ref Vector128<int> h6, ref Vector128<int> h7)
    {
        // Four corners: rows 0-3 / 4-7 by columns 0-3 / 4-7.
        Transpose4x4(ref l0, ref l1, ref l2, ref l3);
        Transpose4x4(ref l4, ref l5, ref l6, ref l7);
        Transpose4x4(ref h0, ref h1, ref h2, ref h3);
        Transpose4x4(ref h4, ref h5, ref h6, ref h7);
        // Now l0-l3 hold rows 0-3 of columns 0-3 and h4-h7 rows 4-7 of columns 4-7, where they belong, but
        // l4-l7 hold rows 4-7 of columns 0-3, which belong in h0-h3, and h0-h3 rows 0-3 of columns 4-7: swap them.
        (l4, h0) = (h0, l4);
        (l5, h1) = (h1, l5);
        (l6, h2) = (h2, l6);
        (l7, h3) = (h3, l7);
    }

    /// <summary>Transposes the 4 x 4 matrix whose rows are the four vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Transpose4x4(ref Vector128<int> a, ref Vector128<int> b, ref Vector128<int> c, ref Vector128<int> d)
    {
        Vector128<long> ab0, ab1, cd0, cd1;
        if (Sse2.IsSupported)
        {
            ab0 = Sse2.UnpackLow(a, b).AsInt64(); ab1 = Sse2.UnpackHigh(a, b).AsInt64();
            cd0 = Sse2.UnpackLow(c, d).AsInt64(); cd1 = Sse2.UnpackHigh(c, d).AsInt64();
            a = Sse2.UnpackLow(ab0, cd0).AsInt32(); b = Sse2.UnpackHigh(ab0, cd0).AsInt32();
            c = Sse2.UnpackLow(ab1, cd1).AsInt32(); d = Sse2.UnpackHigh(ab1, cd1).AsInt32();
        }
        else if (AdvSimd.Arm64.IsSupported)
        {
            ab0 = AdvSimd.Arm64.ZipLow(a, b).AsInt64(); ab1 = AdvSimd.Arm64.ZipHigh(a, b).AsInt64();
            cd0 = AdvSimd.Arm64.ZipLow(c, d).AsInt64(); cd1 = AdvSimd.Arm64.ZipHigh(c, d).AsInt64();
            a = AdvSimd.Arm64.ZipLow(ab0, cd0).AsInt32(); b = AdvSimd.Arm64.ZipHigh(ab0, cd0).AsInt32();
            c = AdvSimd.Arm64.ZipLow(ab1, cd1).AsInt32(); d = AdvSimd.Arm64.ZipHigh(ab1, cd1).AsInt32();
        }
        else
        {
            Vector128<int> a0 = a, b0 = b, c0 = c, d0 = d;
            a = Vector128.Create(a0.GetElement(0), b0.GetElement(0), c0.GetElement(0), d0.GetElement(0));
            b = Vector128.Create(a0.GetElement(1), b0.GetElement(1), c0.GetElement(1), d0.GetElement(1));
            c = Vector128.Create(a0.GetElement(2), b0.GetElement(2), c0.GetElement(2), d0.GetElement(2));
            d = Vector128.Create(a0.GetElement(3), b0.GetElement(3), c0.GetElement(3), d0.GetElement(3));
        }
    }
}
