using KMeansPS.Imaging.Metrics;
using KMeansPS.Imaging.Palettes;

namespace KMeansPS.Imaging.Quantization;

/// <summary>
/// Encodes a quantized image while its metrics (MSE, PSNR, SSIM) are computed on another thread. Both only read the
/// source pixels and the indices, and a small image deflates its one layout on one thread, so the metrics take the
/// idle core instead of following the encode (Compress-ImageKMeans, and each K of Measure-ImageKMeans).
/// </summary>
internal static class MetricsBesideEncoder
{
    /// <summary>
    /// Runs <paramref name="encode"/>; with <paramref name="computeMetrics"/>, the metrics run beside it and are returned
    /// with its result, after <paramref name="progress"/> is told the metrics stage. However this ends (the encode
    /// throws, the metrics throw, a progress callback throws) the metrics have finished before it returns or throws.
    /// </summary>
    public static (T Encoded, ImageMetrics? Metrics) Run<T>(RgbaImage image, QuantizedImage quantized, bool computeMetrics,
        int? maxDegreeOfParallelism, Func<T> encode, IProgress<QuantizeProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(encode);
        // The squared error the mapping already summed (same order, same bits), so only SSIM reads the pixels.
        Task<ImageMetrics>? metricsTask = computeMetrics
            ? Task.Run(() => ImageMetrics.Compute(image, quantized, quantized.SquaredErrorOfSource, maxDegreeOfParallelism, cancellationToken),
                cancellationToken)
            : null;
        try
        {
            T encoded = encode();
            if (metricsTask is null) return (encoded, null);
            progress?.Report(new QuantizeProgress(QuantizeStage.Metrics, 0, 0));
            return (encoded, metricsTask.GetAwaiter().GetResult());
        }
        finally
        {
            // Wait runs the task here if no thread has taken it yet, returns at once if it is done, and observes a
            // fault or cancellation, which is dropped: the error that counts (the encode's, or the metrics' own from
            // GetResult) has been thrown above.
            try
            {
                metricsTask?.Wait(CancellationToken.None);
            }
            catch (AggregateException)
            {
            }
        }
    }
}
