using System.Numerics;
using System.Runtime.CompilerServices;

namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// <see cref="IInt32Lanes{T}"/> over one integer: <see cref="int"/> for the scalar reference's row pass, and
/// <see cref="long"/> (libjpeg's JLONG) for its column pass, so a block whose dequantized coefficients are too large
/// for 32 bits still gives libjpeg's values (see <see cref="InverseDct.Int32ExactLimit"/>). The JIT specialises it
/// for each type, as it does the vector bindings.
/// </summary>
internal readonly struct ScalarLanes<T> : IInt32Lanes<T>
    where T : struct, IBinaryInteger<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Broadcast(int value) => T.CreateTruncating(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Add(T left, T right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Subtract(T left, T right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Multiply(T value, int factor) => value * T.CreateTruncating(factor);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ShiftLeft(T value, int count) => value << count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ShiftRightArithmetic(T value, int count) => value >> count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Min(T left, T right) => T.Min(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Max(T left, T right) => T.Max(left, right);
}
