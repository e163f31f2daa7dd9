using KMeansPS.Imaging.ColorSpaces;
using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.IO;
using KMeansPS.Imaging.Metrics;
using KMeansPS.Imaging.Palettes;

namespace KMeansPS.Imaging.Quantization;

/// <summary>
/// Quantizes one image at several K, decoding it once, and measures each result: quality against the
/// original and the size of the palette PNG (encoded to a counting stream; nothing is written).
/// </summary>
internal static class KSweep
{
    /// <summary>
    /// Decodes <paramref name="path"/> once and measures each K of <paramref name="ks"/>; <paramref name="completed"/> is
    /// told how many are done after each. <paramref name="markerFor"/> gives the marker a written output of that K would
    /// carry (its source hash filled in here), and the source's metadata is carried as Compress-ImageKMeans carries it by
    /// default, so the sizes are those of the files it writes. <paramref name="stages"/> is told each stage
    /// of each K (as <see cref="ImageQuantizer"/> tells them), so a long sweep shows where it is. Each PNG is deflated at
    /// <paramref name="compression"/>, as Compress-ImageKMeans -CompressionLevel deflates it (the pixels are the same at every level).
    /// </summary>
    public static KSweepResult Run(string path, IReadOnlyList<int> ks, ulong seed, QuantizeColorSpace colorSpace, long maxPixels,
        IProgress<int>? completed = null, Func<int, Provenance.OutputMarker?>? markerFor = null,
        IProgress<QuantizeProgress>? stages = null,
        System.IO.Compression.CompressionLevel compression = System.IO.Compression.CompressionLevel.Optimal, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(ks);
        stages?.Report(new QuantizeProgress(QuantizeStage.Decoding, 0, 0));
        // Read as Compress-ImageKMeans reads it: the same pixels, and the metadata and source hash its output would carry.
        ImageIntake.Intake intake = ImageIntake.Read(path, maxPixels, countColors: false, keepPixelIndexUpTo: 0, threads: 1,
            collectMetadata: true, cancellationToken);
        RgbaImage image = intake.Image;
        long originalBytes = intake.SourceLength;
        var points = new List<KSweepPoint>(ks.Count);
        foreach (int k in ks)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            QuantizedImage quantized = ImageQuantizer.Quantize(image, new QuantizeOptions
            {
                K = k,
                Seed = seed,
                MaxPixels = maxPixels,
                ColorSpace = colorSpace,
                Compression = compression,
            }, stages, cancellationToken);
            stages?.Report(new QuantizeProgress(QuantizeStage.Encoding, 0, 0));
            (long bytes, ImageMetrics? measured) = MetricsBesideEncoder.Run(image, quantized, computeMetrics: true, null, () =>
            {
                var counter = new CountingStream();
                quantized.WritePng(counter, intake.Stamp(markerFor?.Invoke(k), path, cancellationToken), intake.Metadata, compression, null,
                    cancellationToken);
                return counter.Length;
            }, stages, cancellationToken);
            ImageMetrics metrics = measured ?? throw new InvalidOperationException("The metrics were asked for.");
            points.Add(new KSweepPoint(k, quantized.Palette.Length, metrics.Mse, metrics.Psnr, metrics.Ssim,
                metrics.Mse * metrics.Channels * image.PixelCount, bytes, quantized.Fit.Iterations,
                quantized.Fit.Converged, clock.Elapsed));
            completed?.Report(points.Count);
        }
        return new KSweepResult(image.Width, image.Height, originalBytes, points, image.DecodeWarning);
    }
}
