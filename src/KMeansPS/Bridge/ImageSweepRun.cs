using KMeansPS.Imaging.ColorSpaces;
using KMeansPS.Imaging.Quantization;
using KMeansPS.Output;

namespace KMeansPS.Bridge;

/// <summary>One image's K sweep for Measure-ImageKMeans, on a worker thread, counting K values done for progress.</summary>
internal sealed class ImageSweepRun(string path, int[] ks, int seed, long maxPixels, Output.ColorSpace colorSpace) : IProgress<int>
{
    private volatile int _done;

    public int Done => _done;

    public void Report(int value) => _done = value;

    public List<ImageKMeasurement> Run(CancellationToken cancellationToken)
    {
        KSweepResult result = KSweep.Run(path, ks, (ulong)seed, colorSpace.ToImaging(), maxPixels, this,
            OutputProvenance.MarkersForSweep(path, seed, colorSpace, cancellationToken), cancellationToken);
        return result.Points.Select(p => new ImageKMeasurement
        {
            Path = path,
            K = p.K,
            ColorsUsed = p.ColorsUsed,
            Psnr = p.Psnr,
            Ssim = p.Ssim,
            Mse = p.Mse,
            Inertia = p.SquaredError,
            CompressedBytes = p.PngBytes,
            OriginalBytes = result.OriginalBytes,
            Iterations = p.Iterations,
            Converged = p.Converged,
            Elapsed = p.Elapsed,
            Seed = seed,
        }).ToList();
    }
}
