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
    /// <summary>Structural similarity, 1 = identical.</summary>
    public required double Ssim { get; init; }
    /// <summary>Mean squared error per channel, 0-255 scale.</summary>
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
    /// <summary>Why this K is (or would be) suggested: the elbow of the error curve, or the smallest K meeting -MinPsnr.</summary>
    public string? Reason { get; internal set; }
    /// <summary>The seed that reproduces this row.</summary>
    public required int Seed { get; init; }
    /// <summary>The deflate level the sizes were measured at (Compress-ImageKMeans -CompressionLevel).</summary>
    public System.IO.Compression.CompressionLevel CompressionLevel { get; init; } = System.IO.Compression.CompressionLevel.Optimal;

    /// <inheritdoc/>
    public override string ToString() => $"K={K}: {Psnr:N2} dB, {CompressedBytes:N0} bytes";
}
