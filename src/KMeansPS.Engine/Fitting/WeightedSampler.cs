namespace KMeansPS.Engine.Fitting;

/// <summary>
/// Draws an index with probability proportional to a non-negative per-point term, given the terms'
/// per-chunk totals. The chunk is found from the totals; inside it a sequential running sum finds the
/// first point whose cumulative term exceeds the target (numpy's searchsorted on a cumulative sum, but
/// only one chunk is ever scanned). Terms of zero are never drawn.
/// </summary>
internal static class WeightedSampler
{
    internal static int Draw(double target, double[] chunkTotals, PointSet points, Func<int, double> term)
    {
        int chunk = FindChunk(target, chunkTotals, out double before);
        var (start, count) = points.Chunk(chunk);
        double running = before;
        int lastIndex = -1;
        for (int i = start; i < start + count; i++)
        {
            double t = term(i);
            if (t <= 0) continue;
            lastIndex = i;
            running += t;
            if (running > target) return i;
        }
        return lastIndex;
    }

    /// <summary>
    /// As <see cref="Draw"/> with term(i) = weight(i) x value(i), where <paramref name="chunkValues"/> gives the
    /// values of a whole chunk at once (computed by a vector kernel): the same terms, summed in the same order,
    /// so the same index, without a call per point.
    /// </summary>
    internal static int DrawWeighted(double target, double[] chunkTotals, PointSet points, Func<int, ReadOnlyMemory<float>> chunkValues)
    {
        int chunk = FindChunk(target, chunkTotals, out double before);
        var (start, count) = points.Chunk(chunk);
        ReadOnlySpan<float> values = chunkValues(chunk).Span[..count];
        // Unweighted, the term is the value itself: the same double as 1 x value.
        ReadOnlySpan<float> weights = points.Weights is null ? default : points.Weights.AsSpan(start, count);
        double running = before;
        int lastIndex = -1;
        for (int i = 0; i < values.Length; i++)
        {
            double t = weights.IsEmpty ? values[i] : (double)weights[i] * values[i];
            if (t <= 0) continue;
            lastIndex = start + i;
            running += t;
            if (running > target) return start + i;
        }
        return lastIndex;
    }

    /// <summary>The chunk whose cumulative total first exceeds the target, and the total of the chunks before it.</summary>
    private static int FindChunk(double target, double[] chunkTotals, out double before)
    {
        before = 0;
        int lastPositive = -1;
        for (int c = 0; c < chunkTotals.Length; c++)
        {
            if (chunkTotals[c] <= 0) continue;
            if (before + chunkTotals[c] > target) return c;
            lastPositive = c;
            before += chunkTotals[c];
        }
        // Rounding can leave the target at or past the grand total: fall back to the last chunk with mass
        // (its first positive term is then drawn, as the running sum already exceeds the target).
        return lastPositive;
    }
}
