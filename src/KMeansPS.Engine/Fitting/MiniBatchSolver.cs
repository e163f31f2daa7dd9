using System.Runtime.CompilerServices;
using KMeansPS.Engine.Kernels;
using KMeansPS.Engine.Memory;
using KMeansPS.Engine.Random;

namespace KMeansPS.Engine.Fitting;

/// <summary>
/// Sculley's mini-batch k-means as scikit-learn's MiniBatchKMeans runs it: the init runs on a random
/// subset of 3 x BatchSize points; each step draws BatchSize points uniformly (with replacement), labels
/// them, and moves each centre to the running weighted mean of every batch point it has received;
/// centres that received very little weight are moved to random batch points now and then. Stops early
/// when the smoothed batch inertia has not improved for MaxNoImprovement steps, or when a step moved the
/// centres by at most the scaled tolerance. Single-threaded per step (a batch is small), so
/// deterministic by construction.
/// </summary>
internal static class MiniBatchSolver
{
    private const double ReassignmentRatio = 0.01;

    internal static float[] Initialize(FitWorkspace ws, KMeansOptions options, DeterministicRandom rng)
    {
        if (options.Init == KMeansInit.Given) return (float[])options.InitialCentroids!.Clone();
        PointSet points = ws.Points;
        int initSize = (int)Math.Min(points.Count, 3L * options.BatchSize);
        if (initSize >= points.Count) return CentroidInitializer.Create(ws, options, rng);
        var rows = new int[initSize];
        for (int r = 0; r < initSize; r++) rows[r] = rng.NextInt(points.Count);
        PointSet subset = points.Subset(rows);
        subset.UseChunkSize(ChunkScheduler.ChunkSizeFor(subset.Count, ws.K, ws.Dimensions));
        // A subset may hold fewer than K distinct points; then initialise on all the data instead.
        if (DistinctRows.FirstDistinct(subset, ws.K).Count < ws.K) return CentroidInitializer.Create(ws, options, rng);
        var subsetWorkspace = new FitWorkspace(subset, ws.K, ws.Kernels, ws.Degree, ws.Token, ws.Shared);
        try
        {
            return CentroidInitializer.Create(subsetWorkspace, options, rng);
        }
        finally
        {
            // Nothing reads the subset's labels or distances: both go back for the next job of that length.
            subsetWorkspace.ReturnBuffers();
            LargeBufferCache.Return(subsetWorkspace.Labels);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static IterationOutcome Run(FitWorkspace ws, float[] centroids, KMeansOptions options, double tolerance, DeterministicRandom rng)
    {
        PointSet points = ws.Points;
        int n = points.Count, k = ws.K, dims = ws.Dimensions;
        // A batch larger than the data draws N points per step, as scikit-learn's MiniBatchKMeans does: the buffers below
        // are sized by the batch, so an unclamped int.MaxValue would ask for gigabytes.
        int batch = Math.Min(Math.Min(options.BatchSize, n), int.MaxValue / Math.Max(1, dims));
        long derived = Math.Max(1, (long)options.MaxIterations * n / batch);
        int maxSteps = options.MaxSteps > 0 ? options.MaxSteps : (int)Math.Min(int.MaxValue, derived);
        int reportEvery = Math.Max(1, n / batch);

        var rows = new int[batch];
        int stride = PlaneStride.For(batch);
        var planes = new float[stride * dims];
        var weights = points.Weights is null ? null : new float[batch];
        var labels = new int[batch];
        var dist = new float[batch];
        var batchSums = new double[k * dims];
        var batchWeight = new double[k];
        var weightSums = new double[k];
        float[] centres = centroids;
        double ewaInertia = 0, ewaMin = double.PositiveInfinity;
        bool haveEwa = false;
        int noImprovement = 0;
        long sinceReassign = 0;
        double alpha = Math.Min(1.0, batch * 2.0 / (n + 1.0));
        var reassignScratch = new ReassignScratch(k, batch);

        for (int step = 1; step <= maxSteps; step++)
        {
            ws.Token.ThrowIfCancellationRequested();
            for (int r = 0; r < batch; r++) rows[r] = rng.NextInt(n);
            for (int d = 0; d < dims; d++)
                for (int r = 0; r < batch; r++) planes[d * stride + r] = points.Coordinate(rows[r], d);
            if (weights is not null)
                for (int r = 0; r < batch; r++) weights[r] = points.Weights![rows[r]];
            ws.Kernels.AssignNearest(planes, stride, batch, dims, centres, k, labels, dist);
            double batchInertia = ChunkSums.Sum(dist, weights) / batch;

            // Running weighted means: centre = (centre x weight so far + batch sum) / (weight so far + batch weight).
            Array.Clear(batchSums);
            Array.Clear(batchWeight);
            for (int r = 0; r < batch; r++)
            {
                int c = labels[r];
                double w = weights is null ? 1.0 : weights[r];
                batchWeight[c] += w;
                for (int d = 0; d < dims; d++) batchSums[c * dims + d] += w * planes[d * stride + r];
            }
            double shift = 0;
            for (int c = 0; c < k; c++)
            {
                if (!(batchWeight[c] > 0)) continue;
                double total = weightSums[c] + batchWeight[c];
                for (int d = 0; d < dims; d++)
                {
                    float old = centres[c * dims + d];
                    float value = (float)((old * weightSums[c] + batchSums[c * dims + d]) / total);
                    double diff = (double)value - old;
                    shift += diff * diff;
                    centres[c * dims + d] = value;
                }
                weightSums[c] = total;
            }

            sinceReassign += batch;
            if (sinceReassign >= 10L * k || HasEmpty(weightSums))
            {
                sinceReassign = 0;
                Reassign(centres, weightSums, planes, stride, batch, dims, rng, reassignScratch);
            }

            if (step % reportEvery == 0) options.Progress?.Report(new KMeansProgress(step, batchInertia * batch, maxSteps));
            if (step == 1) continue; // the first batch's inertia says nothing about convergence
            ewaInertia = haveEwa ? ewaInertia * (1 - alpha) + batchInertia * alpha : batchInertia;
            haveEwa = true;
            if (tolerance > 0 && shift <= tolerance) return new IterationOutcome(centres, step, true);
            if (ewaInertia < ewaMin)
            {
                noImprovement = 0;
                ewaMin = ewaInertia;
            }
            else if (++noImprovement >= options.MaxNoImprovement)
            {
                return new IterationOutcome(centres, step, true);
            }
        }
        return new IterationOutcome(centres, maxSteps, false);
    }

    private static bool HasEmpty(double[] weightSums)
    {
        foreach (double w in weightSums)
        {
            if (w == 0) return true;
        }
        return false;
    }

    /// <summary>
    /// Centres whose accumulated weight is below 1 % of the largest move to distinct random batch points
    /// (at most half the batch), and their weight restarts at the smallest weight among the others.
    /// </summary>
    private static void Reassign(float[] centres, double[] weightSums, float[] planes, int stride, int batch, int dims, DeterministicRandom rng,
        ReassignScratch scratch)
    {
        int k = weightSums.Length;
        double max = 0;
        foreach (double w in weightSums) max = Math.Max(max, w);
        List<int> chosen = scratch.Chosen;
        chosen.Clear();
        for (int c = 0; c < k; c++)
        {
            if (weightSums[c] < ReassignmentRatio * max) chosen.Add(c);
        }
        if (chosen.Count == 0) return;
        if (chosen.Count > batch / 2)
        {
            // Keep the lightest half-batch worth (lowest weight first, ties by index).
            chosen.Sort((a, b) => weightSums[a] != weightSums[b] ? weightSums[a].CompareTo(weightSums[b]) : a.CompareTo(b));
            chosen.RemoveRange(batch / 2, chosen.Count - batch / 2);
            chosen.Sort();
        }
        double minKept = double.PositiveInfinity;
        bool[] reassigned = scratch.Reassigned;
        Array.Clear(reassigned);
        foreach (int c in chosen) reassigned[c] = true;
        for (int c = 0; c < k; c++)
        {
            if (!reassigned[c]) minKept = Math.Min(minKept, weightSums[c]);
        }
        // Distinct batch rows by a partial Fisher-Yates shuffle.
        int[] order = scratch.Order;
        for (int r = 0; r < batch; r++) order[r] = r;
        for (int j = 0; j < chosen.Count; j++)
        {
            int pick = j + rng.NextInt(batch - j);
            (order[j], order[pick]) = (order[pick], order[j]);
            int c = chosen[j];
            for (int d = 0; d < dims; d++) centres[c * dims + d] = planes[d * stride + order[j]];
            weightSums[c] = double.IsPositiveInfinity(minKept) ? 0 : minKept;
        }
    }

    /// <summary>Buffers for <see cref="Reassign"/>, allocated once per fit rather than once per step.</summary>
    private sealed class ReassignScratch(int k, int batch)
    {
        internal readonly List<int> Chosen = new(k);
        internal readonly bool[] Reassigned = new bool[k];
        internal readonly int[] Order = new int[batch];
    }
}
