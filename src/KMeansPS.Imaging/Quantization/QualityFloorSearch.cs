using KMeansPS.Imaging.Palettes;

namespace KMeansPS.Imaging.Quantization;

/// <summary>
/// The fewest colours, at most a given K, whose palette reaches a PSNR floor (pngquant's --quality min, in dB). The
/// most colours are tried first: if even they miss the floor, <see cref="QualityFloorException"/>. Otherwise the search
/// keeps a count known to miss (at first 1, which no palette has) and one known to reach the floor, and tries next the
/// count where the floor falls on the line through their PSNRs in log K (PSNR grows about linearly in log K; before any
/// miss is measured, a slope of 2 dB per doubling, low for images, so the first guess tends to land just below the
/// answer). A step that does not halve the range is followed by a plain halving (geometric while the range spans more
/// than a doubling), so the search never takes more than about twice bisection's fits; on images it takes 4-7 where
/// bisection took 8-11, and most of the saving is at the large, expensive counts. The answer reaches the floor and one
/// colour fewer did not (or it is 2). Each fit is seeded as given, so the answer is the same on every run and thread count.
/// </summary>
internal static class QualityFloorSearch
{
    // dB per doubling of K assumed for the first guess, before two measured points give the real slope.
    private const double FirstGuessSlope = 2.0;

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
        double missPsnr = double.NaN;
        bool halve = false;
        while (reaches - misses > 1)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int width = reaches - misses;
            double guess = halve ? Middle(misses, reaches) : Interpolate(misses, missPsnr, reaches, best.Psnr, minPsnr);
            int k = Math.Clamp((int)Math.Round(guess), misses + 1, reaches - 1);
            Candidate<T> candidate = evaluate(k);
            if (candidate.Psnr >= minPsnr) (reaches, best) = (k, candidate);
            else (misses, missPsnr) = (k, candidate.Psnr);
            // A guess that did not halve the range is followed by a halving: never much worse than bisection.
            halve = !halve && 2 * (reaches - misses) > width;
        }
        return (reaches, best.Fit);
    }

    // Geometric while the range spans more than a doubling (small K are the cheap fits), then the plain middle.
    private static double Middle(int misses, int reaches) =>
        reaches > 2 * misses ? Math.Sqrt((double)misses * reaches) : (misses + reaches) / 2.0;

    // Where the floor falls on the line through (log K, PSNR) of the two ends; before a miss is measured, from the
    // reaching end with the assumed slope (rounded down: a guess below the answer brackets it from both sides).
    private static double Interpolate(int misses, double missPsnr, int reaches, double reachPsnr, double floor)
    {
        // A lossless end (infinite PSNR) gives no slope: halve instead.
        if (double.IsInfinity(reachPsnr)) return Middle(misses, reaches);
        if (double.IsNaN(missPsnr)) return Math.Floor(reaches * Math.Pow(2, -(reachPsnr - floor) / FirstGuessSlope));
        double t = reachPsnr > missPsnr ? Math.Clamp((floor - missPsnr) / (reachPsnr - missPsnr), 0, 1) : 0.5;
        return Math.Exp(Math.Log(misses) + t * (Math.Log(reaches) - Math.Log(misses)));
    }
}
