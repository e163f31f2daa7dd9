namespace KMeansPS.Imaging.Quantization;

/// <summary>The measurements of one image, and what its decoder said of it (<see cref="RgbaImage.DecodeWarning"/>).</summary>
internal sealed record KSweepResult(int Width, int Height, long OriginalBytes, IReadOnlyList<KSweepPoint> Points, string? DecodeWarning = null);
