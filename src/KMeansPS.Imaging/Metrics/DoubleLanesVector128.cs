using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using KMeansPS.Generators;

namespace KMeansPS.Imaging.Metrics;

/// <summary>
/// <see cref="IDoubleLanes{T}"/> over <see cref="Vector128{T}"/> of <see cref="double"/>, one Vector128 operation per
/// member; <c>DoubleLanesVector256</c> and <c>DoubleLanesVector512</c> are generated from it.
/// </summary>
[ExpandToWidths(256, 512)]
internal readonly struct DoubleLanesVector128 : IDoubleLanes<Vector128<double>>
{
    public static int Count => Vector128<double>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Load(ref double source, nuint index) => Vector128.LoadUnsafe(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<double> value, ref double destination, nuint index) => value.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Add(Vector128<double> left, Vector128<double> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Multiply(Vector128<double> value, Vector128<double> factor) => value * factor;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Broadcast(double value) => Vector128.Create(value);
}
