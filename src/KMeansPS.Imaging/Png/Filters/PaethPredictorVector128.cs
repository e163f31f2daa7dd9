using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using KMeansPS.Generators;

namespace KMeansPS.Imaging.Png.Filters;

/// <summary>
/// The Paeth predictor on 16-bit lanes, for <see cref="PaethFilter"/>'s paths of two rows (this type) and four rows
/// (the generated <c>PaethPredictorVector256</c>).
/// </summary>
[ExpandToWidths(256)]
internal static class PaethPredictorVector128
{
    /// <summary>The Paeth predictor of each 16-bit lane plus the raw byte, wrapped to a byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<short> Apply(Vector128<short> a, Vector128<short> b, Vector128<short> c, Vector128<short> raw)
    {
        Vector128<short> bc = b - c, ac = a - c;
        Vector128<short> pa = Vector128.Abs(bc), pb = Vector128.Abs(ac), pc = Vector128.Abs(ac + bc);
        Vector128<short> useA = Vector128.LessThanOrEqual(pa, pb) & Vector128.LessThanOrEqual(pa, pc);
        Vector128<short> bOrC = Vector128.ConditionalSelect(Vector128.LessThanOrEqual(pb, pc), b, c);
        return (Vector128.ConditionalSelect(useA, a, bOrC) + raw) & Vector128.Create((short)0xFF);
    }
}
