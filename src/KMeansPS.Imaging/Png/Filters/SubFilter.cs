using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace KMeansPS.Imaging.Png.Filters;

/// <summary>Filter type 1: each byte adds the one a pixel to its left.</summary>
internal static class SubFilter
{
    internal static void Undo<TLayout>(ref byte raw, ref uint destination, int width) where TLayout : IPixelLayout
    {
        // Four pixels at a time: a prefix sum across the vector's pixels plus the last pixel of the previous four.
        Vector128<byte> left = Vector128<byte>.Zero;
        nint x = 0;
        for (; x + 4 <= width; x += 4)
        {
            Vector128<byte> v = TLayout.Load4(ref raw, x);
            v += Vector128.Shuffle(v, Vector128.Create((byte)0xFF, 0xFF, 0xFF, 0xFF, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11));
            v += Vector128.Shuffle(v, Vector128.Create((byte)0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 1, 2, 3, 4, 5, 6, 7));
            v += left;
            TLayout.Fix(v).AsUInt32().StoreUnsafe(ref destination, (nuint)x);
            left = Vector128.Shuffle(v.AsUInt32(), Vector128.Create(3u)).AsByte();
        }
        uint a = left.AsUInt32().ToScalar();
        for (; x < width; x++)
        {
            a = PackedBytes.Add(TLayout.Load(ref raw, x), a);
            Unsafe.Add(ref destination, x) = TLayout.Fix(a);
        }
    }
}
