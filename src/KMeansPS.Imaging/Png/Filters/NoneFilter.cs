using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace KMeansPS.Imaging.Png.Filters;

/// <summary>Filter type 0: the raw bytes are the pixels, widened to RGBA.</summary>
internal static class NoneFilter
{
    internal static void Undo<TLayout>(ref byte raw, ref uint destination, int width) where TLayout : IPixelLayout
    {
        nint x = 0;
        for (; x + 4 <= width; x += 4)
            TLayout.Fix(TLayout.Load4(ref raw, x)).AsUInt32().StoreUnsafe(ref destination, (nuint)x);
        for (; x < width; x++)
            Unsafe.Add(ref destination, x) = TLayout.Fix(TLayout.Load(ref raw, x));
    }
}
