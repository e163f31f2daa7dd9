using System.Runtime.CompilerServices;
using KMeansPS.Engine.Kernels;
using KMeansPS.Engine.Memory;
using KMeansPS.Engine.Random;

namespace KMeansPS.Engine.Fitting;

/// <summary>First centres: greedy k-means++ (scikit-learn's variant), K distinct random points, or given.</summary>
internal static class CentroidInitializer
{
    internal static float[] Create(FitWorkspace ws, KMeansOptions options, DeterministicRandom rng)
    {
        return options.Init switch
        {
            KMeansInit.Given => (float[])options.InitialCentroids!.Clone(),
            KMeansInit.Random => RandomDistinct(ws, rng),
            _ => GreedyKMeansPlusPlus(ws, rng),
        };
    }

    private static double[] WeightChunkTotals(PointSet points, int degree, CancellationToken token)
    {
        var totals = new double[points.ChunkCount];
        ChunkScheduler.Run(points.ChunkCount, degree, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, chunk) =>
        {
            var (start, count) = points.Chunk(chunk);
            totals[chunk] = points.Weights is null ? count : ChunkSums.Sum(points.Weights.AsSpan(start, count), default);
        }, token);
        return totals;
    }

    private static double Total(double[] chunkTotals)
    {
        double total = 0;
        foreach (double t in chunkTotals) total += t;
        return total;
    }

    /// <summary>
    /// Greedy k-means++: the first centre is drawn by sample weight; each next centre is the best of
    /// 2 + floor(ln K) candidates drawn by weight x D^2, "best" meaning the lowest resulting potential.
    /// </summary>
    internal static float[] GreedyKMeansPlusPlus(FitWorkspace ws, DeterministicRandom rng) =>
        GreedyKMeansPlusPlus(ws, rng, skipChunks: true, out _);

    /// <summary>
    /// <see cref="GreedyKMeansPlusPlus(FitWorkspace, DeterministicRandom)"/>; without <paramref name="skipChunks"/> every
    /// candidate's sum takes a pass over every chunk (the reference the skips must match to the bit).
    /// <paramref name="skippedSums"/>: how many (chunk, candidate) sums were known without a pass.
    /// </summary>
    internal static float[] GreedyKMeansPlusPlus(FitWorkspace ws, DeterministicRandom rng, bool skipChunks, out long skippedSums)
    {
        // Each point's distance to its nearest chosen centre, N floats: rented, since a photo's palette fit has 10^5
        // to 10^6 colours and fresh memory is paid for in page faults; InitialClosest writes all of it first.
        float[] closest = LargeBufferCache.Rent<float>(ws.Points.Count);
        try
        {
            return GreedyKMeansPlusPlus(ws, rng, closest, skipChunks, out skippedSums);
        }
        finally
        {
            LargeBufferCache.Return(closest);
        }
    }

    private static float[] GreedyKMeansPlusPlus(FitWorkspace ws, DeterministicRandom rng, float[] closest, bool skipChunks,
        out long skippedSums)
    {
        PointSet points = ws.Points;
        int k = ws.K, dims = ws.Dimensions, n = points.Count, chunks = points.ChunkCount;
        var centroids = new float[k * dims];
        double[] weightTotals = WeightChunkTotals(points, ws.Workers, ws.Token);
        double totalWeight = Total(weightTotals);
        int first = WeightedSampler.Draw(rng.NextDouble() * totalWeight, weightTotals, points, i => points.Weight(i));
        points.CopyRow(first, centroids.AsSpan(0, dims));

        var chunkPotential = new double[chunks];
        // An upper bound of each chunk's closest distances, taken when a skip test first needs it: exact when taken,
        // and still a bound after a fold (stale), since closest distances only fall.
        var chunkMaxClosest = new float[chunks];
        var maxClosestStale = new bool[chunks];
        Array.Fill(maxClosestStale, true);
        InitialClosest(ws, centroids.AsSpan(0, dims).ToArray(), closest);
        ChunkScheduler.Run(chunks, ws.Workers, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, chunk) =>
        {
            var (start, count) = points.Chunk(chunk);
            chunkPotential[chunk] = ChunkSums.Sum(closest.AsSpan(start, count), points.WeightSpan(start, count));
        }, ws.Token);
        double potential = Total(chunkPotential);
        ChunkBoxes? boxes = skipChunks ? ChunkBoxes.Of(points, ws.Workers, ws.Token) : null;
        skippedSums = 0;

        int trials = 2 + (int)Math.Floor(PortableMath.Log(k));
        var candidates = new int[trials];
        var candidateRows = new float[trials * dims];
        var trialPotential = new double[chunks * trials];
        var candidatePotential = new double[trials];
        // Per chunk: the candidates its pass takes (the others cannot bring any point closer, so their sum over the
        // chunk is the chunk's potential as it stands), their rows and sums, and whether the pending centre was one of
        // them (else folding it changes nothing). Skips need that potential to be the kernel's own sum, so they start
        // after the first pass; the sums, and so every choice, are the bits of a pass over every chunk.
        var takenCandidates = new int[chunks * trials];
        var takenRows = new float[chunks * trials * dims];
        var takenSums = new double[chunks * trials];
        var takenCount = new int[chunks];
        var pendingTouches = new bool[chunks];
        bool potentialFromKernel = false;
        // The last chosen centre is folded into `closest` lazily, at the start of the next candidate pass,
        // which saves a full pass per step. Until then a draw sees min(closest, distance to it): for the chunk a
        // draw lands in, the kernel computes those values (the same bits as the scalar reference) once per step.
        var pendingCentre = new float[dims];
        bool hasPending = false;
        var drawValues = new float[points.ChunkSize];
        int drawChunk = -1;
        Func<int, ReadOnlyMemory<float>> values = chunk =>
        {
            var (start, count) = points.Chunk(chunk);
            if (!hasPending) return closest.AsMemory(start, count);
            if (drawChunk != chunk)
            {
                ws.Kernels.MinDistance(points.PlanesFrom(start), points.Stride, count, dims, pendingCentre, closest.AsSpan(start, count), drawValues.AsSpan(0, count));
                drawChunk = chunk;
            }
            return drawValues.AsMemory(0, count);
        };

        for (int c = 1; c < k; c++)
        {
            if (!(potential > 0))
            {
                // Every point sits on a chosen centre (only possible when distances underflow): draw by weight.
                int any = WeightedSampler.Draw(rng.NextDouble() * totalWeight, weightTotals, points, i => points.Weight(i));
                points.CopyRow(any, centroids.AsSpan(c * dims, dims));
                continue;
            }
            drawChunk = -1; // the pending centre changed since the last step
            for (int t = 0; t < trials; t++)
            {
                candidates[t] = WeightedSampler.DrawWeighted(rng.NextDouble() * potential, chunkPotential, points, values);
                points.CopyRow(candidates[t], candidateRows.AsSpan(t * dims, dims));
            }
            bool mayFold = hasPending, maySkip = boxes is not null && potentialFromKernel;
            ChunkScheduler.Run(chunks, ws.Workers, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, chunk) =>
            {
                var (start, count) = points.Chunk(chunk);
                Span<float> old = closest.AsSpan(start, count);
                Span<double> bounds = stackalloc double[trials];
                bool anyBound = false;
                for (int t = 0; t < trials && maySkip; t++)
                {
                    bounds[t] = boxes!.KernelDistanceBound(chunk, candidateRows.AsSpan(t * dims, dims));
                    anyBound |= bounds[t] > 0;
                }
                // The chunk's largest closest distance is only worth a pass where some candidate is outside its box.
                if (anyBound && maxClosestStale[chunk])
                {
                    chunkMaxClosest[chunk] = NonNegativeMax.Of(old);
                    maxClosestStale[chunk] = false;
                }
                int taken = 0;
                for (int t = 0; t < trials; t++)
                {
                    if (anyBound && bounds[t] > chunkMaxClosest[chunk])
                    {
                        trialPotential[chunk * trials + t] = chunkPotential[chunk];
                        continue;
                    }
                    candidateRows.AsSpan(t * dims, dims).CopyTo(takenRows.AsSpan((chunk * trials + taken) * dims, dims));
                    takenCandidates[chunk * trials + taken++] = t;
                }
                takenCount[chunk] = taken;
                bool fold = mayFold && (pendingTouches[chunk] || !maySkip);
                if (taken == 0 && !fold) return;
                ReadOnlySpan<float> planes = points.PlanesFrom(start);
                ReadOnlySpan<float> weights = points.WeightSpan(start, count);
                Span<double> sums = takenSums.AsSpan(chunk * trials, taken);
                ws.Kernels.FoldAndMinDistanceSums(planes, points.Stride, count, dims, fold ? pendingCentre : default,
                    takenRows.AsSpan(chunk * trials * dims, taken * dims), old, weights, sums);
                for (int j = 0; j < taken; j++) trialPotential[chunk * trials + takenCandidates[chunk * trials + j]] = sums[j];
                if (fold && anyBound) chunkMaxClosest[chunk] = NonNegativeMax.Of(old);
                else if (fold) maxClosestStale[chunk] = true;
            }, ws.Token);
            potentialFromKernel = true;
            int best = 0;
            for (int t = 0; t < trials; t++)
            {
                double sum = 0;
                for (int chunk = 0; chunk < chunks; chunk++) sum += trialPotential[chunk * trials + t];
                candidatePotential[t] = sum;
                if (sum < candidatePotential[best]) best = t;
            }
            candidateRows.AsSpan(best * dims, dims).CopyTo(centroids.AsSpan(c * dims, dims));
            candidateRows.AsSpan(best * dims, dims).CopyTo(pendingCentre);
            hasPending = true;
            for (int chunk = 0; chunk < chunks; chunk++)
            {
                skippedSums += trials - takenCount[chunk];
                chunkPotential[chunk] = trialPotential[chunk * trials + best];
                pendingTouches[chunk] = takenCandidates.AsSpan(chunk * trials, takenCount[chunk]).Contains(best);
            }
            potential = candidatePotential[best];
        }
        return centroids;
    }

    private static void InitialClosest(FitWorkspace ws, float[] centre, float[] closest)
    {
        PointSet points = ws.Points;
        Array.Fill(closest, float.PositiveInfinity);
        ChunkScheduler.Run(points.ChunkCount, ws.Workers, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, chunk) =>
        {
            var (start, count) = points.Chunk(chunk);
            Span<float> span = closest.AsSpan(start, count);
            ws.Kernels.MinDistance(points.PlanesFrom(start), points.Stride, count, ws.Dimensions, centre, span, span);
        }, ws.Token);
    }

    /// <summary>K distinct points drawn by sample weight without replacement (rows equal in value count once).</summary>
    internal static float[] RandomDistinct(FitWorkspace ws, DeterministicRandom rng)
    {
        PointSet points = ws.Points;
        int k = ws.K, dims = ws.Dimensions;
        var centroids = new float[k * dims];
        double[] weightTotals = WeightChunkTotals(points, ws.Workers, ws.Token);
        double totalWeight = Total(weightTotals);
        var chosen = new HashSet<int>(new DistinctRows.RowComparer(points));
        int found = 0;
        // Rejection works because at least K distinct weighted rows exist (checked before init);
        // if one row holds nearly all the weight it could take long, so after a bound fill in index order.
        long attempts = 64L * k + 1024;
        for (long a = 0; a < attempts && found < k; a++)
        {
            ws.Token.ThrowIfCancellationRequested();
            int i = WeightedSampler.Draw(rng.NextDouble() * totalWeight, weightTotals, points, j => points.Weight(j));
            if (chosen.Add(i)) points.CopyRow(i, centroids.AsSpan(found++ * dims, dims));
        }
        for (int i = 0; i < points.Count && found < k; i++)
        {
            if (points.Weight(i) > 0 && chosen.Add(i)) points.CopyRow(i, centroids.AsSpan(found++ * dims, dims));
        }
        return centroids;
    }
}
