namespace KMeansPS.Imaging.Quantization;

/// <summary>The measurements of one image.</summary>
internal sealed record KSweepResult(int Width, int Height, long OriginalBytes, IReadOnlyList<KSweepPoint> Points);
