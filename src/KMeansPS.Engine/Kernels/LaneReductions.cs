using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace KMeansPS.Engine.Kernels;

/// <summary>
/// Reductions across the lanes of one vector, one overload per width so that <see cref="Width128"/>'s generated copies
/// bind to theirs: a wide vector is halved until 128 bits are left, then shuffled. Min is exact on the values the
/// kernels reduce (squared distances: never NaN, never -0).
/// </summary>
internal static class LaneReductions
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Min(Vector128<float> value)
    {
        Vector128<float> m = NativeMinMax.Min(value, Vector128.Shuffle(value, Vector128.Create(2, 3, 0, 1)));
        m = NativeMinMax.Min(m, Vector128.Shuffle(m, Vector128.Create(1, 0, 3, 2)));
        return m.ToScalar();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Min(Vector256<float> value) => Min(NativeMinMax.Min(value.GetLower(), value.GetUpper()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Min(Vector512<float> value) => Min(NativeMinMax.Min(value.GetLower(), value.GetUpper()));
}
