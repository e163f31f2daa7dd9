using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// Loads of half or a quarter of a vector's bytes, zero-extended to fill it: the one step of the JPEG kernels whose
/// instructions differ by width. The kernels are written once for Vector128 ([ExpandToWidths]); the rewrite turns
/// each call here into the same call for the wider vector, so each width has one line below.
/// </summary>
internal static class WideningLoads
{
    /// <summary>Eight bytes from <paramref name="at"/>, zero-extended to 16 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<ushort> UInt16Vector128(ref byte row, int at) =>
        Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref row, at))).AsByte());

    /// <summary>Sixteen bytes from <paramref name="at"/>, zero-extended to 16 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<ushort> UInt16Vector256(ref byte row, int at) =>
        Vector256.WidenLower(Vector128.LoadUnsafe(ref row, (nuint)at).ToVector256Unsafe());

    /// <summary>Four bytes from <paramref name="at"/>, zero-extended to 32 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<int> Int32Vector128(ref byte row, int at)
    {
        Vector128<byte> bytes = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref row, at))).AsByte();
        if (Sse41.IsSupported) return Sse41.ConvertToVector128Int32(bytes);
        return Vector128.WidenLower(Vector128.WidenLower(bytes)).AsInt32();
    }

    /// <summary>Eight bytes from <paramref name="at"/>, zero-extended to 32 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<int> Int32Vector256(ref byte row, int at)
    {
        Vector128<byte> bytes = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref row, at))).AsByte();
        if (Avx2.IsSupported) return Avx2.ConvertToVector256Int32(bytes);
        return Vector256.WidenLower(Vector256.WidenLower(bytes.ToVector256Unsafe()).GetLower().ToVector256Unsafe()).AsInt32();
    }
}
