using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using KMeansPS.Generators;

namespace KMeansPS.Engine.Kernels;

// The binding of IVectorWidth, one VectorN call per member (inlined into the kernels), written once for 128 bits:
// KMeansPS.Generators writes Width256 (AVX2, 8 points) and Width512 (AVX-512, 16 points) from it at build time.
// The kernels themselves are written once over the interface (VectorKernels, PointLanes, LaneAccumulators).

/// <summary>128-bit lanes: 4 points (SSE on x64, NEON on ARM64); the source of <c>Width256</c> and <c>Width512</c>.</summary>
[ExpandToWidths(256, 512)]
internal readonly unsafe struct Width128 : IVectorWidth<Vector128<float>, Vector128<int>, Vector128<double>>
{
    public static int Count
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector128<float>.Count;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(float* source) => Vector128.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Broadcast(float value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Subtract(Vector128<float> left, Vector128<float> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Multiply(Vector128<float> left, Vector128<float> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> left, Vector128<float> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) => FusedMultiplyAdd.Of(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, float* destination) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LessThan(Vector128<float> left, Vector128<float> right) => Vector128.LessThan(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ConditionalSelect(Vector128<float> mask, Vector128<float> whenSet, Vector128<float> whenClear) =>
        MaskSelect.Of(mask, whenSet, whenClear);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> EqualTo(Vector128<float> left, Vector128<float> right) => Vector128.Equals(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Bits(Vector128<float> mask) => mask.ExtractMostSignificantBits();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MinAcross(Vector128<float> value) => LaneReductions.Min(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Min(Vector128<float> left, Vector128<float> right) => NativeMinMax.Min(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Max(Vector128<float> left, Vector128<float> right) => NativeMinMax.Max(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Increment(Vector128<int> value) => value + Vector128<int>.One;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> ConditionalSelect(Vector128<float> mask, Vector128<int> whenSet, Vector128<int> whenClear) =>
        MaskSelect.Of(mask, whenSet, whenClear);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<int> value, int* destination) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector128<double> Lower, Vector128<double> Upper) Widen(Vector128<float> value) => Vector128.Widen(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Add(Vector128<double> left, Vector128<double> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Multiply(Vector128<double> left, Vector128<double> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> AddExactProduct(Vector128<double> sum, Vector128<double> left, Vector128<double> right) =>
        FusedMultiplyAdd.OfExactProduct(left, right, sum);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Load(double* source) => Vector128.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> BroadcastDouble(double value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Subtract(Vector128<double> left, Vector128<double> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Min(Vector128<double> left, Vector128<double> right) => NativeMinMax.Min(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong LessThanBits(Vector128<double> left, Vector128<double> right) => Vector128.LessThan(left, right).ExtractMostSignificantBits();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<double> value, double* destination) => value.Store(destination);
}
