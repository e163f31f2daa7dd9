using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static KMeansPS.Imaging.Jpeg.InverseDct;

namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// <see cref="InverseDct"/> with one Vector256 of 32-bit lanes per row: the column pass works on all eight columns
/// at once, the block is transposed, the row pass works on all eight rows at once, and it is transposed back.
/// Lane by lane the operations are the scalar reference's, so the bits are its bits.
/// </summary>
internal static class InverseDctVector256
{
    internal static void Transform(ReadOnlySpan<short> block, ReadOnlySpan<int> dequant, Span<byte> output, int stride)
    {
        ref short b = ref MemoryMarshal.GetReference(block);
        ref int q = ref MemoryMarshal.GetReference(dequant);
        Vector256<int> r0 = Load(ref b, ref q, 0), r1 = Load(ref b, ref q, 8), r2 = Load(ref b, ref q, 16), r3 = Load(ref b, ref q, 24);
        Vector256<int> r4 = Load(ref b, ref q, 32), r5 = Load(ref b, ref q, 40), r6 = Load(ref b, ref q, 48), r7 = Load(ref b, ref q, 56);

        Butterfly(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
        r0 = Descale(r0, Pass1Shift); r1 = Descale(r1, Pass1Shift); r2 = Descale(r2, Pass1Shift); r3 = Descale(r3, Pass1Shift);
        r4 = Descale(r4, Pass1Shift); r5 = Descale(r5, Pass1Shift); r6 = Descale(r6, Pass1Shift); r7 = Descale(r7, Pass1Shift);

        Transpose(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
        Butterfly(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
        r0 = Final(r0); r1 = Final(r1); r2 = Final(r2); r3 = Final(r3);
        r4 = Final(r4); r5 = Final(r5); r6 = Final(r6); r7 = Final(r7);
        Transpose(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);

        // Samples are 0..255 now, so truncating narrows are exact: four rows per vector of bytes.
        Vector256<ulong> top = Vector256.Narrow(Vector256.Narrow(r0, r1), Vector256.Narrow(r2, r3)).AsUInt64();
        Vector256<ulong> bottom = Vector256.Narrow(Vector256.Narrow(r4, r5), Vector256.Narrow(r6, r7)).AsUInt64();
        ref byte o = ref MemoryMarshal.GetReference(output);
        Unsafe.WriteUnaligned(ref o, top.GetElement(0));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref o, stride), top.GetElement(1));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref o, 2 * stride), top.GetElement(2));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref o, 3 * stride), top.GetElement(3));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref o, 4 * stride), bottom.GetElement(0));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref o, 5 * stride), bottom.GetElement(1));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref o, 6 * stride), bottom.GetElement(2));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref o, 7 * stride), bottom.GetElement(3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Load(ref short block, ref int dequant, int at) =>
        Vector256.WidenLower(Vector128.LoadUnsafe(ref block, (nuint)at).ToVector256Unsafe()) * Vector256.LoadUnsafe(ref dequant, (nuint)at);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Descale(Vector256<int> value, int shift) => (value + Vector256.Create(1 << (shift - 1))) >> shift;

    /// <summary>Descale by <see cref="InverseDct.Pass2Shift"/>, then <see cref="InverseDct.RangeLimit"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Final(Vector256<int> value)
    {
        Vector256<int> wrapped = ((Descale(value, Pass2Shift) << 22) >> 22) + Vector256.Create(128);
        return Vector256.Min(Vector256.Max(wrapped, Vector256<int>.Zero), Vector256.Create(255));
    }

    /// <summary><see cref="InverseDct"/>'s butterfly on eight lanes at once (in place: inputs 0-7 become outputs 0-7).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Butterfly(ref Vector256<int> i0, ref Vector256<int> i1, ref Vector256<int> i2, ref Vector256<int> i3,
        ref Vector256<int> i4, ref Vector256<int> i5, ref Vector256<int> i6, ref Vector256<int> i7)
    {
        Vector256<int> z1 = (i2 + i6) * F0_541196100;
        Vector256<int> even2 = z1 - i6 * F1_847759065;
        Vector256<int> even3 = z1 + i2 * F0_765366865;
        Vector256<int> even0 = (i0 + i4) << ConstBits;
        Vector256<int> even1 = (i0 - i4) << ConstBits;
        Vector256<int> t10 = even0 + even3, t13 = even0 - even3, t11 = even1 + even2, t12 = even1 - even2;

        Vector256<int> s1 = i7 + i1, s2 = i5 + i3, s3 = i7 + i3, s4 = i5 + i1;
        Vector256<int> z5 = (s3 + s4) * F1_175875602;
        Vector256<int> odd0 = i7 * F0_298631336, odd1 = i5 * F2_053119869, odd2 = i3 * F3_072711026, odd3 = i1 * F1_501321110;
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

    /// <summary>Transposes the 8 x 8 matrix whose rows are the eight vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Transpose(ref Vector256<int> r0, ref Vector256<int> r1, ref Vector256<int> r2, ref Vector256<int> r3,
        ref Vector256<int> r4, ref Vector256<int> r5, ref Vector256<int> r6, ref Vector256<int> r7)
    {
        if (!Avx2.IsSupported)
        {
            TransposeSoftware(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
            return;
        }
        // Pairs of rows interleaved, then pairs of pairs: each 128-bit half holds a 4 x 4 corner, transposed.
        Vector256<long> t0 = Avx2.UnpackLow(r0, r1).AsInt64(), t1 = Avx2.UnpackHigh(r0, r1).AsInt64();
        Vector256<long> t2 = Avx2.UnpackLow(r2, r3).AsInt64(), t3 = Avx2.UnpackHigh(r2, r3).AsInt64();
        Vector256<long> t4 = Avx2.UnpackLow(r4, r5).AsInt64(), t5 = Avx2.UnpackHigh(r4, r5).AsInt64();
        Vector256<long> t6 = Avx2.UnpackLow(r6, r7).AsInt64(), t7 = Avx2.UnpackHigh(r6, r7).AsInt64();
        Vector256<int> u0 = Avx2.UnpackLow(t0, t2).AsInt32(), u1 = Avx2.UnpackHigh(t0, t2).AsInt32();
        Vector256<int> u2 = Avx2.UnpackLow(t1, t3).AsInt32(), u3 = Avx2.UnpackHigh(t1, t3).AsInt32();
        Vector256<int> u4 = Avx2.UnpackLow(t4, t6).AsInt32(), u5 = Avx2.UnpackHigh(t4, t6).AsInt32();
        Vector256<int> u6 = Avx2.UnpackLow(t5, t7).AsInt32(), u7 = Avx2.UnpackHigh(t5, t7).AsInt32();
        // Halves put together: the upper-left corners with the lower-left ones, and so on.
        r0 = Avx2.Permute2x128(u0, u4, 0x20); r4 = Avx2.Permute2x128(u0, u4, 0x31);
        r1 = Avx2.Permute2x128(u1, u5, 0x20); r5 = Avx2.Permute2x128(u1, u5, 0x31);
        r2 = Avx2.Permute2x128(u2, u6, 0x20); r6 = Avx2.Permute2x128(u2, u6, 0x31);
        r3 = Avx2.Permute2x128(u3, u7, 0x20); r7 = Avx2.Permute2x128(u3, u7, 0x31);
    }

    /// <summary>The same through memory, for processes without AVX2 (the tests call every width everywhere).</summary>
    private static void TransposeSoftware(ref Vector256<int> r0, ref Vector256<int> r1, ref Vector256<int> r2, ref Vector256<int> r3,
        ref Vector256<int> r4, ref Vector256<int> r5, ref Vector256<int> r6, ref Vector256<int> r7)
    {
        Span<int> m = stackalloc int[64];
        r0.CopyTo(m); r1.CopyTo(m[8..]); r2.CopyTo(m[16..]); r3.CopyTo(m[24..]);
        r4.CopyTo(m[32..]); r5.CopyTo(m[40..]); r6.CopyTo(m[48..]); r7.CopyTo(m[56..]);
        Span<int> t = stackalloc int[64];
        for (int i = 0; i < 8; i++)
            for (int j = 0; j < 8; j++)
                t[j * 8 + i] = m[i * 8 + j];
        r0 = Vector256.Create<int>(t); r1 = Vector256.Create<int>(t[8..]); r2 = Vector256.Create<int>(t[16..]); r3 = Vector256.Create<int>(t[24..]);
        r4 = Vector256.Create<int>(t[32..]); r5 = Vector256.Create<int>(t[40..]); r6 = Vector256.Create<int>(t[48..]); r7 = Vector256.Create<int>(t[56..]);
    }
}
