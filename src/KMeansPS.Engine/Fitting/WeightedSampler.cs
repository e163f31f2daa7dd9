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
        double before = 0;
        int chunk = -1;
        int lastPositive = -1;
        for (int c = 0; c < chunkTotals.Length; c++)
        {
            if (chunkTotals[c] <= 0) continue;
            lastPositive = c;
            if (before + chunkTotals[c] > target)
            {
                chunk = c;
                break;
            }
            before += chunkTotals[c];
        }
        // Rounding can leave the target at or past the grand total: fall back to the last chunk with mass.
        if (chunk < 0) chunk = lastPositive;
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
}
