using KMeansPS.Imaging.Palettes;

namespace KMeansPS.Imaging.Quantization;

/// <summary>
/// The fewest colours, at most a given K, whose palette reaches a PSNR floor (pngquant's --quality min, in dB). The
/// most colours are tried first: if even they miss the floor, <see cref="QualityFloorException"/>. Otherwise a
/// bisection over K between a count known to miss (at first 1, which no palette has) and one known to reach it, with
/// the midpoint the geometric mean of the two while they differ by more than a factor of 2 (PSNR grows about linearly
/// in log K, and small K are the cheap fits), then the plain middle: at most 11 fits for K = 256, not a sweep of every K. The answer reaches the floor and one colour fewer did not
/// (or it is 2). Each fit is seeded as given, so the answer is the same on every run and thread count.
/// </summary>
internal static class QualityFloorSearch
{
    /// <summary>One fit: what it made and its PSNR in dB.</summary>
    internal readonly record struct Candidate<T>(T Fit, double Psnr);

    /// <summary>Searches K in [<see cref="PaletteBuilder.MinColors"/>, <paramref name="maxK"/>]; <paramref name="evaluate"/> fits and measures one K.</summary>
    /// <returns>The K chosen and its fit.</returns>
    /// <exception cref="QualityFloorException"><paramref name="maxK"/> colours miss the floor.</exception>
    public static (int K, T Fit) Find<T>(int maxK, double minPsnr, Func<int, Candidate<T>> evaluate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(evaluate);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxK, PaletteBuilder.MinColors);
        if (double.IsNaN(minPsnr)) throw new ArgumentOutOfRangeException(nameof(minPsnr), "The PSNR floor is not a number.");

        Candidate<T> best = evaluate(maxK);
        if (!(best.Psnr >= minPsnr)) throw new QualityFloorException(maxK, best.Psnr, minPsnr);
        int reaches = maxK, misses = PaletteBuilder.MinColors - 1;
        while (reaches - misses > 1)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Geometric while the range spans more than a doubling, then plain halving: the fewest fits in all.
            double middle = reaches > 2 * misses ? Math.Sqrt((double)misses * reaches) : (misses + reaches) / 2.0;
            int k = Math.Clamp((int)Math.Round(middle), misses + 1, reaches - 1);
            Candidate<T> candidate = evaluate(k);
            if (candidate.Psnr >= minPsnr) (reaches, best) = (k, candidate);
            else misses = k;
        }
        return (reaches, best.Fit);
    }
}
