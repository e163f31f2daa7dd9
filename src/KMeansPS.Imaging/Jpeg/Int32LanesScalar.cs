using System.Runtime.CompilerServices;

namespace KMeansPS.Imaging.Jpeg;

/// <summary><see cref="IInt32Lanes{T}"/> over one <see cref="int"/>: the scalar reference's arithmetic.</summary>
internal readonly struct Int32LanesScalar : IInt32Lanes<int>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Broadcast(int value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Add(int left, int right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Subtract(int left, int right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Multiply(int value, int factor) => value * factor;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ShiftLeft(int value, int count) => value << count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ShiftRightArithmetic(int value, int count) => value >> count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Min(int left, int right) => Math.Min(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Max(int left, int right) => Math.Max(left, right);
}
