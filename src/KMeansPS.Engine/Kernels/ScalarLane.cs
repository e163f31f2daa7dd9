using System.Runtime.CompilerServices;

namespace KMeansPS.Engine.Kernels;

/// <summary>
/// One point at a time as a width of one lane, so the D-specialised distances of
/// <see cref="PointLanes{TWidth, TFloats}"/> serve single points too (Hamerly's screen of a point against
/// its own centre) with the code the vector kernels run.
/// </summary>
internal readonly unsafe struct ScalarLane : ILaneWidth<float>
{
    public static int Count
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => 1;
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Load(float* source) => *source;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Broadcast(float value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Subtract(float left, float right) => left - right;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Multiply(float left, float right) => left * right;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Add(float left, float right) => left + right;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float MultiplyAdd(float a, float b, float c) => MathF.FusedMultiplyAdd(a, b, c);
}
