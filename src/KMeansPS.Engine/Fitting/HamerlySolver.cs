using System.Runtime.CompilerServices;
using KMeansPS.Engine.Kernels;
using KMeansPS.Engine.Memory;

namespace KMeansPS.Engine.Fitting;

/// <summary>
/// Lloyd with Hamerly's bounds: each point keeps a lower bound on its distance to every centre other
/// than its own; when its exact distance to its own centre is provably below that bound (and below half
/// the gap to the nearest other centre), the full search is skipped.
///
/// Exactness: the result must equal plain Lloyd bit for bit, so "provably" must hold for the float
/// distances Lloyd compares, not just for real distances. A computed squared distance f satisfies
/// |f - d^2| &lt;= gamma d^2 + eta (gamma = 2 (D + 3) 2^-24 over-covers the D subtractions, squares and
/// additions; eta covers subnormal underflow), so a point is skipped only when its own f is strictly
/// below (1 - gamma) L^2 - eta for a real-distance lower bound L of every other centre. Then every other
/// centre's float distance is strictly larger, and Lloyd's strict-&lt; argmin picks the same label.
/// L = max(l, s): l is the point's lower bound; s is half the distance from its centre to the nearest
/// other one. (f &lt; (1 - gamma) s^2 - eta means the real own distance is below s, so by the triangle
/// inequality every other centre is farther than 2s - s = s.) Bounds are kept in double, with shifts
/// inflated and bounds deflated to absorb double rounding; the factor 2 in gamma leaves far more slack
/// than the few double roundings of the test need. Points that fail the test are gathered and run
/// through the same vector kernel Lloyd uses or, from K = 32, searched among the centres near their own
/// (<see cref="NeighbourTable"/>, <see cref="NeighbourWalk{TWidth, TFloats, TInts, TDoubles}"/>), which gives the
/// full search's label, distance and second distance, bit for bit, from a few blocks of centres.
/// </summary>
internal static class HamerlySolver
{
    /// <summary>Squared distances above this could overflow float; the bounds' error model then fails.</summary>
    private const double MaxSafeSquaredExtent = 1e36;

    /// <summary>
    /// Whether the bounds are sound here: K &gt;= 2, and every squared distance between a point and a
    /// centre stays far from float overflow. Centres are means of points (inside the data's bounding
    /// box) except the starting ones and any that keep a starting position, so the box spans the data
    /// and <paramref name="startCentroids"/>.
    /// </summary>
    internal static bool Applies(FitWorkspace ws, float[] startCentroids) =>
        ws.K >= 2 && SquaredExtent(ws.Points, startCentroids) <= MaxSafeSquaredExtent;

    /// <summary>
    /// Whether Auto should use the bounds: K &gt;= 48 below D = 16. Screening a point costs about as much as ~40
    /// vectorised point-centre distances (measured on Zen 4, 4.1 M RGB points: Lloyd faster at K = 16 and 32, even at
    /// 64, Hamerly 1.7x faster at 256). From D = 16, since distances fuse their terms and run in tiles of three point
    /// vectors, plain Lloyd was as fast or faster (Zen 5, 2026-12-02, `KMeansPS.Benchmarks lloyd ... k-means++ D 256
    /// 300 Lloyd|Auto 1e-4`, to convergence, same bits: blobs 200 k x 16 Auto 0.95x Lloyd's time, x 32 1.0x, x 64
    /// 1.15x, SIFT-like 100 k x 32 1.16x, x 128 1.08x; per iteration over 20 from given centres 1.1-1.25x): one bound
    /// per point prunes too little there to pay for screening and gathering. (An earlier rule let plain passes replace
    /// the bounds while they settled few points; with the faster kernel it still lost, so it is gone.)
    /// </summary>
    internal static bool PaysOff(FitWorkspace ws) => ws.K >= 48 && ws.Dimensions < 16;

    /// <summary>
    /// Whether the points the bounds leave are searched among their centre's neighbours (<see cref="NeighbourTable"/>)
    /// rather than among all K. The walk costs about the same per point at any K; the full search grows with K and
    /// shrinks with the vector width, so the walk pays from a K that grows with the width. `perf/neighbour-walk.ps1`
    /// on Zen 5 (perf/README, "Hamerly's leftovers among the neighbours"), Hamerly's time per iteration without the
    /// walk over with it: at 512 bits 0.67 at K = 64 and 0.82 at 128, 1.07-1.14 at 256 (D = 2-4), 1.4-1.5 at
    /// 512-1024, but 1.03 and 0.88 at D = 5 and 8; at 256 bits 0.88 at K = 64, 1.19 at 128, 1.7-2.5 from 256 (D = 5-8
    /// 1.2-1.5, but 0.91 at D = 8, K = 128); at 128 bits 1.07 at K = 64, 1.5-3.4 from 128, and 1.45-2.3 at D = 5-12 from
    /// K = 64. At 512 bits a photo's palette at K = 256 (china.jpg's
    /// 96,615 colours) was 5 % slower with the walk, so there it starts above the images' K. Only where the table's
    /// K x K x D a pass is small beside the points' work (N &gt;= 64 K) and the table at most 16 MB.
    /// <see cref="KMeansOptions.NeighbourWalk"/> overrides the rule, not the limits.
    /// </summary>
    internal static bool WalksNeighbours(FitWorkspace ws, KMeansOptions options)
    {
        int width = ws.Kernels.NeighbourWidth;
        if (width == 0 || ws.K < 2 || (long)ws.K * NeighbourTable.MaxEntries * (ws.Dimensions + 1) > 1 << 22) return false;
        if (options.NeighbourWalk is { } forced) return forced;
        if (ws.Dimensions >= 16) return false; // not measured there (Auto takes plain Lloyd from D = 16)
        bool colours = ws.Dimensions <= 4;
        int fromK = width >= 16 ? (colours ? 384 : int.MaxValue) : width >= 8 ? (colours ? 128 : 256) : 64;
        return ws.K >= fromK && ws.Points.Count >= 64L * ws.K;
    }

    /// <summary>Lloyd's iterations with the bounds: every pass gives Lloyd's labels, so the outcome is the same bits.</summary>
    internal static IterationOutcome Run(FitWorkspace ws, float[] centroids, KMeansOptions options, double tolerance)
    {
        // Each point's lower bound, N doubles: rented like the other per-point buffers (fresh memory costs page
        // faults); the first pass is full and writes all of it.
        double[] lower = LargeBufferCache.Rent<double>(ws.Points.Count);
        try
        {
            return Run(ws, centroids, options, tolerance, lower);
        }
        finally
        {
            LargeBufferCache.Return(lower);
        }
    }

    private static IterationOutcome Run(FitWorkspace ws, float[] centroids, KMeansOptions options, double tolerance, double[] lower)
    {
        PointSet points = ws.Points;
        int k = ws.K, dims = ws.Dimensions, n = points.Count;
        double gamma = 2.0 * (dims + 3) * Math.ScaleB(1.0, -24);
        double eta = (3.0 * dims + 2) * Math.ScaleB(1.0, -149);
        var halfGap = new double[k];      // s[c]: half the distance from centre c to its nearest other centre
        var gapPlanes = new double[k * dims]; // the centres as D planes of K doubles, for the vector half gaps
        var lowerDrop = new double[k];    // how far the lower bound of a point labelled c must drop after an update
        int workers = Math.Max(1, Math.Min(ws.Degree, points.ChunkCount));
        KeptNeighbourRows? neighbours = WalksNeighbours(ws, options)
            ? new KeptNeighbourRows(new NeighbourTable(k, dims, ws.Kernels.NeighbourWidth, ws.Degree))
            : null;
        var shifts = new double[k];       // how far each centre moved in the last update (inflated)
        double maxShift = 0;
        var scratch = new RecomputeScratch[workers];
        for (int w = 0; w < workers; w++) scratch[w] = new RecomputeScratch(dims, points.ChunkSize);

        float[] current = centroids;
        float[] next = new float[centroids.Length];
        for (int iteration = 1; iteration <= options.MaxIterations; iteration++)
        {
            bool full = iteration == 1;
            if (!full)
            {
                if (neighbours is not null) neighbours.Update(ws, current, halfGap, gapPlanes, shifts, maxShift);
                else ws.Kernels.HalfGaps(current, k, dims, halfGap, gapPlanes);
            }
            float[] centres = current;
            ChunkScheduler.Run(points.ChunkCount, ws.Workers, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (worker, chunk) =>
            {
                var (start, count) = points.Chunk(chunk);
                int changed = full
                    ? FullChunk(ws, centres, start, count, lower, gamma, eta, scratch[worker])
                    : BoundedChunk(ws, centres, start, count, lower, halfGap, lowerDrop, gamma, eta, scratch[worker], neighbours?.Table, out _);
                ws.SetChunkResult(chunk, ChunkSums.Sum(ws.Distances.AsSpan(start, count), points.WeightSpan(start, count)), changed);
                ws.AccumulateChunkIfChanged(worker, chunk, changed);

            }, ws.Token);
            double inertia = ws.SumInChunkOrder();
            long changedTotal = ws.CountChanged();
            options.Progress?.Report(new KMeansProgress(iteration, inertia, options.MaxIterations));
            double shift = ws.UpdateCentroids(current, next);
            maxShift = LowerDrops(current, next, k, dims, lowerDrop, shifts);
            (current, next) = (next, current);
            if (changedTotal == 0 || shift <= tolerance) return new IterationOutcome(current, iteration, true);
        }
        return new IterationOutcome(current, options.MaxIterations, false);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int FullChunk(FitWorkspace ws, float[] centres, int start, int count, double[] lower,
        double gamma, double eta, RecomputeScratch s)
    {
        PointSet points = ws.Points;
        Span<int> fresh = s.Labels.AsSpan(0, count);
        Span<float> second = s.Second.AsSpan(0, count);
        ws.Kernels.AssignNearestTwo(points.PlanesFrom(start), points.Stride, count, ws.Dimensions, centres, ws.K,
            fresh, ws.Distances.AsSpan(start, count), second);
        for (int i = 0; i < count; i++) lower[start + i] = LowerFromSquared(second[i], gamma, eta);
        return LabelCommit.Commit(fresh, ws.Labels.AsSpan(start, count));
    }

    private static int BoundedChunk(FitWorkspace ws, float[] centres, int start, int count, double[] lower,
        double[] halfGap, double[] lowerDrop, double gamma, double eta, RecomputeScratch s, NeighbourTable? neighbours, out int pending)
    {
        pending = Screen(ws, centres, start, count, lower, halfGap, lowerDrop, gamma, eta, s.Pending);
        if (pending == 0) return 0;
        return neighbours is null
            ? Recompute(ws, centres, lower, gamma, eta, s, pending)
            : RecomputeAmongNeighbours(ws, centres, lower, gamma, eta, s, pending, neighbours);
    }

    /// <summary>
    /// Updates each point's lower bound for the last centre shifts, computes its exact float distance to
    /// its own centre (the kernels' own distance code: the same operation sequence), and lists
    /// the points the bounds cannot settle (<see cref="HamerlyScreen"/>). Returns how many were listed.
    /// </summary>
    private static unsafe int Screen(FitWorkspace ws, float[] centres, int start, int count, double[] lower,
        double[] halfGap, double[] lowerDrop, double gamma, double eta, int[] pendingList)
    {
        fixed (float* planes = ws.Points.Planes, centreBase = centres, distBase = ws.Distances)
        fixed (int* labelBase = ws.Labels, list = pendingList)
        fixed (double* lowerBase = lower, drop = lowerDrop, gap = halfGap)
        {
            var run = new HamerlyScreen.Run(planes + start, ws.Points.Stride, ws.Dimensions, centreBase, labelBase + start, distBase + start,
                lowerBase + start, drop, gap, list, start);
            return HamerlyScreen.Screen(run, count, gamma, eta);
        }
    }

    /// <summary>Gathers the undecided points into SoA scratch and runs the same kernel Lloyd uses.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Recompute(FitWorkspace ws, float[] centres, double[] lower, double gamma, double eta, RecomputeScratch s, int pending)
    {
        Gather(ws, s, s.Pending.AsSpan(0, pending));
        ws.Kernels.AssignNearestTwo(s.Planes, s.Stride, pending, ws.Dimensions, centres, ws.K,
            s.Labels.AsSpan(0, pending), s.Best.AsSpan(0, pending), s.Second.AsSpan(0, pending));
        return Commit(ws, lower, gamma, eta, s, pending);
    }

    /// <summary>The listed points' coordinates into the scratch planes, in list order.</summary>
    private static void Gather(FitWorkspace ws, RecomputeScratch s, ReadOnlySpan<int> points)
    {
        float[] planes = ws.Points.Planes;
        int n = ws.Points.Stride;
        for (int d = 0; d < ws.Dimensions; d++)
        {
            Span<float> plane = s.Planes.AsSpan(d * s.Stride, points.Length);
            int offset = d * n;
            for (int p = 0; p < points.Length; p++) plane[p] = planes[offset + points[p]];
        }
    }

    /// <summary>The recomputed labels, distances and lower bounds of the listed points written back; returns how many labels changed.</summary>
    private static int Commit(FitWorkspace ws, double[] lower, double gamma, double eta, RecomputeScratch s, int pending)
    {
        int[] labels = ws.Labels;
        float[] dist = ws.Distances;
        int changed = 0;
        for (int p = 0; p < pending; p++)
        {
            int i = s.Pending[p];
            if (labels[i] != s.Labels[p]) changed++;
            labels[i] = s.Labels[p];
            dist[i] = s.Best[p];
            lower[i] = LowerFromSquared(s.Second[p], gamma, eta);
        }
        return changed;
    }

    /// <summary>
    /// The undecided points' nearest two among their centres' neighbours: the values the full search gives (see
    /// <see cref="NeighbourWalk{TWidth, TFloats, TInts, TDoubles}"/>); a point whose walk runs out of table is searched in full.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int RecomputeAmongNeighbours(FitWorkspace ws, float[] centres, double[] lower, double gamma, double eta,
        RecomputeScratch s, int pending, NeighbourTable neighbours)
    {
        ws.Kernels.NeighbourNearestTwo(ws.Points.Planes, ws.Points.Stride, s.Pending.AsSpan(0, pending), ws.Labels, ws.Distances,
            neighbours, gamma, eta, s.Labels.AsSpan(0, pending), s.Best.AsSpan(0, pending), s.Second.AsSpan(0, pending));
        SearchAll(ws, centres, s, pending);
        return Commit(ws, lower, gamma, eta, s, pending);
    }

    /// <summary>The points whose walk ran out of table (label -1), gathered and searched against every centre by the vector kernel.</summary>
    private static void SearchAll(FitWorkspace ws, float[] centres, RecomputeScratch s, int pending)
    {
        int missed = 0;
        for (int p = 0; p < pending; p++)
        {
            s.Missed[missed] = p;
            s.MissedPoints[missed] = s.Pending[p];
            missed += s.Labels[p] < 0 ? 1 : 0;
        }
        if (missed == 0) return;
        Gather(ws, s, s.MissedPoints.AsSpan(0, missed));
        ws.Kernels.AssignNearestTwo(s.Planes, s.Stride, missed, ws.Dimensions, centres, ws.K,
            s.MissedLabels.AsSpan(0, missed), s.MissedBest.AsSpan(0, missed), s.MissedSecond.AsSpan(0, missed));
        for (int m = 0; m < missed; m++)
        {
            int p = s.Missed[m];
            s.Labels[p] = s.MissedLabels[m];
            s.Best[p] = s.MissedBest[m];
            s.Second[p] = s.MissedSecond[m];
        }
    }

    /// <summary>A lower bound on the real distance whose float square was computed as <paramref name="squared"/>.</summary>
    private static double LowerFromSquared(float squared, double gamma, double eta) =>
        Math.Sqrt(Math.Max(0.0, (squared - eta) / (1 + gamma))) * (1 - 1e-12);

    /// <summary>
    /// For each label, the largest shift among the other centres (inflated): the lower bound's drop. Each centre's own
    /// shift goes to <paramref name="shifts"/>; returns the largest.
    /// </summary>
    private static double LowerDrops(float[] before, float[] after, int k, int dims, double[] drop, double[] shifts)
    {
        double max = 0, secondMax = 0;
        int argMax = -1;
        for (int c = 0; c < k; c++)
        {
            double sum = 0;
            for (int d = 0; d < dims; d++)
            {
                double diff = (double)after[c * dims + d] - before[c * dims + d];
                sum += diff * diff;
            }
            double shift = Math.Sqrt(sum) * (1 + 1e-12);
            shifts[c] = shift;
            if (shift > max)
            {
                secondMax = max;
                max = shift;
                argMax = c;
            }
            else if (shift > secondMax)
            {
                secondMax = shift;
            }
        }
        for (int c = 0; c < k; c++) drop[c] = c == argMax ? secondMax : max;
        return max;
    }

    private static double SquaredExtent(PointSet points, float[] centroids)
    {
        int dims = points.Dimensions;
        double sum = 0;
        for (int d = 0; d < dims; d++)
        {
            ReadOnlySpan<float> plane = points.Planes.AsSpan(d * points.Stride, points.Count);
            float min = plane[0], max = plane[0];
            foreach (float v in plane)
            {
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
            for (int c = d; c < centroids.Length; c += dims)
            {
                min = Math.Min(min, centroids[c]);
                max = Math.Max(max, centroids[c]);
            }
            double extent = (double)max - min;
            sum += extent * extent;
        }
        return sum;
    }

    /// <summary>One worker's buffers for gathering undecided points of a chunk.</summary>
    private sealed class RecomputeScratch(int dims, int chunkSize)
    {
        internal readonly int Stride = PlaneStride.For(chunkSize);
        internal readonly int[] Pending = new int[chunkSize];
        internal readonly float[] Planes = new float[dims * PlaneStride.For(chunkSize)];
        internal readonly int[] Labels = new int[chunkSize];
        internal readonly float[] Best = new float[chunkSize];
        internal readonly float[] Second = new float[chunkSize];
        internal readonly int[] Missed = new int[chunkSize];        // positions in the pending list
        internal readonly int[] MissedPoints = new int[chunkSize];  // the points at those positions
        internal readonly int[] MissedLabels = new int[chunkSize];
        internal readonly float[] MissedBest = new float[chunkSize];
        internal readonly float[] MissedSecond = new float[chunkSize];
    }
}
