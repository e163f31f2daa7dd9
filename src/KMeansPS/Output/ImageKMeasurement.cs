namespace KMeansPS.Output;

/// <summary>How one K did on one image: a row of Measure-ImageKMeans.</summary>
public sealed class ImageKMeasurement
{
    /// <summary>The source image.</summary>
    public required string Path { get; init; }
    /// <summary>The K measured.</summary>
    public required int K { get; init; }
    /// <summary>Palette entries actually used (fewer than K when the image has fewer colours).</summary>
    public required int ColorsUsed { get; init; }
    /// <summary>Peak signal-to-noise ratio in dB (infinity when lossless).</summary>
    public required double Psnr { get; init; }
    /// <summary>Structural similarity, 1 = identical: the mean SSIM (Wang et al. 2004, their ssim_index.m: 11 x 11 Gaussian window of sigma 1.5, K1 = 0.01, K2 = 0.03, L = 255, 'valid' positions, no downsampling) of the luma Y = 0.299 R + 0.587 G + 0.114 B of the premultiplied colour (0-255 scale; a 16-bit source at its full precision); an image under 11 pixels in either direction is one window of uniform weights.</summary>
    public required double Ssim { get; init; }
    /// <summary>Mean squared error per channel, 0-255 scale (RGB, or premultiplied RGBA for images with alpha), as Compress-ImageKMeans reports it.</summary>
    public required double Mse { get; init; }
    /// <summary>Sum over pixels of squared error of the 8-bit result (MSE x channels x pixels): the inertia the palette achieves.</summary>
    public required double Inertia { get; init; }
    /// <summary>Size of the palette PNG this K gives at <see cref="CompressionLevel"/> (encoded in memory; nothing is written).</summary>
    public required long CompressedBytes { get; init; }
    /// <summary>Size of the source file in bytes.</summary>
    public required long OriginalBytes { get; init; }
    /// <summary>OriginalBytes / CompressedBytes.</summary>
    public double Ratio => CompressedBytes == 0 ? 0 : (double)OriginalBytes / CompressedBytes;
    /// <summary>Lloyd iterations of the fit the palette came from: the best seeding, or the split-and-remove move after it.</summary>
    public required int Iterations { get; init; }
    /// <summary>True when the fit stopped because the centres settled.</summary>
    public required bool Converged { get; init; }
    /// <summary>Time spent on this K.</summary>
    public required TimeSpan Elapsed { get; init; }
    /// <summary>True on the row of the suggested K.</summary>
    public bool Suggested { get; internal set; }
    /// <summary>Why this K is suggested: the elbow of the error curve ('elbow'), the smallest K meeting -MinPsnr, or, on a curve without an elbow, the smallest K (the Reason says which).</summary>
    public string? Reason { get; internal set; }
    /// <summary>The seed that reproduces this row.</summary>
    public required int Seed { get; init; }
    /// <summary>The deflate level the sizes were measured at (Compress-ImageKMeans -CompressionLevel).</summary>
    public System.IO.Compression.CompressionLevel CompressionLevel { get; init; } = System.IO.Compression.CompressionLevel.Optimal;

    /// <inheritdoc/>
    public override string ToString() => $"K={K}: {Psnr:N2} dB, {CompressedBytes:N0} bytes";
}
