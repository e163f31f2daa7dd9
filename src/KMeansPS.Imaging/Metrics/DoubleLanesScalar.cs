using System.Runtime.CompilerServices;

namespace KMeansPS.Imaging.Metrics;

/// <summary><see cref="IFloatLanes{T}"/> over one <see cref="float"/>: the scalar loop.</summary>
internal readonly struct FloatLanesScalar : IFloatLanes<float>
{
    public static int Count => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(ref float source, nuint index) => Unsafe.Add(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float value, ref float destination, nuint index) => Unsafe.Add(ref destination, index) = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Add(float left, float right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Multiply(float value, float factor) => value * factor;
}
