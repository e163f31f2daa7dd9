using System.Runtime.CompilerServices;

namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// <see cref="IInt32Lanes{T}"/> over one <see cref="long"/>: libjpeg's JLONG, in which its column pass works. The
/// reference's column pass runs on it, so a block whose dequantized coefficients are too large for 32 bits still
/// gives libjpeg's values (see <see cref="InverseDct.Int32ExactLimit"/>).
/// </summary>
internal readonly struct Int64LanesScalar : IInt32Lanes<long>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Broadcast(int value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Add(long left, long right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Subtract(long left, long right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Multiply(long value, int factor) => value * factor;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long ShiftLeft(long value, int count) => value << count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long ShiftRightArithmetic(long value, int count) => value >> count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Min(long left, long right) => Math.Min(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Max(long left, long right) => Math.Max(left, right);
}
