using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
        int found = points.Weights is null
            ? FirstPast(target, before, values)
            : FirstPast(target, before, values, points.Weights.AsSpan(start, count));
        return found < 0 ? -1 : start + found;
    }

    /// <summary>
    /// The index in the block where the running sum of the positive terms first exceeds the target (else the last
    /// positive term's index, or -1). The running sum is one chain of dependent adds, so the loop carries nothing
    /// else: no bounds checks, the weighted and unweighted cases apart.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int FirstPast(double target, double running, ReadOnlySpan<float> values)
    {
        ref float v = ref MemoryMarshal.GetReference(values);
        int last = -1;
        for (int i = 0; i < values.Length; i++)
        {
            double t = Unsafe.Add(ref v, i); // unweighted, the term is the value itself: the same double as 1 x value
            if (t <= 0) continue;
            last = i;
            running += t;
            if (running > target) return i;
        }
        return last;
    }

    /// <inheritdoc cref="FirstPast(double, double, ReadOnlySpan{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int FirstPast(double target, double running, ReadOnlySpan<float> values, ReadOnlySpan<float> weights)
    {
        if (weights.Length < values.Length) throw new ArgumentException("Weights shorter than the values.", nameof(weights));
        ref float v = ref MemoryMarshal.GetReference(values);
        ref float w = ref MemoryMarshal.GetReference(weights);
        int last = -1;
        for (int i = 0; i < values.Length; i++)
        {
            double t = (double)Unsafe.Add(ref w, i) * Unsafe.Add(ref v, i);
            if (t <= 0) continue;
            last = i;
            running += t;
            if (running > target) return i;
        }
        return last;
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
