using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using KMeansPS.Generators;

namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// <see cref="IInt32Lanes{T}"/> over <see cref="Vector128{T}"/> of <see cref="int"/>, one Vector128 operation per
/// member; <c>Int32LanesVector256</c> is generated from it.
/// </summary>
[ExpandToWidths(256)]
internal readonly struct Int32LanesVector128 : IInt32Lanes<Vector128<int>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Broadcast(int value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Add(Vector128<int> left, Vector128<int> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Subtract(Vector128<int> left, Vector128<int> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Multiply(Vector128<int> value, int factor) => value * factor;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> ShiftLeft(Vector128<int> value, int count) => value << count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> ShiftRightArithmetic(Vector128<int> value, int count) => value >> count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Min(Vector128<int> left, Vector128<int> right) => Vector128.Min(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Max(Vector128<int> left, Vector128<int> right) => Vector128.Max(left, right);
}
