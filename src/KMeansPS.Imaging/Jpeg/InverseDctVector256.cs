using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static KMeansPS.Imaging.Jpeg.InverseDct;

namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// <see cref="InverseDct"/> with one Vector256 of 32-bit lanes per row: the column pass works on all eight columns
/// at once, the block is transposed, the row pass works on all eight rows at once, and it is transposed back.
/// The passes are <see cref="InverseDct"/>'s own, written once over <see cref="IInt32Lanes{T}"/>, so lane by lane
/// the operations are the scalar reference's and the bits are its bits.
/// </summary>
internal static class InverseDctVector256
{
    // Fully optimized from the first call: code passing vectors cannot be precompiled (ReadyToRun) on Linux, and at
    // tier 0 every vector helper is a call, which a fresh session's first image paid for every block or row.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Transform(ReadOnlySpan<short> block, ReadOnlySpan<short> dequant, Span<byte> output, int stride)
    {
        ref short b = ref MemoryMarshal.GetReference(block);
        ref short q = ref MemoryMarshal.GetReference(dequant);
        if (InverseDctVector128.BelowFirstRowIsZero(ref b))
        {
            // A method of its own, as in InverseDctVector128, so that each stays within the JIT's inlining budget.
            TransformFirstRow(ref b, ref q, output, stride);
            return;
        }
        Vector256<int> r0 = Dequantize(ref b, ref q, 0), r1 = Dequantize(ref b, ref q, 8), r2 = Dequantize(ref b, ref q, 16), r3 = Dequantize(ref b, ref q, 24);
        Vector256<int> r4 = Dequantize(ref b, ref q, 32), r5 = Dequantize(ref b, ref q, 40), r6 = Dequantize(ref b, ref q, 48), r7 = Dequantize(ref b, ref q, 56);
        ColumnPass<Vector256<int>, Int32LanesVector256>(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
        RowsToOutput(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7, output, stride);
    }

    /// <summary>A block whose rows 1-7 are zero: the column pass's shortcut, then the rest as usual.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static void TransformFirstRow(ref short b, ref short q, Span<byte> output, int stride)
    {
        Vector256<int> r0 = ColumnShortcut<Vector256<int>, Int32LanesVector256>(Dequantize(ref b, ref q, 0));
        Vector256<int> r1 = r0, r2 = r0, r3 = r0, r4 = r0, r5 = r0, r6 = r0, r7 = r0;
        RowsToOutput(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7, output, stride);
    }

    /// <summary>The column pass's outputs, one vector per row, through the row pass into the samples.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowsToOutput(ref Vector256<int> r0, ref Vector256<int> r1, ref Vector256<int> r2, ref Vector256<int> r3,
        ref Vector256<int> r4, ref Vector256<int> r5, ref Vector256<int> r6, ref Vector256<int> r7, Span<byte> output, int stride)
    {
        Transpose(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
        RowPass<Vector256<int>, Int32LanesVector256>(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
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

    /// <summary>A row of coefficients times its row of the table, in 16-bit lanes, which keep the products' low 16 bits as pmullw does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Dequantize(ref short block, ref short dequant, int at) =>
        Vector256.WidenLower((Vector128.LoadUnsafe(ref block, (nuint)at) * Vector128.LoadUnsafe(ref dequant, (nuint)at)).ToVector256Unsafe());

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
