using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using KMeansPS.Generators;

namespace KMeansPS.Imaging.Metrics;

/// <summary>
/// <see cref="IFloatLanes{T}"/> over <see cref="Vector128{T}"/> of <see cref="float"/>, one Vector128 operation per
/// member; <c>FloatLanesVector256</c> and <c>FloatLanesVector512</c> are generated from it.
/// </summary>
[ExpandToWidths(256, 512)]
internal readonly struct FloatLanesVector128 : IFloatLanes<Vector128<float>>
{
    public static int Count => Vector128<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(ref float source, nuint index) => Vector128.LoadUnsafe(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, ref float destination, nuint index) => value.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> left, Vector128<float> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Multiply(Vector128<float> value, float factor) => value * factor;
}
