using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace KMeansPS.Imaging.Png.Filters;

/// <summary>Filter type 2: each byte adds the one above it.</summary>
internal static class UpFilter
{
    internal static void Undo<TLayout>(ref byte raw, ref uint above, ref uint destination, int width) where TLayout : IPixelLayout
    {
        nint x = 0;
        for (; x + 4 <= width; x += 4)
        {
            Vector128<byte> b = Vector128.LoadUnsafe(ref above, (nuint)x).AsByte();
            TLayout.Fix(TLayout.Load4(ref raw, x) + b).AsUInt32().StoreUnsafe(ref destination, (nuint)x);
        }
        for (; x < width; x++)
            Unsafe.Add(ref destination, x) = TLayout.Fix(PackedBytes.Add(TLayout.Load(ref raw, x), Unsafe.Add(ref above, x)));
    }
}
