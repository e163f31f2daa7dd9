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
/// four more transposes turn it back. The passes are <see cref="InverseDct"/>'s own, written once over
/// <see cref="IInt32Lanes{T}"/>, so lane by lane the operations are the scalar reference's.
/// </summary>
internal static class InverseDctVector128
{
    // Fully optimized from the first call: code passing vectors cannot be precompiled (ReadyToRun) on Linux, and at
    // tier 0 every vector helper is a call, which a fresh session's first image paid for every block or row.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Transform(ReadOnlySpan<short> block, ReadOnlySpan<short> dequant, Span<byte> output, int stride)
    {
        ref short b = ref MemoryMarshal.GetReference(block);
        ref short q = ref MemoryMarshal.GetReference(dequant);
        if (BelowFirstRowIsZero(ref b))
        {
            // A method of its own, not inlined: with both paths in one, the JIT's inlining budget ran out before the
            // transposes, whose vectors then lived in memory.
            TransformFirstRow(ref b, ref q, output, stride);
            return;
        }
        // l<k> holds columns 0-3 of row k, h<k> columns 4-7.
        Dequantize(ref b, ref q, 0, out Vector128<int> l0, out Vector128<int> h0);
        Dequantize(ref b, ref q, 8, out Vector128<int> l1, out Vector128<int> h1);
        Dequantize(ref b, ref q, 16, out Vector128<int> l2, out Vector128<int> h2);
        Dequantize(ref b, ref q, 24, out Vector128<int> l3, out Vector128<int> h3);
        Dequantize(ref b, ref q, 32, out Vector128<int> l4, out Vector128<int> h4);
        Dequantize(ref b, ref q, 40, out Vector128<int> l5, out Vector128<int> h5);
        Dequantize(ref b, ref q, 48, out Vector128<int> l6, out Vector128<int> h6);
        Dequantize(ref b, ref q, 56, out Vector128<int> l7, out Vector128<int> h7);
        ColumnPass<Vector128<int>, Int32LanesVector128>(ref l0, ref l1, ref l2, ref l3, ref l4, ref l5, ref l6, ref l7);
        ColumnPass<Vector128<int>, Int32LanesVector128>(ref h0, ref h1, ref h2, ref h3, ref h4, ref h5, ref h6, ref h7);
        RowsToOutput(ref l0, ref l1, ref l2, ref l3, ref l4, ref l5, ref l6, ref l7,
            ref h0, ref h1, ref h2, ref h3, ref h4, ref h5, ref h6, ref h7, output, stride);
    }

    /// <summary>A block whose rows 1-7 are zero: the column pass's shortcut, then the rest as usual.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static void TransformFirstRow(ref short b, ref short q, Span<byte> output, int stride)
    {
        Dequantize(ref b, ref q, 0, out Vector128<int> l0, out Vector128<int> h0);
        l0 = ColumnShortcut<Vector128<int>, Int32LanesVector128>(l0);
        h0 = ColumnShortcut<Vector128<int>, Int32LanesVector128>(h0);
        Vector128<int> l1 = l0, l2 = l0, l3 = l0, l4 = l0, l5 = l0, l6 = l0, l7 = l0;
        Vector128<int> h1 = h0, h2 = h0, h3 = h0, h4 = h0, h5 = h0, h6 = h0, h7 = h0;
        RowsToOutput(ref l0, ref l1, ref l2, ref l3, ref l4, ref l5, ref l6, ref l7,
            ref h0, ref h1, ref h2, ref h3, ref h4, ref h5, ref h6, ref h7, output, stride);
    }

    /// <summary>The column pass's outputs (l<sub>k</sub>, h<sub>k</sub>: row k) through the row pass into the samples.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowsToOutput(
        ref Vector128<int> l0, ref Vector128<int> l1, ref Vector128<int> l2, ref Vector128<int> l3,
        ref Vector128<int> l4, ref Vector128<int> l5, ref Vector128<int> l6, ref Vector128<int> l7,
        ref Vector128<int> h0, ref Vector128<int> h1, ref Vector128<int> h2, ref Vector128<int> h3,
        ref Vector128<int> h4, ref Vector128<int> h5, ref Vector128<int> h6, ref Vector128<int> h7, Span<byte> output, int stride)
    {
        // Transposed, l<c> holds rows 0-3 of column c and h<c> rows 4-7, for c = 0..7.
        Transpose8x8(ref l0, ref l1, ref l2, ref l3, ref l4, ref l5, ref l6, ref l7,
            ref h0, ref h1, ref h2, ref h3, ref h4, ref h5, ref h6, ref h7);
        RowPass<Vector128<int>, Int32LanesVector128>(ref l0, ref l1, ref l2, ref l3, ref l4, ref l5, ref l6, ref l7);
        RowPass<Vector128<int>, Int32LanesVector128>(ref h0, ref h1, ref h2, ref h3, ref h4, ref h5, ref h6, ref h7);
        Transpose8x8(ref l0, ref l1, ref l2, ref l3, ref l4, ref l5, ref l6, ref l7,
            ref h0, ref h1, ref h2, ref h3, ref h4, ref h5, ref h6, ref h7);

        // Samples are 0..255 now, so truncating narrows are exact: two rows per vector of bytes.
        ref byte o = ref MemoryMarshal.GetReference(output);
        Store(ref o, stride, 0, l0, h0, l1, h1);
        Store(ref o, stride, 2, l2, h2, l3, h3);
        Store(ref o, stride, 4, l4, h4, l5, h5);
        Store(ref o, stride, 6, l6, h6, l7, h7);
    }

    /// <summary>A row of coefficients times its row of the table, in 16-bit lanes, which keep the products' low 16 bits as pmullw does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dequantize(ref short block, ref short dequant, int at, out Vector128<int> low, out Vector128<int> high) =>
        (low, high) = Vector128.Widen(Vector128.LoadUnsafe(ref block, (nuint)at) * Vector128.LoadUnsafe(ref dequant, (nuint)at));

    /// <summary>True when rows 1-7 of the block (its coefficients 8-63) are all zero, where the column pass takes its shortcut.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool BelowFirstRowIsZero(ref short block) =>
        ((Vector128.LoadUnsafe(ref block, 8) | Vector128.LoadUnsafe(ref block, 16)) | (Vector128.LoadUnsafe(ref block, 24) | Vector128.LoadUnsafe(ref block, 32))
        | (Vector128.LoadUnsafe(ref block, 40) | Vector128.LoadUnsafe(ref block, 48)) | Vector128.LoadUnsafe(ref block, 56)) == Vector128<short>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref byte output, int stride, int row, Vector128<int> l0, Vector128<int> h0, Vector128<int> l1, Vector128<int> h1)
    {
        Vector128<ulong> rows = Vector128.Narrow(Vector128.Narrow(l0, h0), Vector128.Narrow(l1, h1)).AsUInt64();
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref output, row * stride), rows.GetElement(0));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref output, (row + 1) * stride), rows.GetElement(1));
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
