namespace KMeansPS.Output;

/// <summary>How one K did on one image: a row of Measure-ImageKMeans.</summary>
public sealed class ImageKMeasurement
{
    public required string Path { get; init; }
    public required int K { get; init; }
    /// <summary>Palette entries actually used (fewer than K when the image has fewer colours).</summary>
    public required int ColorsUsed { get; init; }
    public required double Psnr { get; init; }
    public required double Ssim { get; init; }
    public required double Mse { get; init; }
    /// <summary>Sum over pixels of squared error of the 8-bit result (MSE x channels x pixels): the inertia the palette achieves.</summary>
    public required double Inertia { get; init; }
    /// <summary>Size of the palette PNG this K gives (encoded in memory; nothing is written).</summary>
    public required long CompressedBytes { get; init; }
    public required long OriginalBytes { get; init; }
    public double Ratio => CompressedBytes == 0 ? 0 : (double)OriginalBytes / CompressedBytes;
    public required int Iterations { get; init; }
    public required bool Converged { get; init; }
    public required TimeSpan Elapsed { get; init; }
    /// <summary>True on the row of the suggested K.</summary>
    public bool Suggested { get; internal set; }
    /// <summary>Why this K is (or would be) suggested: the elbow of the error curve, or the smallest K meeting -MinPsnr.</summary>
    public string? Reason { get; internal set; }
    public required int Seed { get; init; }

    public override string ToString() => $"K={K}: {Psnr:N2} dB, {CompressedBytes:N0} bytes";
}
