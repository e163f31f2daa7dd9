using KMeansPS.Imaging.ColorSpaces;
using KMeansPS.Imaging.Quantization;
using KMeansPS.Output;

namespace KMeansPS.Bridge;

/// <summary>
/// One image's K sweep for Measure-ImageKMeans, on a worker thread. Tells the file's progress: which K is being fitted
/// (of how many), its stage, and the share of the sweep done (decoding a tenth, each K an equal part of the rest).
/// </summary>
internal sealed class ImageSweepRun(string path, int[] ks, int seed, long maxPixels, Output.ColorSpace colorSpace,
    System.IO.Compression.CompressionLevel compression)
    : IProgress<int>, IProgress<QuantizeProgress>
{
    private volatile int _done;
    private Pipeline.ItemProgress? _progress;

    public int Done => _done;

    /// <summary>What the image's decoder said of it (a JPEG's data no block used), once <see cref="Run"/> has read it.</summary>
    public string? DecodeWarning { get; private set; }

    public void Report(int value) => _done = value;

    public void Report(QuantizeProgress value)
    {
        if (_progress is null || FileStages.Describe(value) is not var (stage, detail, percent)) return;
        if (value.Stage == QuantizeStage.Decoding)
        {
            _progress.Report(stage, detail, 0);
            return;
        }
        int done = _done;
        int k = ks[Math.Min(done, ks.Length - 1)];
        string what = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"K={k} ({done + 1} of {ks.Length}), {stage}");
        _progress.Report(what, detail, 10 + (int)(90 * (done + percent / 100.0) / ks.Length));
    }

    public List<ImageKMeasurement> Run(Pipeline.ItemProgress? progress, CancellationToken cancellationToken)
    {
        _progress = progress;
        KSweepResult result = KSweep.Run(path, ks, (ulong)seed, colorSpace.ToImaging(), maxPixels, this,
            OutputProvenance.MarkersForSweep(seed, colorSpace, compression), this, compression, cancellationToken);
        DecodeWarning = result.DecodeWarning;
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
            CompressionLevel = compression,
        }).ToList();
    }
}
