using System.Runtime.Intrinsics;

namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// Which code runs the decoder's vector kernels (inverse DCT, upsampling, colour conversion). All integer: every
/// kernel gives exactly the bits of its scalar reference, so the choice changes speed only.
/// </summary>
internal enum JpegKernel
{
    /// <summary>The references, one value at a time.</summary>
    Scalar,
    Vector128,
    /// <summary>Vector256 where it pays; the same code runs on AVX-512 machines.</summary>
    Vector256,
}

internal static class JpegKernels
{
    /// <summary>The widest kernel the hardware runs natively.</summary>
    internal static JpegKernel Best =>
        Vector256.IsHardwareAccelerated ? JpegKernel.Vector256
        : Vector128.IsHardwareAccelerated ? JpegKernel.Vector128
        : JpegKernel.Scalar;
}
