using System.Runtime.CompilerServices;

namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// <see cref="IInt32Lanes{T}"/> over one <see cref="int"/>, for the scalar reference; the JIT specialises it as it
/// does the vector bindings. Arithmetic wraps around, as the vector lanes' does.
/// </summary>
internal readonly struct ScalarLanes : IInt32Lanes<int>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Broadcast(int value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Add(int left, int right) => unchecked(left + right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Subtract(int left, int right) => unchecked(left - right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Multiply(int value, int factor) => unchecked(value * factor);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ShiftLeft(int value, int count) => value << count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ShiftRightArithmetic(int value, int count) => value >> count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Min(int left, int right) => Math.Min(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Max(int left, int right) => Math.Max(left, right);
}
