namespace KMeansPS.Imaging.Quantization;

/// <summary>How one K did on one image (plain values only, for callers outside this assembly's dependencies).</summary>
internal sealed record KSweepPoint(
    int K, int ColorsUsed, double Mse, double Psnr, double Ssim, double SquaredError, long PngBytes,
    int Iterations, bool Converged, TimeSpan Elapsed);
