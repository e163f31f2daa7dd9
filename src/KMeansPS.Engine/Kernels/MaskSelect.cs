using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace KMeansPS.Engine.Kernels;

/// <summary>
/// Lane selection by a comparison's mask (every lane all ones or all zeros) as x64's variable blend, which reads only
/// each lane's top bit: the runtime's ConditionalSelect is bitwise and, where it cannot see that the mask came from a
/// comparison, compiles at 128 and 256 bits to an and, an and-not and an or (the full search's nearest label and
/// distance, `DOTNET_JitDisasm`). On a comparison's mask both give the same lanes. At 512 bits the runtime already
/// selects by a mask register; elsewhere (ARM64's bit select) its form stays.
/// </summary>
internal static class MaskSelect
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> Of(Vector128<float> mask, Vector128<float> whenSet, Vector128<float> whenClear) =>
        Sse41.IsSupported ? Sse41.BlendVariable(whenClear, whenSet, mask) : Vector128.ConditionalSelect(mask, whenSet, whenClear);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<int> Of(Vector128<float> mask, Vector128<int> whenSet, Vector128<int> whenClear) =>
        Sse41.IsSupported ? Sse41.BlendVariable(whenClear.AsSingle(), whenSet.AsSingle(), mask).AsInt32()
            : Vector128.ConditionalSelect(mask.AsInt32(), whenSet, whenClear);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Of(Vector256<float> mask, Vector256<float> whenSet, Vector256<float> whenClear) =>
        Avx.IsSupported ? Avx.BlendVariable(whenClear, whenSet, mask) : Vector256.ConditionalSelect(mask, whenSet, whenClear);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<int> Of(Vector256<float> mask, Vector256<int> whenSet, Vector256<int> whenClear) =>
        Avx.IsSupported ? Avx.BlendVariable(whenClear.AsSingle(), whenSet.AsSingle(), mask).AsInt32()
            : Vector256.ConditionalSelect(mask.AsInt32(), whenSet, whenClear);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Of(Vector512<float> mask, Vector512<float> whenSet, Vector512<float> whenClear) =>
        Vector512.ConditionalSelect(mask, whenSet, whenClear);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<int> Of(Vector512<float> mask, Vector512<int> whenSet, Vector512<int> whenClear) =>
        Vector512.ConditionalSelect(mask.AsInt32(), whenSet, whenClear);
}
