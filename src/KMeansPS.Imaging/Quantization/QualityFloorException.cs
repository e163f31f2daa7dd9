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

    /// <summary>
    /// The floor missed at <paramref name="k"/> colours, whose palette gave <paramref name="psnr"/> dB with every pixel at
    /// its nearest colour (the most they reach: the file written at that K without a floor lets short runs take their
    /// neighbour's colour for size, a little lower); <paramref name="path"/> names the image when known.
    /// </summary>
    public QualityFloorException(int k, double psnr, double minPsnr, string? path = null)
        : base(string.Create(CultureInfo.InvariantCulture,
            $"{(path is null ? "The image" : $"'{path}'")} reaches at most {psnr:F2} dB PSNR with {k} colours (each pixel at its nearest colour), below -MinPsnr {minPsnr:F2} dB; nothing was written. Allow more colours (-K, at most 256) or lower -MinPsnr."))
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
