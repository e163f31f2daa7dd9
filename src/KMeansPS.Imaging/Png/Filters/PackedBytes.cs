using System.Runtime.CompilerServices;

namespace KMeansPS.Imaging.Png.Filters;

/// <summary>Byte arithmetic on a pixel packed in a uint.</summary>
internal static class PackedBytes
{
    /// <summary>Adds the four bytes of two pixels lane by lane, without carries between lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint Add(uint x, uint y) => ((x & 0x7F7F7F7Fu) + (y & 0x7F7F7F7Fu)) ^ ((x ^ y) & 0x80808080u);
}
