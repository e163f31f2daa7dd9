using System.Runtime.CompilerServices;

namespace KMeansPS.Imaging.Metrics;

/// <summary><see cref="IDoubleLanes{T}"/> over one <see cref="double"/>: the scalar loop.</summary>
internal readonly struct DoubleLanesScalar : IDoubleLanes<double>
{
    public static int Count => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Load(ref double source, nuint index) => Unsafe.Add(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(double value, ref double destination, nuint index) => Unsafe.Add(ref destination, index) = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Add(double left, double right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Multiply(double value, double factor) => value * factor;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Broadcast(double value) => value;
}
