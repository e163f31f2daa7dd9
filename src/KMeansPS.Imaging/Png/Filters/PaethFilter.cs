using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace KMeansPS.Imaging.Png.Filters;

/// <summary>
/// Filter type 4: each byte adds whichever of left (a), above (b) and upper-left (c) is nearest to a + b - c.
/// Each pixel needs the one before it, so rows are also done two (Vector128) or four (Vector256) at a time.
/// </summary>
internal static class PaethFilter
{
    // Fully optimized from the first call: Vector256 code is never precompiled (ReadyToRun) on Linux, and the tier-0
    // code (a call per vector helper) decoded a fresh session's first Paeth-filtered image.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Undo<TLayout>(ref byte raw, ref uint above, ref uint destination, int width) where TLayout : IPixelLayout
    {
        // One pixel per step in 16-bit lanes; a is not passed through Fix (its spare lanes do not matter).
        Vector128<short> a = Vector128<short>.Zero, c = Vector128<short>.Zero;
        for (nint x = 0; x < width; x++)
        {
            Vector128<short> b = Widen(Unsafe.Add(ref above, x));
            a = Paeth(a, b, c, Widen(TLayout.Load(ref raw, x)));
            c = b;
            Unsafe.Add(ref destination, x) = TLayout.Fix(Narrow(a).ToScalar());
        }
    }

    /// <summary>
    /// Rows y and y + 1 in one vector: lanes 0-3 hold row y at pixel s, lanes 4-7 row y + 1 at pixel s - 1,
    /// whose left neighbour is the previous step's upper half and whose upper neighbour is its lower half.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void UndoPair<TLayout>(ref byte raw0, ref byte raw1, ref uint above, ref uint destination0, ref uint destination1, int width)
        where TLayout : IPixelLayout
    {
        // Step 0: row y alone; the lower row's lanes stay zero, its a and c at its first pixel.
        Vector128<short> b = Widen(above);
        Vector128<short> a = Paeth(Vector128<short>.Zero, b, Vector128<short>.Zero, Widen(TLayout.Load(ref raw0, 0)))
            & Vector128.Create(-1L, 0L).AsInt16();
        destination0 = TLayout.Fix(Narrow(a).ToScalar());
        Vector128<short> c = b;
        for (nint s = 1; s < width; s++)
        {
            b = UpperFromLower(a) | Widen(Unsafe.Add(ref above, s));
            a = Paeth(a, b, c, Widen(TLayout.Load(ref raw0, s), TLayout.Load(ref raw1, s - 1)));
            c = b;
            Vector128<uint> bytes = Narrow(a);
            Unsafe.Add(ref destination0, s) = TLayout.Fix(bytes.ToScalar());
            Unsafe.Add(ref destination1, s - 1) = TLayout.Fix(bytes.GetElement(1));
        }
        // Last step: the lower row's last pixel.
        b = UpperFromLower(a);
        a = Paeth(a, b, c, Widen(0, TLayout.Load(ref raw1, width - 1)));
        Unsafe.Add(ref destination1, width - 1) = TLayout.Fix(Narrow(a).GetElement(1));
    }

    /// <summary>
    /// Rows y to y + 3 in one Vector256: lanes 4k to 4k + 3 hold row y + k at pixel s - k. Steps 0-2 and the last
    /// three, where some rows are outside their width, go through the checked path; rows not yet started are held
    /// at zero, which is their a and c at their first pixel.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void UndoQuad<TLayout>(byte[] block, int start, int length, ref uint above, Span<uint> destination, int width)
        where TLayout : IPixelLayout
    {
        ref byte raw0 = ref block[start];
        ref byte raw1 = ref Unsafe.Add(ref raw0, length);
        ref byte raw2 = ref Unsafe.Add(ref raw1, length);
        ref byte raw3 = ref Unsafe.Add(ref raw2, length);
        ref uint row0 = ref MemoryMarshal.GetReference(destination);
        ref uint row1 = ref Unsafe.Add(ref row0, width);
        ref uint row2 = ref Unsafe.Add(ref row1, width);
        ref uint row3 = ref Unsafe.Add(ref row2, width);
        Vector256<short> a = Vector256<short>.Zero, c = Vector256<short>.Zero, b;
        Vector256<short> firstRow = Vector256.Create(-1L, 0, 0, 0).AsInt16();
        for (nint s = 0; s < width + 3; s++)
        {
            Vector128<uint> raw;
            if (s >= 3 && s < width)
            {
                b = Vector256.ConditionalSelect(firstRow, Widen256(Unsafe.Add(ref above, s)), ShiftRowsDown(a));
                raw = Vector128.Create(TLayout.Load(ref raw0, s), TLayout.Load(ref raw1, s - 1), TLayout.Load(ref raw2, s - 2), TLayout.Load(ref raw3, s - 3));
                a = Paeth(a, b, c, Vector256.WidenLower(raw.AsByte().ToVector256Unsafe()).AsInt16());
                c = b;
                Vector128<uint> bytes = Narrow(a);
                Unsafe.Add(ref row0, s) = TLayout.Fix(bytes.GetElement(0));
                Unsafe.Add(ref row1, s - 1) = TLayout.Fix(bytes.GetElement(1));
                Unsafe.Add(ref row2, s - 2) = TLayout.Fix(bytes.GetElement(2));
                Unsafe.Add(ref row3, s - 3) = TLayout.Fix(bytes.GetElement(3));
                continue;
            }
            b = Vector256.ConditionalSelect(firstRow, Widen256(s < width ? Unsafe.Add(ref above, s) : 0), ShiftRowsDown(a));
            raw = Vector128.Create(
                s < width ? TLayout.Load(ref raw0, s) : 0,
                s - 1 >= 0 && s - 1 < width ? TLayout.Load(ref raw1, s - 1) : 0,
                s - 2 >= 0 && s - 2 < width ? TLayout.Load(ref raw2, s - 2) : 0,
                s - 3 >= 0 && s - 3 < width ? TLayout.Load(ref raw3, s - 3) : 0);
            a = Paeth(a, b, c, Vector256.WidenLower(raw.AsByte().ToVector256Unsafe()).AsInt16());
            // Rows that have not started yet stay zero.
            if (s < 3) a &= Vector256.Create(-1L, s >= 1 ? -1L : 0, s >= 2 ? -1L : 0, 0).AsInt16();
            c = b;
            Vector128<uint> checkedBytes = Narrow(a);
            if (s < width) Unsafe.Add(ref row0, s) = TLayout.Fix(checkedBytes.GetElement(0));
            if (s - 1 >= 0 && s - 1 < width) Unsafe.Add(ref row1, s - 1) = TLayout.Fix(checkedBytes.GetElement(1));
            if (s - 2 >= 0 && s - 2 < width) Unsafe.Add(ref row2, s - 2) = TLayout.Fix(checkedBytes.GetElement(2));
            if (s - 3 >= 0) Unsafe.Add(ref row3, s - 3) = TLayout.Fix(checkedBytes.GetElement(3));
        }
    }

    /// <summary>Each row's four lanes moved up to the next row's place (the row below, one pixel behind).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> ShiftRowsDown(Vector256<short> v) =>
        Vector256.Shuffle(v.AsInt64(), Vector256.Create(0L, 0, 1, 2)).AsInt16();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> Widen256(uint pixel) =>
        Vector256.WidenLower(Vector128.CreateScalar(pixel).AsByte().ToVector256Unsafe()).AsInt16();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> Narrow(Vector256<short> v) => Vector128.Narrow(v.GetLower().AsUInt16(), v.GetUpper().AsUInt16()).AsUInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> Paeth(Vector256<short> a, Vector256<short> b, Vector256<short> c, Vector256<short> raw) =>
        PaethPredictorVector256.Apply(a, b, c, raw);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<short> Paeth(Vector128<short> a, Vector128<short> b, Vector128<short> c, Vector128<short> raw) =>
        PaethPredictorVector128.Apply(a, b, c, raw);

    /// <summary>Lanes 0-3 moved to lanes 4-7, zeros below.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<short> UpperFromLower(Vector128<short> v) =>
        Sse2.IsSupported ? Sse2.ShiftLeftLogical128BitLane(v, 8) : Vector128.Create(Vector64<short>.Zero, v.GetLower());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<short> Widen(uint pixel) =>
        Vector128.WidenLower(Vector128.CreateScalar(pixel).AsByte()).AsInt16();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<short> Widen(uint lower, uint upper) =>
        Vector128.WidenLower(Vector128.CreateScalarUnsafe((ulong)upper << 32 | lower).AsByte()).AsInt16();

    /// <summary>16-bit lanes (each at most 255) back to bytes: pixel 0 in element 0, pixel 1 in element 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> Narrow(Vector128<short> v) => Vector128.Narrow(v.AsUInt16(), v.AsUInt16()).AsUInt32();
}
