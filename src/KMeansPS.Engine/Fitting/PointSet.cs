using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using KMeansPS.Engine.Kernels;
using KMeansPS.Engine.Memory;

namespace KMeansPS.Engine.Fitting;

/// <summary>
/// The points of one fit as structure-of-arrays planes (coordinate d of point i at Planes[d * Stride + i]),
/// so a vector register holds the same coordinate of consecutive points; <see cref="PlaneStride"/> keeps the
/// planes from sharing cache sets. Built once per fit; the
/// transposition is also where non-finite values are found, by row.
/// </summary>
internal sealed class PointSet
{
    internal int Count { get; }
    internal int Dimensions { get; }
    internal float[] Planes { get; }
    /// <summary>Floats from one plane to the next (<see cref="PlaneStride.For"/> of <see cref="Count"/>).</summary>
    internal int Stride { get; }
    /// <summary>
    /// The caller's row-major data while a fit holds it pinned (null otherwise, and for subsets): the centroid
    /// sums read it, where one point's coordinates are contiguous.
    /// </summary>
    internal unsafe float* Rows { get; set; }
    /// <summary>Null means every weight is 1.</summary>
    internal float[]? Weights { get; }
    /// <summary>Points per chunk of every chunked pass over this set (see <see cref="ChunkScheduler.ChunkSizeFor"/>).</summary>
    internal int ChunkSize { get; private set; }
    internal int ChunkCount { get; private set; }

    private readonly object _meanVarianceLock = new();
    private int _meanVarianceChunkSize; // 0: not computed
    private double _meanVariance;

    /// <summary>Rows transposed together: their values fit in L1 while each plane takes its run.</summary>
    private const int TransposeBlock = 128;

    private PointSet(int count, int dimensions, float[] planes, float[]? weights)
    {
        Count = count;
        Dimensions = dimensions;
        Planes = planes;
        Stride = PlaneStride.For(count);
        Weights = weights;
        UseChunkSize(ChunkScheduler.BaseChunkSize);
    }

    /// <summary>
    /// Transposes row-major data, chunks in parallel; throws ArgumentException naming the first row that
    /// holds NaN or infinity (the lowest chunk with a bad value decides, so the row does not depend on timing).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe PointSet FromRows(ReadOnlySpan<float> data, int dimensions, ReadOnlySpan<float> weights,
        int degree = 1, CancellationToken token = default)
    {
        int n = data.Length / dimensions;
        int stride = PlaneStride.For(n);
        // Uninitialised, perhaps an earlier fit's: every value in [0, n) of each plane is written below, and no reader
        // goes past n (vector tails overlap back instead).
        float[] planes = LargeBufferCache.Rent<float>(checked(stride * dimensions));
        int chunks = ChunkScheduler.ChunkCount(n, ChunkScheduler.BaseChunkSize);
        var firstBad = new long[chunks];
        fixed (float* source = data)
        {
            nint rows = (nint)source;
            ChunkScheduler.Run(chunks, degree, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, chunk) =>
            {
                int start = chunk * ChunkScheduler.BaseChunkSize;
                int end = Math.Min(n, start + ChunkScheduler.BaseChunkSize);
                long bad;
                fixed (float* target = planes)
                {
                    bad = TransposeRows((float*)rows, start, end, dimensions, target, stride);
                }
                firstBad[chunk] = bad;
            }, token);
        }
        foreach (long bad in firstBad)
        {
            if (bad >= 0)
                ThrowHelper.Argument($"Row {bad / dimensions} holds {data[(int)bad]} in dimension {bad % dimensions}; every value must be finite (no NaN or infinity).", nameof(data));
        }
        InputValidator.Weights(weights);
        return new PointSet(n, dimensions, planes, weights.IsEmpty ? null : weights.ToArray());
    }

    /// <summary>
    /// Rows [from, to) of row-major <paramref name="rows"/> into planes (coordinate d of row i at
    /// target[d * stride + i]); returns the flat index (row x D + d) of the first value that is not finite, or -1.
    /// With AVX and D >= 8, eight rows by eight coordinates at a time, turned in registers (1 M x 32: 16.8 -> 9.1 ms on
    /// two cores); values are only moved, so the planes are the scalar loop's. A block holding a value that is not
    /// finite is redone by <see cref="TransposeRowsScalar"/>, which finds the first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe long TransposeRows(float* rows, int from, int to, int dimensions, float* target, nint stride)
    {
        if (!Avx.IsSupported || dimensions < 8) return TransposeRowsScalar(rows, from, to, dimensions, target, stride);
        int whole = dimensions & ~7;
        // x - x is +0 for every finite x and NaN otherwise: OR-ed together, any set bit marks a value that is not finite.
        Vector256<float> notFinite = Vector256<float>.Zero;
        for (int block = from; block < to; block += TransposeBlock)
        {
            int blockEnd = Math.Min(to, block + TransposeBlock);
            int vectorEnd = block + ((blockEnd - block) & ~7);
            for (int d = 0; d < whole; d += 8)
            {
                float* plane = target + d * stride;
                for (int i = block; i < vectorEnd; i += 8)
                {
                    float* row = rows + (long)i * dimensions + d;
                    Vector256<float> r0 = Avx.LoadVector256(row), r1 = Avx.LoadVector256(row + dimensions);
                    Vector256<float> r2 = Avx.LoadVector256(row + 2 * dimensions), r3 = Avx.LoadVector256(row + 3 * dimensions);
                    Vector256<float> r4 = Avx.LoadVector256(row + 4 * dimensions), r5 = Avx.LoadVector256(row + 5 * dimensions);
                    Vector256<float> r6 = Avx.LoadVector256(row + 6 * dimensions), r7 = Avx.LoadVector256(row + 7 * dimensions);
                    notFinite |= ((r0 - r0) | (r1 - r1)) | ((r2 - r2) | (r3 - r3)) | ((r4 - r4) | (r5 - r5)) | ((r6 - r6) | (r7 - r7));
                    FloatTranspose.Transpose8x8(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
                    Avx.Store(plane + i, r0);
                    Avx.Store(plane + stride + i, r1);
                    Avx.Store(plane + 2 * stride + i, r2);
                    Avx.Store(plane + 3 * stride + i, r3);
                    Avx.Store(plane + 4 * stride + i, r4);
                    Avx.Store(plane + 5 * stride + i, r5);
                    Avx.Store(plane + 6 * stride + i, r6);
                    Avx.Store(plane + 7 * stride + i, r7);
                }
            }
            for (int d = 0; d < dimensions; d++)
            {
                // The coordinates past the last whole eight, and the rows past the last whole eight.
                float* plane = target + d * stride;
                for (int i = d < whole ? vectorEnd : block; i < blockEnd; i++)
                {
                    float v = rows[(long)i * dimensions + d];
                    if (!float.IsFinite(v)) notFinite = Vector256<float>.AllBitsSet;
                    plane[i] = v;
                }
            }
        }
        return notFinite.AsInt32() == Vector256<int>.Zero ? -1 : TransposeRowsScalar(rows, from, to, dimensions, target, stride);
    }

    /// <summary>
    /// The reference for <see cref="TransposeRows"/>. Blocks of rows are written plane by plane, so each plane gets a
    /// run of consecutive floats: row by row, every value went to another plane (another page when the stride is
    /// large), a TLB miss per value.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe long TransposeRowsScalar(float* rows, int from, int to, int dimensions, float* target, nint stride)
    {
        long bad = long.MaxValue;
        for (int block = from; block < to; block += TransposeBlock)
        {
            int blockEnd = Math.Min(to, block + TransposeBlock);
            for (int d = 0; d < dimensions; d++)
            {
                float* source = rows + (long)block * dimensions + d;
                float* plane = target + d * stride;
                for (int i = block; i < blockEnd; i++, source += dimensions)
                {
                    float v = *source;
                    if (!float.IsFinite(v)) bad = Math.Min(bad, (long)i * dimensions + d);
                    plane[i] = v;
                }
            }
        }
        return bad == long.MaxValue ? -1 : bad;
    }

    /// <summary>The given rows (repeats allowed) as a new point set, weights carried along.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal PointSet Subset(ReadOnlySpan<int> rows)
    {
        int m = rows.Length;
        int stride = PlaneStride.For(m);
        var planes = new float[(long)stride * Dimensions];
        for (int d = 0; d < Dimensions; d++)
            for (int r = 0; r < m; r++) planes[(long)d * stride + r] = Planes[(long)d * Stride + rows[r]];
        float[]? weights = null;
        if (Weights is not null)
        {
            weights = new float[m];
            for (int r = 0; r < m; r++) weights[r] = Weights[rows[r]];
        }
        return new PointSet(m, Dimensions, planes, weights);
    }

    /// <summary>Sets the chunking before any chunked pass; the fit picks it from N, K and D.</summary>
    internal void UseChunkSize(int chunkSize)
    {
        ChunkSize = chunkSize;
        ChunkCount = ChunkScheduler.ChunkCount(Count, chunkSize);
    }

    /// <summary>
    /// Mean over dimensions of the weighted variance of the points: scikit-learn's scale for the tolerance.
    /// Per-chunk double sums, combined in chunk order, so the bits depend on the chunking only (not on
    /// <paramref name="degree"/>); kept for that chunking, since a <see cref="PreparedFit"/>'s fits all ask.
    /// </summary>
    internal double MeanVariance(int degree, CancellationToken token)
    {
        lock (_meanVarianceLock)
        {
            if (_meanVarianceChunkSize == ChunkSize) return _meanVariance;
        }
        int chunkSize = ChunkSize;
        double value = ComputeMeanVariance(degree, token);
        lock (_meanVarianceLock)
        {
            (_meanVarianceChunkSize, _meanVariance) = (chunkSize, value);
        }
        return value;
    }

    private double ComputeMeanVariance(int degree, CancellationToken token)
    {
        PointSet points = this;
        int dims = Dimensions;
        int chunks = ChunkCount;
        var part = new double[chunks * (dims + 1)];
        ChunkScheduler.Run(chunks, degree, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, chunk) =>
        {
            var (start, count) = points.Chunk(chunk);
            ReadOnlySpan<float> w = points.WeightSpan(start, count);
            for (int d = 0; d < dims; d++)
                part[chunk * (dims + 1) + d] = ChunkSums.Sum(points.Planes.AsSpan(d * points.Stride + start, count), w);
            part[chunk * (dims + 1) + dims] = w.IsEmpty ? count : ChunkSums.Sum(w, default);
        }, token);
        var mean = new double[dims];
        double weight = 0;
        for (int c = 0; c < chunks; c++)
        {
            for (int d = 0; d < dims; d++) mean[d] += part[c * (dims + 1) + d];
            weight += part[c * (dims + 1) + dims];
        }
        for (int d = 0; d < dims; d++) mean[d] /= weight;

        ChunkScheduler.Run(chunks, degree, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, chunk) =>
        {
            var (start, count) = points.Chunk(chunk);
            for (int d = 0; d < dims; d++)
            {
                ReadOnlySpan<float> plane = points.Planes.AsSpan(d * points.Stride + start, count);
                double m = mean[d], s = 0;
                if (points.Weights is null)
                {
                    for (int i = 0; i < count; i++) { double x = ExactConvert.ToDouble(plane[i]) - m; s += x * x; }
                }
                else
                {
                    ReadOnlySpan<float> w = points.Weights.AsSpan(start, count);
                    for (int i = 0; i < count; i++) { double x = ExactConvert.ToDouble(plane[i]) - m; s += ExactConvert.ToDouble(w[i]) * (x * x); }
                }
                part[chunk * (dims + 1) + d] = s;
            }
        }, token);
        double total = 0;
        for (int d = 0; d < dims; d++)
        {
            double v = 0;
            for (int c = 0; c < chunks; c++) v += part[c * (dims + 1) + d];
            total += v / weight;
        }
        return total / dims;
    }

    internal float Weight(int i) => Weights is null ? 1f : Weights[i];

    /// <summary>Weights of [start, start + count), or empty for unit weights.</summary>
    internal ReadOnlySpan<float> WeightSpan(int start, int count) =>
        Weights is null ? ReadOnlySpan<float>.Empty : Weights.AsSpan(start, count);

    /// <summary>The planes from point <paramref name="start"/> on; plane stride stays <see cref="Stride"/>.</summary>
    internal ReadOnlySpan<float> PlanesFrom(int start) => Planes.AsSpan(start);

    internal float Coordinate(int i, int d) => Planes[(long)d * Stride + i];

    internal void CopyRow(int i, Span<float> destination)
    {
        for (int d = 0; d < Dimensions; d++) destination[d] = Planes[(long)d * Stride + i];
    }

    internal (int Start, int Length) Chunk(int chunk)
    {
        int start = chunk * ChunkSize;
        return (start, Math.Min(ChunkSize, Count - start));
    }

}
