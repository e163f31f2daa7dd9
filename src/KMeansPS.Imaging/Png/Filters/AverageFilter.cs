using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace KMeansPS.Imaging.Png.Filters;

/// <summary>Filter type 3: each byte adds the rounded-down mean of the ones to its left and above.</summary>
internal static class AverageFilter
{
    internal static void Undo<TLayout>(ref byte raw, ref uint above, ref uint destination, int width) where TLayout : IPixelLayout
    {
        // Each pixel needs the one before it: one pixel per step, in the low four lanes of a vector.
        Vector128<byte> a = Vector128<byte>.Zero, one = Vector128.Create((byte)1);
        for (nint x = 0; x < width; x++)
        {
            Vector128<byte> b = Vector128.CreateScalarUnsafe(Unsafe.Add(ref above, x)).AsByte();
            Vector128<byte> average = Sse2.IsSupported
                ? Sse2.Average(a, b) - ((a ^ b) & one) // pavgb rounds up; take back the half
                : (a & b) + Vector128.ShiftRightLogical(a ^ b, 1);
            a = Vector128.CreateScalarUnsafe(TLayout.Load(ref raw, x)).AsByte() + average;
            Unsafe.Add(ref destination, x) = TLayout.Fix(a.AsUInt32().ToScalar());
        }
    }
}
