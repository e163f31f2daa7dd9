using KMeansPS.Engine;
using KMeansPS.Imaging.ColorSpaces;

namespace KMeansPS.Imaging.Quantization;

/// <summary>What <see cref="ImageQuantizer"/> did to one image.</summary>
internal sealed class QuantizeResult
{
    public required string Source { get; init; }
    public required string Destination { get; init; }
    public required ImageOutputFormat Format { get; init; }
    public required int Width { get; init; }
    public required int Height { get; init; }
    /// <summary>The K asked for.</summary>
    public required int K { get; init; }
    /// <summary>The colours the palette was fitted with: <see cref="K"/>, or with <see cref="QuantizeOptions.MinPsnr"/> the fewest that reached it.</summary>
    public required int ChosenK { get; init; }
    /// <summary>Distinct colours of the decoded image (all fully transparent pixels count as one).</summary>
    public required int SourceColors { get; init; }

    /// <summary>True when <see cref="SourceColors"/> is a lower bound (the image has more colours than its histogram holds).</summary>
    public bool SourceColorsIsLowerBound { get; init; }

    /// <summary>Palette entries in the output (entries no pixel uses are dropped).</summary>
    public required int ColorsUsed { get; init; }
    /// <summary>True when the image had K or fewer colours and was kept exactly.</summary>
    public required bool Lossless { get; init; }
    public required int Iterations { get; init; }
    public required bool Converged { get; init; }
    /// <summary>MSE per channel, 0-255 scale; NaN when metrics were not asked for.</summary>
    public required double Mse { get; init; }
    /// <summary>PSNR in dB; +infinity when MSE is 0; NaN when metrics were not asked for.</summary>
    public required double Psnr { get; init; }
    /// <summary>Mean SSIM on luma (see <see cref="Metrics.Ssim"/>); NaN when metrics were not asked for.</summary>
    public required double Ssim { get; init; }
    /// <summary>3 when PSNR is over RGB (opaque source), 4 when over premultiplied RGBA.</summary>
    public required int MetricChannels { get; init; }
    public required long OriginalBytes { get; init; }
    /// <summary>Size of the encoded output (also when it was not written).</summary>
    public required long CompressedBytes { get; init; }
    /// <summary>False when <see cref="QuantizeOptions.SkipIfLarger"/> kept the output from being written (it was not smaller than the source).</summary>
    public required bool Written { get; init; }
    /// <summary>OriginalBytes / CompressedBytes.</summary>
    public double CompressionRatio => CompressedBytes == 0 ? 0 : (double)OriginalBytes / CompressedBytes;
    public required TimeSpan Elapsed { get; init; }
    /// <summary>SIMD width of the clustering kernels; null when nothing was clustered (lossless).</summary>
    public required InstructionSet? InstructionSet { get; init; }
    /// <summary>Seed of the initialisation (drawn when none was given), to repeat the run.</summary>
    public required ulong Seed { get; init; }
    public required QuantizeColorSpace ColorSpace { get; init; }
    public required DitherMode Dither { get; init; }
    /// <summary>The comparison figure written, or null.</summary>
    public string? ComparisonPath { get; init; }
    /// <summary>A note from the engine (K lowered, say), or null.</summary>
    public string? Warning { get; init; }
}
