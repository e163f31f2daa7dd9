using KMeansPS.Imaging.Histograms;
using KMeansPS.Imaging.Metrics;
using KMeansPS.Imaging.Palettes;

namespace KMeansPS.Imaging.Quantization;

/// <summary>
/// The palette of <see cref="QuantizeOptions.MinPsnr"/>: <see cref="QualityFloorSearch"/> over K with each candidate's
/// PSNR measured exactly as the result's will be (<see cref="ImageMetrics"/>, against the original). On an exact
/// histogram without dithering, GIF's binary alpha or a 16-bit source that is the histogram's count-weighted error (no pixel is read);
/// otherwise the pixels are mapped as <see cref="ImageQuantizer"/> will map them (dithered, nearest, or through the
/// histogram's labels) and measured.
/// </summary>
internal static class QualityFloorPalette
{
    /// <param name="original">The decoded image, which PSNR is measured against.</param>
    /// <param name="mapped">The image the palette is applied to (GIF output: alpha made binary), else the original.</param>
    /// <param name="histogram">The colours of <paramref name="mapped"/>.</param>
    /// <param name="dither">Floyd-Steinberg mapping.</param>
    /// <param name="maxK">The most colours (-K).</param>
    /// <param name="minPsnr">The floor in dB.</param>
    /// <param name="build">Fits a palette of K colours on the histogram.</param>
    /// <param name="maxDegreeOfParallelism">Threads for nearest mapping.</param>
    /// <param name="cancellationToken">Stops the search.</param>
    /// <returns>The fewest colours found that reach the floor, and their palette.</returns>
    /// <exception cref="QualityFloorException"><paramref name="maxK"/> colours miss the floor.</exception>
    public static (int K, Palette Fit) Choose(RgbaImage original, RgbaImage mapped, ColorHistogram histogram, bool dither,
        int maxK, double minPsnr, Func<int, Palette> build, int? maxDegreeOfParallelism, CancellationToken cancellationToken)
    {
        bool fromHistogram = histogram.IsExact && !dither && ReferenceEquals(original, mapped) && original.Wide is null;
        double values = (original.HasAlpha() ? 4.0 : 3.0) * original.PixelCount;
        return QualityFloorSearch.Find(maxK, minPsnr, k =>
        {
            Palette fit = build(k);
            double squaredError = fromHistogram
                ? PaletteBuilder.TotalError(histogram.Colors, histogram.Counts, fit.Entries, fit.ColorToEntry)
                : MappedError(original, mapped, histogram, fit, dither, maxDegreeOfParallelism, cancellationToken);
            return new QualityFloorSearch.Candidate<Palette>(fit, ImageMetrics.PsnrFromMse(squaredError / values));
        }, cancellationToken);
    }

    // The branches follow ImageQuantizer's mapping, so the candidate's pixels are the result's.
    private static double MappedError(RgbaImage original, RgbaImage mapped, ColorHistogram histogram, Palette fit, bool dither,
        int? maxDegreeOfParallelism, CancellationToken cancellationToken)
    {
        if (dither && !fit.Lossless)
            return ImageMetrics.SquaredError(original, FloydSteinbergDither.Map(mapped, fit.Entries, cancellationToken), fit.Entries, cancellationToken);
        byte[] indices = LargeBufferCache.Rent<byte>(mapped.Pixels.Length);
        try
        {
            if (mapped.Wide is not null) NearestPixelMapper.Map(mapped.Wide, fit.Entries, indices, maxDegreeOfParallelism, cancellationToken);
            else if (!histogram.IsExact) NearestPixelMapper.Map(mapped.Pixels, fit.Entries, indices, maxDegreeOfParallelism, cancellationToken);
            else histogram.MapPixels(mapped.Pixels, fit.ColorToEntry, indices, cancellationToken);
            return ImageMetrics.SquaredError(original, indices, fit.Entries, cancellationToken);
        }
        finally
        {
            LargeBufferCache.Return(indices);
        }
    }
}
