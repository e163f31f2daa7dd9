using System.Buffers;
using System.Runtime.CompilerServices;
using KMeansPS.Imaging.ColorSpaces;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Palettes;

/// <summary>
/// Lets short runs of pixels take their left neighbour's entry instead of their own when that adds little error:
/// fewer, longer runs of one index, which deflate (and GIF's LZW) code in fewer bits. A row may add at most a share
/// of its own squared error (<see cref="DefaultErrorShare"/>), spent on its cheapest merges first: the row's short
/// runs, each costed against its left neighbour's entry as mapped and per run boundary removed, are sorted and those
/// that fit the budget set the largest cost per boundary taken; then one pass left to right merges a run when its
/// cost is within that and the budget still has room. So the image's squared error grows by at most that share
/// (PSNR falls by at most 10 log10(1 + share) dB), rows with little error (flat areas) barely change, and a row
/// never gets more index changes than it had. Fully transparent pixels and entries keep out of it: transparency stays
/// as mapped. Rows go in bands whose bounds depend on the width only, so the result does not depend on the threads.
/// </summary>
internal static class RunExtension
{
    /// <summary>0.4 % more squared error at most: PSNR 0.017 dB lower at most, for files 2-35 % smaller on photos (perf/README).</summary>
    public const double DefaultErrorShare = 0.004;

    private const int BandPixels = 1 << 16;

    /// <summary>The longest run that may take its left neighbour's entry.</summary>
    private const int MaxRun = 16;

    /// <summary>
    /// Switches pixels of <paramref name="indices"/> (one entry of <paramref name="palette"/> per pixel of
    /// <paramref name="image"/>, row by row) to their left neighbour's entry within the budget.
    /// </summary>
    /// <param name="image">The pixels the indices were mapped from.</param>
    /// <param name="indices">Changed in place.</param>
    /// <param name="palette">The entries the indices point to.</param>
    /// <param name="errorShare">The share of each row's squared error the switches may add; 0 changes nothing.</param>
    /// <param name="maxTotalError">If set, the image's squared error after the switches stays at or under it (a PSNR floor).</param>
    /// <param name="maxDegreeOfParallelism">Threads over bands of rows.</param>
    /// <param name="cancellationToken">Stops between bands.</param>
    /// <returns>The squared error added (metric space, summed over the pixels in row order).</returns>
    public static double Extend(RgbaImage image, byte[] indices, Rgba32[] palette, double errorShare, double? maxTotalError,
        int? maxDegreeOfParallelism, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(palette);
        if (indices.Length < image.Pixels.Length) throw new ArgumentException("One index per pixel is needed.", nameof(indices));
        if (!(errorShare >= 0 && errorShare <= 1)) throw new ArgumentOutOfRangeException(nameof(errorShare), errorShare, "The share is between 0 and 1.");
        int width = image.Width, height = image.Height;
        if (errorShare == 0 || width < 2 || height == 0) return 0;

        var entries = new EntryTable(palette);
        int rowsPerBand = Math.Max(1, BandPixels / width);
        int bands = (height + rowsPerBand - 1) / rowsPerBand;
        var options = new ParallelOptions
        {
            MaxDegreeOfParallelism = maxDegreeOfParallelism ?? Environment.ProcessorCount,
            CancellationToken = cancellationToken,
        };
        var rowResults = new double[height];

        double share = errorShare;
        if (maxTotalError is double cap)
        {
            // The floor's room, as a share of the mapped image's error (each row's error in order, so the same on any threads).
            Parallel.For(0, bands, options, band =>
            {
                for (int y = band * rowsPerBand, end = Math.Min(height, y + rowsPerBand); y < end; y++)
                    rowResults[y] = RowError(image.Pixels.AsSpan(y * width, width), indices.AsSpan(y * width, width), entries);
            });
            double total = 0;
            foreach (double e in rowResults) total += e;
            share = total > 0 ? Math.Clamp((cap - total) / total, 0, errorShare) : 0;
            if (share == 0) return 0;
        }

        // A band's first row looks up at the row above as mapped (the band above changes it concurrently); the bands'
        // bounds depend on the width only, so the result does not depend on the threads.
        byte[] above = new byte[bands * width];
        for (int band = 1; band < bands; band++)
            indices.AsSpan((band * rowsPerBand - 1) * width, width).CopyTo(above.AsSpan(band * width, width));
        Parallel.For(0, bands, options, band =>
        {
            double[] doubles = ArrayPool<double>.Shared.Rent(4 * width);
            int[] ints = ArrayPool<int>.Shared.Rent(2 * width);
            try
            {
                var scratch = new RowScratch(doubles, ints, width);
                for (int y = band * rowsPerBand, end = Math.Min(height, y + rowsPerBand); y < end; y++)
                {
                    ReadOnlySpan<byte> up = y == 0 ? default
                        : y == band * rowsPerBand ? above.AsSpan(band * width, width)
                        : indices.AsSpan((y - 1) * width, width);
                    rowResults[y] = ExtendRow(image.Pixels.AsSpan(y * width, width), indices.AsSpan(y * width, width), up, entries, share, scratch);
                }
            }
            finally
            {
                ArrayPool<double>.Shared.Return(doubles);
                ArrayPool<int>.Shared.Return(ints);
            }
        });
        double added = 0;
        foreach (double e in rowResults) added += e;
        return added;
    }

    private static double RowError(ReadOnlySpan<Rgba32> pixels, ReadOnlySpan<byte> row, EntryTable entries)
    {
        double sum = 0;
        for (int x = 0; x < pixels.Length; x++) sum += entries.Distance(pixels[x], row[x]);
        return sum;
    }

    /// <returns>The error the row's switches added.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double ExtendRow(ReadOnlySpan<Rgba32> pixels, Span<byte> row, ReadOnlySpan<byte> up, EntryTable entries, double share,
        in RowScratch scratch)
    {
        Span<double> errors = scratch.Errors, costs = scratch.Costs, ratios = scratch.Ratios, runCosts = scratch.RunCosts;
        Span<int> starts = scratch.Starts, shapes = scratch.Shapes;
        double rowError = 0;
        for (int x = 0; x < pixels.Length; x++) rowError += errors[x] = entries.Distance(pixels[x], row[x]);
        double budget = share * rowError;

        // Each short run's cost against its left neighbour's entry, per run boundary it removes (two when the run
        // sits between two pixels of that entry); the cheapest that fit the budget set the threshold. A run dearer
        // than the whole budget can never be merged, so it is not a candidate (most are not: that keeps the sort short).
        // Every short run is kept (start, length and boundaries, cost or NaN if it may not merge) for the pass that
        // merges, which then reads the costs instead of computing them again.
        int kept = 0, candidates = 0;
        double all = 0;
        for (int x = 1; x < pixels.Length;)
        {
            bool mergeable = ShortRun(pixels, row, up, entries, errors, x, out int length, out double cost, out int boundaries);
            if (length <= MaxRun && row[x] != row[x - 1])
            {
                starts[kept] = x;
                shapes[kept] = length << 1 | (boundaries - 1);
                runCosts[kept++] = mergeable ? cost : double.NaN;
            }
            if (mergeable && cost > 0 && cost <= budget)
            {
                costs[candidates] = cost;
                ratios[candidates++] = cost / boundaries;
                all += cost;
            }
            x += length;
        }
        double threshold = 0;
        if (all <= budget)
        {
            for (int i = 0; i < candidates; i++) threshold = Math.Max(threshold, ratios[i]);
        }
        else
        {
            ratios[..candidates].Sort(costs[..candidates]);
            double fitted = 0;
            for (int i = 0; i < candidates; i++)
            {
                if (fitted + costs[i] > budget) break;
                fitted += costs[i];
                threshold = ratios[i];
            }
        }

        // Left to right over the row as it now is: a run's left neighbour has changed only if the run just before it
        // was merged, and then it is looked at again against that entry (a run that joins it continues that run).
        double used = 0;
        int mergedEnd = -1;
        for (int r = 0; r < kept; r++)
        {
            int x = starts[r], length = shapes[r] >> 1, boundaries = (shapes[r] & 1) + 1;
            double cost = runCosts[r];
            if (x == mergedEnd ? !ShortRun(pixels, row, up, entries, errors, x, out length, out cost, out boundaries) : double.IsNaN(cost)) continue;
            if (cost / boundaries <= threshold && used + cost <= budget)
            {
                row.Slice(x, length).Fill(row[x - 1]);
                used += cost;
                mergedEnd = x + length;
            }
        }
        return used;
    }

    /// <summary>One thread's working rows, rented once per band.</summary>
    private readonly ref struct RowScratch(Span<double> doubles, Span<int> ints, int width)
    {
        public Span<double> Errors { get; } = doubles[..width];
        public Span<double> Costs { get; } = doubles.Slice(width, width);
        public Span<double> Ratios { get; } = doubles.Slice(2 * width, width);
        public Span<double> RunCosts { get; } = doubles.Slice(3 * width, width);
        public Span<int> Starts { get; } = ints[..width];
        public Span<int> Shapes { get; } = ints.Slice(width, width);
    }

    /// <summary>
    /// The run of one entry that starts at <paramref name="x"/> (its <paramref name="length"/>, which the caller steps
    /// over), and whether it may take its left neighbour's entry: it differs from that entry, is at most
    /// <see cref="MaxRun"/> pixels long, none of its pixels repeats the pixel above (breaking a vertical repeat would
    /// cost deflate the matches of whole rows it finds on flat screenshots), and none is transparent nor is the entry.
    /// Longer runs are left alone: moving their ends only shifts a boundary, which on smooth gradients turns rows that
    /// deflate finds shifted copies of into ragged ones.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ShortRun(ReadOnlySpan<Rgba32> pixels, ReadOnlySpan<byte> row, ReadOnlySpan<byte> up, EntryTable entries,
        ReadOnlySpan<double> errors, int x, out int length, out double cost, out int boundaries)
    {
        byte entry = row[x], left = row[x - 1];
        length = 1;
        while (x + length < row.Length && row[x + length] == entry) length++;
        cost = 0;
        boundaries = x + length < row.Length && row[x + length] == left ? 2 : 1;
        if (entry == left || length > MaxRun) return false;
        for (int i = x; i < x + length; i++)
        {
            if ((!up.IsEmpty && up[i] == entry) || !entries.Switchable(pixels[i], left)) return false;
            cost += entries.Distance(pixels[i], left) - errors[i];
        }
        return true;
    }

    /// <summary>The palette in metric space, for distances computed as <see cref="MetricColor.SquaredDistance"/> computes them.</summary>
    private sealed class EntryTable
    {
        private readonly float[] _r, _g, _b, _a;

        public EntryTable(Rgba32[] palette)
        {
            _r = new float[256]; _g = new float[256]; _b = new float[256]; _a = new float[256];
            for (int e = 0; e < palette.Length; e++) MetricColor.ToMetric(palette[e], out _r[e], out _g[e], out _b[e], out _a[e]);
        }

        /// <summary>A visible pixel may take a visible entry; a transparent one keeps its entry.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Switchable(Rgba32 pixel, byte entry) => pixel.A != 0 && _a[entry] != 0;

        // Float differences widened to double, summed in double: MetricColor.SquaredDistance's arithmetic, so the
        // error added here is what the metrics measure.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double Distance(Rgba32 pixel, byte entry)
        {
            MetricColor.ToMetric(pixel, out float r, out float g, out float b, out float a);
            double dr = r - _r[entry], dg = g - _g[entry], db = b - _b[entry], da = a - _a[entry];
            return dr * dr + dg * dg + db * db + da * da;
        }
    }
}
