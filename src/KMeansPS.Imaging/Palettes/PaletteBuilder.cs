using System.Runtime.CompilerServices;
using KMeansPS.Engine;
using KMeansPS.Engine.Fitting;
using KMeansPS.Imaging.ColorSpaces;
using KMeansPS.Imaging.Histograms;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Palettes;

/// <summary>
/// Chooses a palette by weighted k-means on the distinct colours of an image.
/// <list type="bullet">
/// <item>Fully transparent pixels take a reserved (0,0,0,0) entry and are not clustered.</item>
/// <item>K or fewer distinct colours: the palette is those colours, exactly.</item>
/// <item>Rgb: points are (R, G, B) when the visible colours are all opaque, else premultiplied
/// (R a/255, G a/255, B a/255, A). OkLab: (L, a, b), or (L α, a α, b α, α) with α = A/255.</item>
/// <item>An Rgb centre becomes the 8-bit entry nearest to it in premultiplied RGBA (<see cref="MetricColor.FromMetric"/>),
/// an OkLab centre its rounded sRGB; then each colour takes the nearest entry in premultiplied RGBA, the space PSNR
/// is measured in. In Rgb, a few Lloyd steps in that 8-bit space repair the rounding.</item>
/// <item>Small histograms are fitted from several seedings and the lowest-error palette is kept.</item>
/// </list>
/// </summary>
internal static class PaletteBuilder
{
    /// <summary>The fewest colours a palette is built with.</summary>
    public const int MinColors = 2;

    /// <summary>The most colours a palette holds: PNG and GIF palettes stop at 256.</summary>
    public const int MaxColors = 256;

    /// <summary>Lloyd steps on the rounded palette (Rgb only); each is kept only if it lowers the error.</summary>
    private const int RefinementSteps = 4;

    /// <summary>Most seedings tried within <see cref="SeedingBudget"/>.</summary>
    internal const int Seedings = 4;

    /// <summary>Most seedings tried within <see cref="SmallSeedingBudget"/>.</summary>
    internal const int MaxSeedings = 16;

    /// <summary>
    /// Colours x clusters x seedings spent on extra seedings: screenshots and logos (a few thousand colours) get
    /// four for a few milliseconds, mid-size histograms (a photo at small K, a large logo) two, and the largest one.
    /// </summary>
    internal const long SeedingBudget = 1L << 24;

    /// <summary>
    /// A quarter of <see cref="SeedingBudget"/>, spent on up to <see cref="MaxSeedings"/> seedings: one seeding's
    /// result on a GUI screenshot with soft shadows (a thousand or two colours) spreads over half a dB at K = 16,
    /// so four seedings can still land a quarter of a dB below one lucky seeding of scikit-learn; sixteen cost tens of
    /// milliseconds there (perf/README), and nothing for larger histograms, which this budget does not reach.
    /// </summary>
    internal const long SmallSeedingBudget = SeedingBudget / 4;

    /// <summary>How many seedings a histogram of <paramref name="colors"/> colours gets at <paramref name="clusters"/>.</summary>
    internal static int SeedingsFor(long colors, int clusters)
    {
        long work = Math.Max(1L, colors * clusters);
        return (int)Math.Max(Math.Clamp(SeedingBudget / work, 1L, Seedings), Math.Min(SmallSeedingBudget / work, MaxSeedings));
    }

    /// <summary>Most split-and-remove moves tried after the seedings (<see cref="ClusterSwap"/>).</summary>
    internal const int MaxSwaps = 1;

    /// <summary>
    /// Colours x clusters up to which the best seeding gets a split-and-remove move: it costs about one more fit from a
    /// near-converged start, 10-16 ms of a 110-150 ms palette stage on a GUI screenshot's 29,029 colours at K = 16
    /// (perf/README, "A move out of the seedings' optimum"); larger histograms are left as they are.
    /// </summary>
    internal const long SwapBudget = SmallSeedingBudget / 4;

    /// <summary>How many moves a histogram of <paramref name="colors"/> colours gets at <paramref name="clusters"/>.</summary>
    internal static int SwapsFor(long colors, int clusters) => colors * clusters <= SwapBudget ? MaxSwaps : 0;

    public static Palette Build(ColorHistogram histogram, int k, QuantizeColorSpace colorSpace, KMeansAlgorithm algorithm,
        int maxIterations, double tolerance, ulong seed, int? maxDegreeOfParallelism,
        IProgress<KMeansProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Build(histogram, k, colorSpace, algorithm, maxIterations, tolerance, seed, maxDegreeOfParallelism, progress, null, null, cancellationToken);

    /// <summary>
    /// As the public overload; <paramref name="seedings"/> and <paramref name="swaps"/> override how many seedings and
    /// moves are tried (tests).
    /// </summary>
    internal static Palette Build(ColorHistogram histogram, int k, QuantizeColorSpace colorSpace, KMeansAlgorithm algorithm,
        int maxIterations, double tolerance, ulong seed, int? maxDegreeOfParallelism,
        IProgress<KMeansProgress>? progress, int? seedings, int? swaps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        if (k is < MinColors or > MaxColors)
            throw new ArgumentOutOfRangeException(nameof(k), k, "K must be between 2 and 256.");
        Rgba32[] colors = histogram.Colors;
        int transparent = histogram.TransparentIndex;

        if (colors.Length <= k)
        {
            var identity = new int[colors.Length];
            for (int i = 0; i < identity.Length; i++) identity[i] = i;
            return new Palette((Rgba32[])colors.Clone(), identity, lossless: true, 0, converged: true, null, seed, null);
        }

        // The visible colours, clustered with their counts as weights.
        int m = transparent >= 0 ? colors.Length - 1 : colors.Length;
        // Working arrays (every element written below; handed back at the end): megabytes for a photo.
        int[] visible = LargeBufferCache.Rent<int>(m);
        bool partialAlpha = false;
        for (int i = 0, j = 0; i < colors.Length; i++)
        {
            if (i == transparent) continue;
            visible[j++] = i;
            if (colors[i].A != 255) partialAlpha = true;
        }
        int d = partialAlpha ? 4 : 3;
        float[] data = LargeBufferCache.Rent<float>(checked(m * d));
        // The colours in the space PSNR is measured in; for Rgb that is the clustering space itself.
        float[] metric = colorSpace == QuantizeColorSpace.Rgb ? data : LargeBufferCache.Rent<float>(m * d);
        float[] weights = LargeBufferCache.Rent<float>(m);
        for (int j = 0; j < m; j++)
        {
            Rgba32 c = colors[visible[j]];
            weights[j] = histogram.Counts[visible[j]];
            Span<float> p = data.AsSpan(j * d, d);
            if (colorSpace == QuantizeColorSpace.OkLab)
            {
                Span<float> q = metric.AsSpan(j * d, d);
                MetricColor.ToMetric(c, out q[0], out q[1], out q[2], out float qa);
                if (d == 4) q[3] = qa;
                (float l, float a, float b) = OkLab.FromSrgb(c.R, c.G, c.B);
                float alpha = c.A / 255f;
                if (d == 4) { p[0] = l * alpha; p[1] = a * alpha; p[2] = b * alpha; p[3] = alpha; }
                else { p[0] = l; p[1] = a; p[2] = b; }
            }
            else
            {
                MetricColor.ToMetric(c, out p[0], out p[1], out p[2], out float a);
                if (d == 4) p[3] = a;
            }
        }

        int clusters = transparent >= 0 ? k - 1 : k;
        // k-means finds a local optimum that depends on the seeding. When the histogram is small the fit is cheap,
        // so several seedings are tried and the palette with the lowest error in metric space is kept (ties: the
        // first). The seeds derive from the caller's seed, so the same seed still gives the same palette.
        int attempts = seedings ?? SeedingsFor(m, clusters);
        // Several seedings run side by side, each on its share of the workers (one each while more seedings than
        // workers are left): a small histogram's fit shares poorly between threads (each pass of each iteration is a
        // parallel loop of a few chunks). Once seedings are done, the passes of those still running take the freed
        // workers (SharedWorkers), since one seeding may take three times the iterations of another. A fit gives the
        // same bits on one thread as on several, so the palette is the same either way.
        int workers = maxDegreeOfParallelism ?? Environment.ProcessorCount;
        int side = Math.Min(attempts, workers);
        SharedWorkers? shared = side > 1 ? new SharedWorkers(workers, attempts) : null;
        using var points = new MetricPoints(metric, m, d, visible, colors.Length, transparent, maxDegreeOfParallelism, shared, cancellationToken);
        int moves = swaps ?? SwapsFor(m, clusters);
        // Every fit, a seeding's or a move's, with these settings; a move starts from given centres on all threads.
        KMeansOptions Options(ulong fitSeed, float[]? start, SharedWorkers? share, IProgress<KMeansProgress>? report) => new()
        {
            K = clusters,
            Algorithm = algorithm,
            Init = start is null ? KMeansInit.KMeansPlusPlus : KMeansInit.Given,
            InitialCentroids = start,
            MaxIterations = maxIterations,
            Tolerance = tolerance,
            Seed = fitSeed,
            MaxDegreeOfParallelism = maxDegreeOfParallelism,
            SharedWorkers = share,
            Progress = report,
            DistinctRows = true, // a histogram's colours: no row repeats, so the engine need not look for repeats
        };
        // Several fits of the same colours check, transpose and measure them once; a lone fit (a photo's palette)
        // does that within the fit, so its planes are not held beside the labelling's below.
        using PreparedFit? prepared = attempts > 1 || moves > 0
            ? new PreparedFit(data, m, d, weights, clusters, maxDegreeOfParallelism, cancellationToken)
            : null;
        FittedPalette FitPalette(KMeansOptions options)
        {
            KMeansResult fit = prepared is not null ? prepared.Fit(options, cancellationToken)
                : KMeans.Fit(data.AsSpan(0, m * d), d, weights.AsSpan(0, m), options, cancellationToken);
            // Colours are mapped below to the nearest 8-bit entry, not by the fit's labels: those go back to the cache,
            // unless a move will start from this fit.
            int[]? labels = moves > 0 ? fit.Labels : null;
            if (labels is null) LargeBufferCache.Return(fit.Labels);

            var entries = new List<Rgba32>(k);
            if (transparent >= 0) entries.Add(default);
            for (int c = 0; c < fit.K; c++)
                entries.Add(ToEntry(fit.Centroids.AsSpan(c * d, d), colorSpace));

            Rgba32[] palette = entries.ToArray();
            int[] map = points.AssignNearest(palette, cancellationToken);
            // Refine ends knowing the error of what it keeps; only one seeding with no move after it needs no error.
            double error = colorSpace == QuantizeColorSpace.Rgb ? Refine(histogram, transparent, palette, map, points, cancellationToken)
                : attempts == 1 && moves == 0 ? 0 : TotalError(colors, histogram.Counts, palette, map);
            return new FittedPalette(new Palette(palette, map, lossless: false, fit.Iterations, fit.Converged, fit.InstructionSet, seed, fit.Warning),
                error, fit.Centroids, labels);
        }
        var tried = new FittedPalette[attempts];
        void Attempt(int attempt)
        {
            try
            {
                tried[attempt] = FitPalette(Options(unchecked(seed + (ulong)attempt * 0x9E3779B97F4A7C15UL), null, shared,
                    attempt == 0 ? progress : null));
            }
            finally
            {
                shared?.Done(); // its labelling and refinement too: the others' passes may take its worker now
            }
        }
        // The engine's scheduler: in order on one worker, else each worker takes the next seeding; errors unwrapped.
        ChunkScheduler.Run(attempts, side, (_, attempt) => Attempt(attempt), cancellationToken);
        int best = 0;
        for (int attempt = 1; attempt < attempts; attempt++)
            if (tried[attempt].Error < tried[best].Error) best = attempt;
        for (int attempt = 0; attempt < attempts; attempt++)
            if (attempt != best) tried[attempt].Release();
        FittedPalette kept = tried[best];
        // Split-and-remove moves from the best seeding, each kept only if it lowers the error (ClusterSwap).
        for (int move = 0; move < moves; move++)
        {
            float[]? start = ClusterSwap.SplitAndRemove(data.AsSpan(0, m * d), weights.AsSpan(0, m), m, d, kept.Centres, kept.Labels, cancellationToken);
            if (start is null) break;
            FittedPalette moved = FitPalette(Options(0, start, null, null));
            bool better = moved.Error < kept.Error;
            (better ? kept : moved).Release();
            if (!better) break;
            // Its iterations, convergence and warning are the move's fit's: the fit the palette's centres came from.
            kept = moved;
        }
        if (kept.Labels is not null) LargeBufferCache.Return(kept.Labels);
        prepared?.Dispose(); // unpins data before it goes back to the cache (the using only covers a throw)
        LargeBufferCache.Return(visible);
        LargeBufferCache.Return(weights);
        LargeBufferCache.Return(data);
        if (!ReferenceEquals(metric, data)) LargeBufferCache.Return(metric);
        return kept.Palette;
    }

    /// <summary>
    /// One fit's palette with its error, its centres in the clustering space and, when a move may start from it, the
    /// fit's labels (rented).
    /// </summary>
    private readonly struct FittedPalette(Palette palette, double error, float[] centres, int[]? labels)
    {
        public Palette Palette { get; } = palette;
        public double Error { get; } = error;
        public float[] Centres { get; } = centres;
        public int[]? Labels { get; } = labels;

        /// <summary>Hands the rented colour map and labels back to the cache: this palette is not the one kept.</summary>
        public void Release()
        {
            LargeBufferCache.Return(Palette.ColorToEntry);
            if (Labels is not null) LargeBufferCache.Return(Labels);
        }
    }

    /// <summary>An 8-bit straight-alpha entry from a centre in the clustering space.</summary>
    private static Rgba32 ToEntry(ReadOnlySpan<float> centre, QuantizeColorSpace colorSpace)
    {
        bool hasAlpha = centre.Length == 4;
        if (colorSpace == QuantizeColorSpace.Rgb)
            return MetricColor.FromMetric(centre[0], centre[1], centre[2], hasAlpha ? centre[3] : 255.0);

        double alpha = hasAlpha ? Math.Clamp((double)centre[3], 0, 1) : 1;
        byte a8 = MetricColor.ToByte(alpha * 255);
        if (a8 == 0) return default;
        double s = hasAlpha ? 1 / alpha : 1;
        (double r, double g, double b) = OkLab.ToSrgb(centre[0] * s, centre[1] * s, centre[2] * s);
        return new Rgba32(MetricColor.ToByte(r), MetricColor.ToByte(g), MetricColor.ToByte(b), a8);
    }

    /// <summary>
    /// Lloyd steps in 8-bit premultiplied RGBA: each entry moves to the rounded weighted mean of its colours,
    /// colours move to their nearest entry. A step is kept only when it lowers the total squared error, so the
    /// result is never worse than the rounded k-means palette. Returns the total squared error of the palette kept.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Refine(ColorHistogram histogram, int transparent, Rgba32[] palette, int[] map, MetricPoints points,
        CancellationToken cancellationToken)
    {
        Rgba32[] colors = histogram.Colors;
        int[] counts = histogram.Counts;
        int first = transparent >= 0 ? 1 : 0;
        // One pass gives a mapping's error and its entries' sums: the sums are the next step's if that mapping is kept.
        var sums = new double[palette.Length * 4];
        var weight = new double[palette.Length];
        double error = ErrorAndSums(colors, counts, transparent, palette, map, sums, weight);
        for (int step = 0; step < RefinementSteps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var candidate = (Rgba32[])palette.Clone();
            bool changed = false;
            for (int e = first; e < palette.Length; e++)
            {
                if (weight[e] == 0) continue;
                double inv = 1 / weight[e];
                Rgba32 moved = MetricColor.FromMetric(sums[4 * e] * inv, sums[4 * e + 1] * inv, sums[4 * e + 2] * inv, sums[4 * e + 3] * inv);
                if (moved != palette[e]) { candidate[e] = moved; changed = true; }
            }
            if (!changed) return error;
            // Rented: handed back either way (a GUI screenshot's seedings make dozens of these a call).
            int[] candidateMap = points.AssignNearest(candidate, cancellationToken);
            var candidateSums = new double[palette.Length * 4];
            var candidateWeight = new double[palette.Length];
            double candidateError = ErrorAndSums(colors, counts, transparent, candidate, candidateMap, candidateSums, candidateWeight);
            bool better = candidateError < error;
            if (better)
            {
                error = candidateError;
                candidate.CopyTo(palette, 0);
                candidateMap.CopyTo(map, 0);
                (sums, weight) = (candidateSums, candidateWeight);
            }
            LargeBufferCache.Return(candidateMap);
            if (!better) return error;
        }
        return error;
    }

    /// <summary>
    /// <see cref="TotalError"/> of <paramref name="map"/> (the same sum, in the same order, so the same bits), and each
    /// entry's count-weighted sum of its visible colours in metric space and their total count, added to
    /// <paramref name="sums"/> (four per entry) and <paramref name="weight"/>: one pass and one conversion per colour.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double ErrorAndSums(Rgba32[] colors, int[] counts, int transparent, Rgba32[] palette, int[] map, double[] sums,
        double[] weight)
    {
        // The entries in metric space once (the floats MetricColor.SquaredDistance would make of them each time).
        var entries = new float[palette.Length * 4];
        for (int e = 0; e < palette.Length; e++)
            MetricColor.ToMetric(palette[e], out entries[4 * e], out entries[4 * e + 1], out entries[4 * e + 2], out entries[4 * e + 3]);
        double total = 0;
        // The entry being summed into is held in locals and written back when the next colour's entry differs:
        // neighbouring colours mostly share an entry, and adding through memory made each colour wait for the last
        // one's store. Each entry still takes its terms in colour order, so the sums are the same bits.
        int current = 0;
        double sr = sums[0], sg = sums[1], sb = sums[2], sa = sums[3], sw = weight[0];
        for (int i = 0; i < colors.Length; i++)
        {
            MetricColor.ToMetric(colors[i], out float r, out float g, out float b, out float a);
            int e = map[i];
            double dr = r - entries[4 * e], dg = g - entries[4 * e + 1], db = b - entries[4 * e + 2], da = a - entries[4 * e + 3];
            total += counts[i] * (dr * dr + dg * dg + db * db + da * da);
            if (i == transparent) continue;
            if (e != current)
            {
                sums[4 * current] = sr; sums[4 * current + 1] = sg; sums[4 * current + 2] = sb; sums[4 * current + 3] = sa;
                weight[current] = sw;
                current = e;
                sr = sums[4 * e]; sg = sums[4 * e + 1]; sb = sums[4 * e + 2]; sa = sums[4 * e + 3]; sw = weight[e];
            }
            double w = counts[i];
            sr += w * r; sg += w * g; sb += w * b; sa += w * a;
            sw += w;
        }
        sums[4 * current] = sr; sums[4 * current + 1] = sg; sums[4 * current + 2] = sb; sums[4 * current + 3] = sa;
        weight[current] = sw;
        return total;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double TotalError(Rgba32[] colors, int[] counts, Rgba32[] palette, int[] map)
    {
        double total = 0;
        for (int i = 0; i < colors.Length; i++) total += counts[i] * MetricColor.SquaredDistance(colors[i], palette[map[i]]);
        return total;
    }

    /// <summary>
    /// The visible colours in metric space, labelled against a palette with the engine's assign-only kernel.
    /// With D = 3 (every visible colour opaque) only opaque entries are candidates, since RGB alone cannot tell
    /// the reserved transparent entry from black.
    /// </summary>
    private sealed class MetricPoints(float[] metric, int m, int d, int[] visible, int colorCount, int transparent, int? maxDegreeOfParallelism,
        SharedWorkers? shared, CancellationToken token) : IDisposable
    {
        // The colours as planes once, for every seeding's labelling after its fit and after each refinement step. Made
        // at the first labelling, when a lone seeding's fit has handed its planes (the same size) back to the cache,
        // so a photo's palette does not hold two copies at once.
        private readonly Lazy<PreparedPoints> _prepared = new(() => new PreparedPoints(metric.AsSpan(0, m * d), d, token: token));

        public void Dispose()
        {
            if (_prepared.IsValueCreated) _prepared.Value.Dispose();
        }

        public int[] AssignNearest(Rgba32[] palette, CancellationToken cancellationToken)
        {
            var candidates = new List<int>(palette.Length);
            for (int e = 0; e < palette.Length; e++)
                if (d == 4 || palette[e].A == 255) candidates.Add(e);
            var centres = new float[candidates.Count * d];
            for (int c = 0; c < candidates.Count; c++)
            {
                MetricColor.ToMetric(palette[candidates[c]], out float r, out float g, out float b, out float a);
                centres[c * d] = r; centres[c * d + 1] = g; centres[c * d + 2] = b;
                if (d == 4) centres[c * d + 3] = a;
            }
            // Both rented (a photo has 10^5-10^6 colours); Assign writes every label, the loop below every visible
            // colour's entry, and the one colour that is not visible is the transparent one, set last.
            int[] labels = LargeBufferCache.Rent<int>(visible.Length);
            // A seeding's labelling takes its share of the workers, as its fit's passes do.
            int? degree = shared is null ? maxDegreeOfParallelism : shared.PerFit;
            _prepared.Value.Assign(centres, labels, degree, cancellationToken);
            int[] map = LargeBufferCache.Rent<int>(colorCount);
            for (int j = 0; j < visible.Length; j++) map[visible[j]] = candidates[labels[j]];
            if (transparent >= 0) map[transparent] = 0;
            LargeBufferCache.Return(labels);
            return map;
        }
    }
}
