using System.Globalization;

namespace KMeansPS.Imaging.Quantization;

/// <summary>
/// Even the most colours allowed do not reach the asked-for PSNR (pngquant's exit 99, "quality too low"): nothing is
/// written. The module reports it as QualityTooLow.
/// </summary>
internal sealed class QualityFloorException : Exception
{
    public QualityFloorException(string message) : base(message) { }

    public QualityFloorException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The floor missed at <paramref name="k"/> colours, which gave <paramref name="psnr"/> dB; <paramref name="path"/> names the image when known.</summary>
    public QualityFloorException(int k, double psnr, double minPsnr, string? path = null)
        : base(string.Create(CultureInfo.InvariantCulture,
            $"{(path is null ? "The image" : $"'{path}'")} reaches only {psnr:F2} dB PSNR with {k} colours, below -MinPsnr {minPsnr:F2} dB; nothing was written. Allow more colours (-K, at most 256) or lower -MinPsnr."))
    {
        K = k;
        Psnr = psnr;
        MinPsnr = minPsnr;
    }

    /// <summary>The most colours tried.</summary>
    public int K { get; }

    /// <summary>The PSNR they reached, in dB.</summary>
    public double Psnr { get; }

    /// <summary>The floor asked for, in dB.</summary>
    public double MinPsnr { get; }
}
