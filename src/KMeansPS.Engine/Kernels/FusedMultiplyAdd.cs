using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace KMeansPS.Engine.Kernels;

/// <summary>
/// a * b + c rounded once, in every lane, at every width: the FMA instruction where the CPU and runtime
/// allow it (FMA3 / AVX-512 on x64, NEON on ARM64), else exactly in software (<see cref="Software"/> on SSE, the
/// runtime's scalar fused multiply-add per lane without vector hardware), so the bits never depend on the machine,
/// only the speed does.
/// </summary>
internal static class FusedMultiplyAdd
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> Of(Vector128<float> a, Vector128<float> b, Vector128<float> c)
    {
        if (Fma.IsSupported) return Fma.MultiplyAdd(a, b, c);
        if (AdvSimd.IsSupported) return AdvSimd.FusedMultiplyAdd(c, a, b);
        if (Vector128.IsHardwareAccelerated) return Software(a, b, c);
        return EachLane(a, b, c);
    }

    /// <summary>Without vector hardware each vector operation is a loop over lanes anyway: the runtime's scalar fused multiply-add per lane costs least.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static Vector128<float> EachLane(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Vector128.Create(
        MathF.FusedMultiplyAdd(a.GetElement(0), b.GetElement(0), c.GetElement(0)),
        MathF.FusedMultiplyAdd(a.GetElement(1), b.GetElement(1), c.GetElement(1)),
        MathF.FusedMultiplyAdd(a.GetElement(2), b.GetElement(2), c.GetElement(2)),
        MathF.FusedMultiplyAdd(a.GetElement(3), b.GetElement(3), c.GetElement(3)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Of(Vector256<float> a, Vector256<float> b, Vector256<float> c)
    {
        if (Fma.IsSupported) return Fma.MultiplyAdd(a, b, c);
        return Vector256.Create(Of(a.GetLower(), b.GetLower(), c.GetLower()), Of(a.GetUpper(), b.GetUpper(), c.GetUpper()));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Of(Vector512<float> a, Vector512<float> b, Vector512<float> c)
    {
        if (Avx512F.IsSupported) return Avx512F.FusedMultiplyAdd(a, b, c);
        return Vector512.Create(Of(a.GetLower(), b.GetLower(), c.GetLower()), Of(a.GetUpper(), b.GetUpper(), c.GetUpper()));
    }

    /// <summary>
    /// a * b + c for doubles whose product is exact (floats widened to double: 24 + 24 bits fit in 53, and no product
    /// of two floats leaves double's normal range), so the fused and the unfused forms round once, at the add, to the
    /// same bits: one instruction where the CPU has it, a multiply and an add where it has not.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<double> OfExactProduct(Vector128<double> a, Vector128<double> b, Vector128<double> c)
    {
        if (Fma.IsSupported) return Fma.MultiplyAdd(a, b, c);
        if (AdvSimd.Arm64.IsSupported) return AdvSimd.Arm64.FusedMultiplyAdd(c, a, b);
        return a * b + c;
    }

    /// <inheritdoc cref="OfExactProduct(Vector128{double}, Vector128{double}, Vector128{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> OfExactProduct(Vector256<double> a, Vector256<double> b, Vector256<double> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;

    /// <inheritdoc cref="OfExactProduct(Vector128{double}, Vector128{double}, Vector128{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<double> OfExactProduct(Vector512<double> a, Vector512<double> b, Vector512<double> c) =>
        Avx512F.IsSupported ? Avx512F.FusedMultiplyAdd(a, b, c) : a * b + c;

    /// <summary>
    /// The fused result without an FMA instruction (x64 before Haswell, Atom-class cores up to Tremont): each half
    /// widened to doubles, where a * b is exact (24 + 24 bits) and the sum is rounded once to 53 bits. Rounding that
    /// to float gives the correctly rounded fused result unless the double sum landed exactly on a float midpoint
    /// (rounding cannot carry a sum across a midpoint, which is a double itself) or in float's subnormal range;
    /// there, and only there, the sum is redone rounded to odd (the exact sum's two double neighbours, the one with
    /// an odd last bit): rounding to odd at 53 bits and then to nearest at 24 is correct since 53 &gt;= 2 x 24 + 2
    /// (Boldo and Melquiond, 2008).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> Software(Vector128<float> a, Vector128<float> b, Vector128<float> c)
    {
        var (aLow, aHigh) = Vector128.Widen(a);
        var (bLow, bHigh) = Vector128.Widen(b);
        var (cLow, cHigh) = Vector128.Widen(c);
        Vector128<double> productLow = aLow * bLow, productHigh = aHigh * bHigh;
        Vector128<double> sumLow = productLow + cLow, sumHigh = productHigh + cHigh;
        if ((DoubleRoundingRisk(sumLow) | DoubleRoundingRisk(sumHigh)) != Vector128<long>.Zero)
        {
            sumLow = SumRoundedToOdd(productLow, cLow);
            sumHigh = SumRoundedToOdd(productHigh, cHigh);
        }
        return Vector128.Narrow(sumLow, sumHigh);
    }

    /// <summary>Lanes whose rounding to float may differ from the exact sum's: a float midpoint (the 29 bits float drops are 1 then zeros), or below float's normal range.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<long> DoubleRoundingRisk(Vector128<double> sum)
    {
        Vector128<long> midpoint = Vector128.Equals(sum.AsInt64() & Vector128.Create(0x1FFF_FFFFL), Vector128.Create(0x1000_0000L));
        Vector128<double> tiny = Vector128.LessThan(Vector128.Abs(sum), Vector128.Create(SmallestNormalFloat))
            & ~Vector128.Equals(sum, Vector128<double>.Zero);
        return midpoint | tiny.AsInt64();
    }

    private const double SmallestNormalFloat = 1.1754943508222875e-38; // 2^-126

    /// <summary>p + c rounded to odd: the nearest double, moved one unit toward the exact sum when it is inexact and even.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> SumRoundedToOdd(Vector128<double> p, Vector128<double> c)
    {
        Vector128<double> sum = p + c;
        // Knuth's TwoSum: the exact sum is sum + error (for finite values).
        Vector128<double> fromC = sum - p;
        Vector128<double> error = (p - (sum - fromC)) + (c - fromC);
        Vector128<long> bits = sum.AsInt64();
        Vector128<long> inexactEvenFinite = ~Vector128.Equals(error, Vector128<double>.Zero).AsInt64()
            & Vector128.Equals(bits & Vector128<long>.One, Vector128<long>.Zero)
            & Vector128.LessThan(Vector128.Abs(sum), Vector128.Create(double.PositiveInfinity)).AsInt64();
        // One unit up in magnitude when the error has the sum's sign, else down: +1 or -1 on the bits.
        Vector128<long> step = Vector128<long>.One - Vector128.ShiftLeft(Vector128.ShiftRightLogical(bits ^ error.AsInt64(), 63), 1);
        return (bits + (step & inexactEvenFinite)).AsDouble();
    }
}
