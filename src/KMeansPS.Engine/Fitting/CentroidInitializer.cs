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
    internal static float[] GreedyKMeansPlusPlus(FitWorkspace ws, DeterministicRandom rng)
    {
        // Each point's distance to its nearest chosen centre, N floats: rented, since a photo's palette fit has 10^5
        // to 10^6 colours and fresh memory is paid for in page faults; InitialClosest writes all of it first.
        float[] closest = LargeBufferCache.Rent<float>(ws.Points.Count);
        try
        {
            return GreedyKMeansPlusPlus(ws, rng, closest);
        }
        finally
        {
            LargeBufferCache.Return(closest);
        }
    }

    private static float[] GreedyKMeansPlusPlus(FitWorkspace ws, DeterministicRandom rng, float[] closest)
    {
        PointSet points = ws.Points;
        int k = ws.K, dims = ws.Dimensions, n = points.Count, chunks = points.ChunkCount;
        var centroids = new float[k * dims];
        double[] weightTotals = WeightChunkTotals(points, ws.Degree, ws.Token);
        double totalWeight = Total(weightTotals);
        int first = WeightedSampler.Draw(rng.NextDouble() * totalWeight, weightTotals, points, i => points.Weight(i));
        points.CopyRow(first, centroids.AsSpan(0, dims));

        var chunkPotential = new double[chunks];
        InitialClosest(ws, centroids.AsSpan(0, dims).ToArray(), closest);
        ChunkScheduler.Run(chunks, ws.Degree, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, chunk) =>
        {
            var (start, count) = points.Chunk(chunk);
            chunkPotential[chunk] = ChunkSums.Sum(closest.AsSpan(start, count), points.WeightSpan(start, count));
        }, ws.Token);
        double potential = Total(chunkPotential);

        int trials = 2 + (int)Math.Floor(PortableMath.Log(k));
        var candidates = new int[trials];
        var candidateRows = new float[trials * dims];
        var trialPotential = new double[chunks * trials];
        var candidatePotential = new double[trials];
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
            bool fold = hasPending;
            ChunkScheduler.Run(chunks, ws.Degree, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, chunk) =>
            {
                var (start, count) = points.Chunk(chunk);
                Span<float> old = closest.AsSpan(start, count);
                ReadOnlySpan<float> planes = points.PlanesFrom(start);
                ReadOnlySpan<float> weights = points.WeightSpan(start, count);
                ws.Kernels.FoldAndMinDistanceSums(planes, points.Stride, count, dims, fold ? pendingCentre : default, candidateRows,
                    old, weights, trialPotential.AsSpan(chunk * trials, trials));
            }, ws.Token);
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
            for (int chunk = 0; chunk < chunks; chunk++) chunkPotential[chunk] = trialPotential[chunk * trials + best];
            potential = candidatePotential[best];
        }
        return centroids;
    }

    private static void InitialClosest(FitWorkspace ws, float[] centre, float[] closest)
    {
        PointSet points = ws.Points;
        Array.Fill(closest, float.PositiveInfinity);
        ChunkScheduler.Run(points.ChunkCount, ws.Degree, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, chunk) =>
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
        double[] weightTotals = WeightChunkTotals(points, ws.Degree, ws.Token);
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
