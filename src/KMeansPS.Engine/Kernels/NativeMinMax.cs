using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace KMeansPS.Engine.Kernels;

/// <summary>
/// Lane-wise min and max as x64's own instructions (minps, maxps and their double forms). From .NET 9 on the runtime's
/// VectorN.Min and Max are IEEE 754-2019's minimum and maximum (NaN propagated, -0 below +0), which x64 has no
/// instruction for: each compiled to nine instructions at 256 bits on .NET 10 (`DOTNET_JitDisasm`), in the full
/// search's inner loop among others. The kernels pass only values on which every form picks the same lane (squared
/// distances: never NaN, never -0; see <see cref="IVectorWidth{TFloats, TInts, TDoubles}.Min(TFloats, TFloats)"/>), so
/// the bits do not change. Elsewhere (ARM64, whose fmin and fmax are those operations) the runtime's forms stay.
/// </summary>
internal static class NativeMinMax
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> Min(Vector128<float> left, Vector128<float> right) =>
        Sse.IsSupported ? Sse.Min(left, right) : Vector128.Min(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> Max(Vector128<float> left, Vector128<float> right) =>
        Sse.IsSupported ? Sse.Max(left, right) : Vector128.Max(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<double> Min(Vector128<double> left, Vector128<double> right) =>
        Sse2.IsSupported ? Sse2.Min(left, right) : Vector128.Min(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Min(Vector256<float> left, Vector256<float> right) =>
        Avx.IsSupported ? Avx.Min(left, right) : Vector256.Min(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Max(Vector256<float> left, Vector256<float> right) =>
        Avx.IsSupported ? Avx.Max(left, right) : Vector256.Max(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> Min(Vector256<double> left, Vector256<double> right) =>
        Avx.IsSupported ? Avx.Min(left, right) : Vector256.Min(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Min(Vector512<float> left, Vector512<float> right) =>
        Avx512F.IsSupported ? Avx512F.Min(left, right) : Vector512.Min(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Max(Vector512<float> left, Vector512<float> right) =>
        Avx512F.IsSupported ? Avx512F.Max(left, right) : Vector512.Max(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<double> Min(Vector512<double> left, Vector512<double> right) =>
        Avx512F.IsSupported ? Avx512F.Min(left, right) : Vector512.Min(left, right);
}
