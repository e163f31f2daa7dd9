using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// Which of a block's 64 coefficients are nonzero, as bits of a mask (bit i for coefficient i). Progressive
/// refinement reads a correction bit for each nonzero coefficient of a band, and the output stage scatters only the
/// nonzero ones into natural order; both walk the set bits instead of all 64 positions.
/// </summary>
internal static class NonZeroMask
{
    internal static ulong Of(JpegKernel kernel, ReadOnlySpan<short> block)
    {
        if (block.Length < 64) throw new ArgumentException("A block has 64 coefficients.", nameof(block));
        return kernel == JpegKernel.Scalar ? OfScalar(block) : OfVector128(block);
    }

    /// <summary>The reference.</summary>
    internal static ulong OfScalar(ReadOnlySpan<short> block)
    {
        ulong mask = 0;
        for (int i = 0; i < 64; i++)
            if (block[i] != 0) mask |= 1UL << i;
        return mask;
    }

    /// <summary>Sixteen coefficients at a time: compare with zero, narrow the lanes to bytes, take their top bits.</summary>
    internal static ulong OfVector128(ReadOnlySpan<short> block)
    {
        ref short b = ref MemoryMarshal.GetReference(block);
        ulong mask = 0;
        for (int i = 0; i < 64; i += 16)
        {
            Vector128<short> zeroLow = Vector128.Equals(Vector128.LoadUnsafe(ref b, (nuint)i), Vector128<short>.Zero);
            Vector128<short> zeroHigh = Vector128.Equals(Vector128.LoadUnsafe(ref b, (nuint)i + 8), Vector128<short>.Zero);
            uint zero = Vector128.Narrow(zeroLow, zeroHigh).ExtractMostSignificantBits();
            mask |= (ulong)(~zero & 0xFFFF) << i;
        }
        return mask;
    }
}
