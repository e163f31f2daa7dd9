namespace KMeansPS.Output;

/// <summary>What Compress-ImageKMeans did to one file.</summary>
public sealed class ImageCompressionResult
{
    /// <summary>The source image.</summary>
    public required string Path { get; init; }
    /// <summary>The file written (or, when Status is not Written, the file that would have been).</summary>
    public required string Destination { get; init; }
    /// <summary>Width of the image in pixels.</summary>
    public required int Width { get; init; }
    /// <summary>Height of the image in pixels.</summary>
    public required int Height { get; init; }
    /// <summary>The K asked for.</summary>
    public required int K { get; init; }
    /// <summary>The colours the palette was fitted with: K, or with -MinPsnr the fewest (at most K) that reached the floor.</summary>
    public int ChosenK { get; init; }
    /// <summary>The PSNR floor asked for with -MinPsnr, in dB; else null.</summary>
    public double? MinPsnr { get; init; }
    /// <summary>Palette entries in the output (at most K; fewer when the image has fewer colours).</summary>
    public required int ColorsUsed { get; init; }
    /// <summary>Distinct colours in the source, RGBA (at 16 bits for a 16-bit source), every fully transparent pixel counting as one colour whatever its RGB; for an image with more than one per 32 pixels (at least 262,144), a lower bound, and the result carries a warning.</summary>
    public required int SourceColors { get; init; }
    /// <summary>True when <see cref="SourceColors"/> is a lower bound: the source has more than SourceColors - 1 distinct colours.</summary>
    public bool SourceColorsIsLowerBound { get; init; }
    /// <summary>True when the source had K or fewer colours and was kept exactly.</summary>
    public required bool Lossless { get; init; }
    /// <summary>Lloyd iterations of the fit the palette came from: the best seeding, or the split-and-remove move after it (0 when lossless).</summary>
    public required int Iterations { get; init; }
    /// <summary>True when the fit stopped because the centres settled, not at -MaxIterations.</summary>
    public required bool Converged { get; init; }
    /// <summary>Mean squared error per channel, 0-255 scale (RGB, or premultiplied RGBA for images with alpha).</summary>
    public required double Mse { get; init; }
    /// <summary>Peak signal-to-noise ratio in dB (infinity when lossless).</summary>
    public required double Psnr { get; init; }
    /// <summary>Structural similarity, 1 = identical: the mean SSIM (Wang et al. 2004, their ssim_index.m: 11 x 11 Gaussian window of sigma 1.5, K1 = 0.01, K2 = 0.03, L = 255, 'valid' positions, no downsampling) of the luma Y = 0.299 R + 0.587 G + 0.114 B of the premultiplied colour (0-255 scale; a 16-bit source at its full precision); an image under 11 pixels in either direction is one window of uniform weights.</summary>
    public required double Ssim { get; init; }
    /// <summary>Size of the source file in bytes.</summary>
    public required long OriginalBytes { get; init; }
    /// <summary>Size of the file written, in bytes (when skipped, the size it would have had).</summary>
    public required long CompressedBytes { get; init; }
    /// <summary>OriginalBytes / CompressedBytes (the blog's 5,712 KB / 131 KB).</summary>
    public double Ratio => CompressedBytes == 0 ? 0 : (double)OriginalBytes / CompressedBytes;
    /// <summary>The format written.</summary>
    public required ImageOutputFormat Format { get; init; }
    /// <summary>The space the colours were clustered in.</summary>
    public required ColorSpace ColorSpace { get; init; }
    /// <summary>The error diffusion used when mapping pixels to the palette.</summary>
    public required DitherMode Dither { get; init; }
    /// <summary>Time this file took, from the start of its decoding to its output (and figure) written and its buffers handed back: the -Debug stage times fall within it, so they add up to no more. Zero for a file skipped without being read.</summary>
    public required TimeSpan Elapsed { get; init; }
    /// <summary>The SIMD path the engine ran.</summary>
    public required string InstructionSet { get; init; }
    /// <summary>The seed that reproduces this output.</summary>
    public required int Seed { get; init; }
    /// <summary>The side-by-side figure, when -ComparisonPath was given.</summary>
    public string? ComparisonPath { get; init; }
    /// <summary>
    /// Written, or why nothing was written (SkippedLarger: -SkipIfLarger and the output was not smaller than the source;
    /// a rerun's skips: SkippedOwnOutput, SkippedUpToDate). For a rerun's skipped input the
    /// sizes are of the source and of the existing output, and the measures not known without decoding (colours, MSE,
    /// PSNR, SSIM, iterations) are 0 or NaN.
    /// </summary>
    public CompressionStatus Status { get; init; } = CompressionStatus.Written;
    /// <summary>Something the user should know about this result (also written as a warning), e.g. that the palette was fitted on colour cells; else null.</summary>
    public string? Warning { get; init; }

    /// <inheritdoc/>
    public override string ToString() => Destination;
}
