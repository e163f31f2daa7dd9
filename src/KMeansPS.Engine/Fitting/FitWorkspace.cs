using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using KMeansPS.Engine.Kernels;
using KMeansPS.Engine.Memory;

namespace KMeansPS.Engine.Fitting;

/// <summary>
/// Everything one fit needs, allocated once: labels, per-point distances, per-chunk partial sums and
/// per-worker scratch. The passes here are shared by Lloyd, Hamerly and the final labelling pass.
/// Partial sums are kept per chunk and reduced in chunk order, which makes them independent of the
/// number of workers.
/// </summary>
internal sealed class FitWorkspace
{
    internal PointSet Points { get; }
    internal int K { get; }
    internal int Dimensions { get; }
    internal KernelSet Kernels { get; }
    /// <summary>The most workers a pass may take: the per-worker scratch is sized for it (or for the chunks, if fewer).</summary>
    internal int Degree { get; }
    internal CancellationToken Token { get; }

    /// <summary>The workers this fit shares with fits beside it, if any.</summary>
    internal SharedWorkers? Shared { get; }

    /// <summary>The workers the next pass takes: <see cref="Degree"/>, or less while fits beside this one share them.</summary>
    internal int Workers => Shared is null ? Degree : Math.Min(Degree, Shared.PerFit);

    /// <summary>Nearest-centre label of each point after the last pass.</summary>
    internal int[] Labels { get; }
    /// <summary>Squared distance of each point to its labelled centre after the last pass.</summary>
    internal float[] Distances { get; }

    private readonly double[] _chunkSums;     // chunk x K x (D + 1): weighted coordinate sums, then weight
    private readonly double[] _chunkInertia;  // chunk
    private readonly int[] _chunkChanged;     // chunk: labels that changed in the pass
    private readonly bool[] _chunkSumsValid;  // chunk: its sums belong to its current labels
    private readonly int[][] _labelScratch;   // worker x chunk size
    private readonly double[][] _sumScratch;  // worker x 4 copies x K x ScratchSlots, pinned
    private readonly nint[] _copies;          // worker: the first 64-byte boundary in its _sumScratch, where the copies start

    internal unsafe FitWorkspace(PointSet points, int k, KernelSet kernels, int degree, CancellationToken token,
        SharedWorkers? shared = null)
    {
        Points = points;
        K = k;
        Dimensions = points.Dimensions;
        Kernels = kernels;
        Degree = degree;
        Token = token;
        Shared = shared;
        // Rented too: the result carries the labels, and a caller that has no use for them (a palette fit) can hand
        // them back. Filled here, so nothing reads what the buffer held before.
        Labels = LargeBufferCache.Rent<int>(points.Count);
        FillUnlabelled(Labels, points, Workers, token);
        // Rented (fresh memory costs page faults); every pass writes a chunk's distances before reading them.
        Distances = LargeBufferCache.Rent<float>(points.Count);
        _chunkSums = new double[(long)points.ChunkCount * k * (Dimensions + 1)];
        _chunkInertia = new double[points.ChunkCount];
        _chunkChanged = new int[points.ChunkCount];
        _chunkSumsValid = new bool[points.ChunkCount];
        _labelScratch = new int[Math.Max(1, Math.Min(degree, points.ChunkCount))][];
        _sumScratch = new double[_labelScratch.Length][];
        _copies = new nint[_labelScratch.Length];
        for (int w = 0; w < _labelScratch.Length; w++)
        {
            _labelScratch[w] = new int[points.ChunkSize];
            // Pinned, so the copies' boundary found here holds for every call that adds to them (a chunk in blocks
            // takes several; an array that moved between them would misplace the sums).
            _sumScratch[w] = GC.AllocateArray<double>(4 * k * ScratchSlots + 8, pinned: true);
            _copies[w] = ((nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_sumScratch[w])) + 63) & ~(nint)63;
        }
        SumBlock = SumBlockFor(points.ChunkSize, Dimensions, kernels.InstructionSet);
    }

    internal int SumStride => K * (Dimensions + 1);

    /// <summary>
    /// Every label -1 (no centre yet), chunk by chunk on the fit's workers when there are many: a fresh label array is
    /// paid for in page faults on first touch (1 M points: 4 MB, 1,000 faults, several ms on one core of the VM
    /// perf/README.md describes).
    /// </summary>
    private static void FillUnlabelled(int[] labels, PointSet points, int degree, CancellationToken token)
    {
        if (degree <= 1 || points.ChunkCount < 8)
        {
            Array.Fill(labels, -1);
            return;
        }
        ChunkScheduler.Run(points.ChunkCount, degree, (_, chunk) =>
        {
            var (start, count) = points.Chunk(chunk);
            labels.AsSpan(start, count).Fill(-1);
        }, token);
    }

    /// <summary>
    /// Doubles from one label's sums to the next in a worker's copies: D + 1 rounded up to 4 (D &lt;= 3) or 8, so that
    /// with the copies on a 64-byte boundary a label's 4- or 8-double read-modify-writes never straddle two cache
    /// lines. Straddling ones are slow and defeat store-to-load forwarding: at D = 32, K = 16 (33 doubles a label)
    /// the sums took a quarter of a Lloyd iteration. Only the layout of the scratch; the chunk sums stay D + 1 apart.
    /// </summary>
    private int ScratchSlots => Dimensions + 1 <= 4 ? 4 : (Dimensions + 1 + 7) & ~7;

    /// <summary>
    /// <see cref="SumBlock"/>: the whole chunk unless the sums read the planes (<see cref="PlaneSums.CanTranspose"/>) and a
    /// chunk's planes exceed half of <see cref="PlaneSums.CachedFloats"/>; then the most points, in 64s, within that half.
    /// </summary>
    internal static int SumBlockFor(int chunkSize, int dims, InstructionSet cap)
    {
        int half = PlaneSums.CachedFloats / 2;
        if (!PlaneSums.CanTranspose(cap, dims) || (long)chunkSize * dims <= half) return chunkSize;
        return Math.Max(64, half / dims & ~63);
    }

    /// <summary>Hands the rented per-point buffers back; the workspace is not used after this.</summary>
    internal void ReturnBuffers() => LargeBufferCache.Return(Distances);

    internal int[] LabelScratch(int worker) => _labelScratch[worker];

    /// <summary>The per-chunk partial sums as the last accumulating pass left them (tests).</summary>
    internal ReadOnlySpan<double> PartialSums => _chunkSums;

    /// <summary>
    /// Labels every point with its nearest centre, records distances, and (when asked) accumulates the
    /// per-chunk centroid sums. Returns the inertia and the number of labels that changed.
    /// </summary>
    internal (double Inertia, long Changed) AssignAll(float[] centroids, bool accumulate)
    {
        ChunkScheduler.Run(Points.ChunkCount, Workers, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (worker, chunk) =>
        {
            var (start, count) = Points.Chunk(chunk);
            Span<float> dist = Distances.AsSpan(start, count);
            if (accumulate)
            {
                _chunkChanged[chunk] = AssignAndAccumulate(worker, chunk, centroids);
            }
            else
            {
                Span<int> fresh = _labelScratch[worker].AsSpan(0, count);
                Kernels.AssignNearest(Points.PlanesFrom(start), Points.Stride, count, Dimensions, centroids, K, fresh, dist);
                _chunkChanged[chunk] = LabelCommit.Commit(fresh, Labels.AsSpan(start, count));
                if (_chunkChanged[chunk] != 0) _chunkSumsValid[chunk] = false;
            }
            _chunkInertia[chunk] = ChunkSums.Sum(dist, Points.WeightSpan(start, count));
        }, Token);
        return (SumInChunkOrder(_chunkInertia), CountChanged());
    }

    internal void SetChunkResult(int chunk, double inertia, int changed)
    {
        _chunkInertia[chunk] = inertia;
        _chunkChanged[chunk] = changed;
    }

    internal double SumInChunkOrder() => SumInChunkOrder(_chunkInertia);

    internal long CountChanged()
    {
        long total = 0;
        foreach (int c in _chunkChanged) total += c;
        return total;
    }

    private static double SumInChunkOrder(double[] values)
    {
        double total = 0;
        foreach (double v in values) total += v;
        return total;
    }

    /// <summary>
    /// A chunk whose labels did not change since its sums were last accumulated has the same sums, bit for
    /// bit (same points, same labels, same order), so the pass keeps them. Late iterations change few labels.
    /// </summary>
    internal void AccumulateChunkIfChanged(int worker, int chunk, int changed)
    {
        if (changed == 0 && _chunkSumsValid[chunk]) return;
        AccumulateChunk(worker, chunk);
        _chunkSumsValid[chunk] = true;
    }

    /// <summary>
    /// Points a chunk's assignment and sums take at a time when its planes would not stay in a core's cache from one
    /// to the other (the chunk's whole count otherwise): a multiple of 64, so that a block's points keep their copy
    /// (i mod 4) and the kernels' tiles. At D = 128 a chunk's planes are 2 MiB: whole, the sums read the rows from memory
    /// right after the kernel streamed the planes; in blocks they read the planes the kernel has just left in cache.
    /// </summary>
    private int SumBlock { get; }

    /// <summary>
    /// <see cref="AssignAll"/>'s accumulating pass over one chunk in blocks of <see cref="SumBlock"/> points (one block when
    /// the chunk's planes stay in cache whole): each block is labelled,
    /// committed and (when the chunk's sums must be made again) added to the worker's copies while its planes are in
    /// cache. The sums are <see cref="AccumulateChunk"/>'s to the bit: every slot still takes its points in point
    /// order. A chunk whose sums are still valid is summed only from its first changed label on, when the blocks
    /// before it are added first. Returns the labels that changed.
    /// </summary>
    private int AssignAndAccumulate(int worker, int chunk, float[] centroids)
    {
        var (start, count) = Points.Chunk(chunk);
        Span<int> fresh = _labelScratch[worker].AsSpan(0, count);
        Span<float> dist = Distances.AsSpan(start, count);
        bool summing = !_chunkSumsValid[chunk];
        if (summing) Array.Clear(_sumScratch[worker]);
        int changed = 0;
        for (int from = 0; from < count; from += SumBlock)
        {
            int m = Math.Min(SumBlock, count - from);
            Kernels.AssignNearest(Points.PlanesFrom(start + from), Points.Stride, m, Dimensions, centroids, K, fresh.Slice(from, m), dist.Slice(from, m));
            int blockChanged = LabelCommit.Commit(fresh.Slice(from, m), Labels.AsSpan(start + from, m));
            changed += blockChanged;
            if (!summing && blockChanged != 0)
            {
                summing = true;
                Array.Clear(_sumScratch[worker]);
                AddToCopies(worker, start, 0, from);
            }
            if (summing) AddToCopies(worker, start, from, m);
        }
        if (summing)
        {
            StoreCopies(worker, chunk);
            _chunkSumsValid[chunk] = true;
        }
        return changed;
    }

    /// <summary>
    /// Weighted coordinate sums and weights of one chunk's points, by label. Point i of the chunk adds,
    /// in point order, into copy (i mod 4) of the sums; the copies are combined as (c0 + c1) + (c2 + c3).
    /// Four copies break the store-to-load chains that runs of equal labels (common in images) would
    /// otherwise form; the order depends only on the data, never on width or threads.
    /// </summary>
    private void AccumulateChunk(int worker, int chunk)
    {
        var (start, count) = Points.Chunk(chunk);
        Array.Clear(_sumScratch[worker]);
        AddToCopies(worker, start, 0, count);
        StoreCopies(worker, chunk);
    }

    /// <summary>
    /// Adds points [<paramref name="from"/>, + <paramref name="count"/>) of the chunk starting at point
    /// <paramref name="chunkStart"/> to the worker's four copies (copy = index in the chunk mod 4; from is a multiple
    /// of 4 when it is not the chunk's start), in point order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void AddToCopies(int worker, int chunkStart, int from, int count)
    {
        if (count == 0) return;
        int dims = Dimensions;
        int slots = ScratchSlots;
        int copyStride = K * slots;
        int start = chunkStart + from;
        float[]? weights = Points.Weights;
        double* acc = (double*)_copies[worker];
        fixed (int* labelBase = Labels)
        fixed (float* planeBase = Points.Planes)
        fixed (float* weightBase = weights)
        {
            int* labels = labelBase + start;
            float* p = planeBase + start;
            nint n = Points.Stride;
            float* w = weightBase == null ? null : weightBase + start;
            if (PlaneSums.CanTranspose(Kernels.InstructionSet, dims) && (Points.Rows == null || (long)count * dims <= PlaneSums.CachedFloats))
            {
                // From the planes the assignment pass just read (in cache), not the rows (in memory).
                PlaneSums.AddTransposed(p, n, count, dims, labels, w, acc, copyStride, slots);
            }
            else if (dims != 3 && Points.Rows != null)
            {
                LabelSums.Add(Kernels.InstructionSet, Points.Rows + (long)start * dims, count, dims, labels, w, acc, copyStride, slots);
            }
            else if (dims == 3 && Kernels.InstructionSet >= InstructionSet.Vector256 && Vector256.IsHardwareAccelerated && Avx.IsSupported)
            {
                PlaneSums.AddThree(p, n, count, labels, w, acc, copyStride, slots);
            }
            else
            {
                PlaneSums.AddScalar(p, n, count, dims, labels, w, acc, copyStride, slots);
            }
        }
    }

    /// <summary>The worker's four copies combined as (c0 + c1) + (c2 + c3) into the chunk's sums.</summary>
    private unsafe void StoreCopies(int worker, int chunk)
    {
        int stride = Dimensions + 1;
        int slots = ScratchSlots;
        int copyStride = K * slots;
        double* acc = (double*)_copies[worker];
        fixed (double* chunkBase = _chunkSums)
        {
            double* slot = chunkBase + (long)chunk * SumStride;
            for (int k = 0; k < K; k++)
            {
                double* c0 = acc + k * slots, c1 = c0 + copyStride, c2 = c1 + copyStride, c3 = c2 + copyStride;
                for (int j = 0; j < stride; j++) slot[k * stride + j] = (c0[j] + c1[j]) + (c2[j] + c3[j]);
            }
        }
    }

    /// <summary>
    /// New centres = weighted means of the points labelled to them (sums reduced in chunk order).
    /// Empty clusters are repaired as scikit-learn does: each takes one of the points farthest from their
    /// centre (largest first, ties to the lowest index), and that point's weight leaves its old cluster.
    /// Returns the total squared centre shift.
    /// </summary>
    internal double UpdateCentroids(float[] oldCentroids, float[] newCentroids)
    {
        int dims = Dimensions;
        int stride = dims + 1;
        var totals = new double[SumStride];
        int sumStride = SumStride;
        // Reduce each slot over chunks in chunk order; slots are independent, so split them over workers.
        int slotBlocks = (sumStride + 255) / 256;
        ChunkScheduler.Run(slotBlocks, Workers, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, block) =>
        {
            int from = block * 256, to = Math.Min(sumStride, from + 256);
            for (int c = 0; c < Points.ChunkCount; c++)
            {
                ReadOnlySpan<double> part = _chunkSums.AsSpan((int)((long)c * sumStride), sumStride);
                for (int j = from; j < to; j++) totals[j] += part[j];
            }
        }, Token);

        int empty = 0;
        for (int k = 0; k < K; k++)
        {
            if (totals[k * stride + dims] <= 0) empty++;
        }
        if (empty > 0) RelocateEmpty(totals, empty);

        double shift = 0;
        for (int k = 0; k < K; k++)
        {
            double weight = totals[k * stride + dims];
            for (int d = 0; d < dims; d++)
            {
                // A cluster left without weight (possible only in degenerate repairs) keeps its centre.
                float value = weight > 0 ? (float)(totals[k * stride + d] / weight) : oldCentroids[k * dims + d];
                newCentroids[k * dims + d] = value;
                double diff = (double)value - oldCentroids[k * dims + d];
                shift += diff * diff;
            }
        }
        return shift;
    }

    private void RelocateEmpty(double[] totals, int empty)
    {
        int dims = Dimensions;
        int stride = dims + 1;
        int[] far = FarthestPoints(empty);
        int next = 0;
        for (int k = 0; k < K && next < far.Length; k++)
        {
            if (totals[k * stride + dims] > 0) continue;
            int p = far[next++];
            int old = Labels[p];
            double w = Points.Weight(p);
            for (int d = 0; d < dims; d++)
            {
                double v = w * Points.Coordinate(p, d);
                totals[k * stride + d] = v;
                totals[old * stride + d] -= v;
            }
            totals[k * stride + dims] = w;
            totals[old * stride + dims] -= w;
        }
    }

    /// <summary>The <paramref name="count"/> positive-weight points farthest from their centres, farthest first.</summary>
    private int[] FarthestPoints(int count)
    {
        // A small sorted list: descending distance, ascending index among equals.
        var best = new List<int>(count + 1);
        for (int i = 0; i < Points.Count; i++)
        {
            if (Points.Weight(i) <= 0) continue;
            float d = Distances[i];
            if (best.Count == count && !(d > Distances[best[^1]])) continue;
            int pos = best.Count;
            while (pos > 0 && d > Distances[best[pos - 1]]) pos--;
            best.Insert(pos, i);
            if (best.Count > count) best.RemoveAt(best.Count - 1);
        }
        return best.ToArray();
    }

    /// <summary>The points' mean variance (<see cref="PointSet.MeanVariance"/>), scikit-learn's scale for the tolerance.</summary>
    internal double MeanVariance() => Points.MeanVariance(Workers, Token);
}
