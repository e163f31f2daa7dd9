using System.Runtime.CompilerServices;
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
    /// Blocks of rows are written plane by plane, so each plane gets a run of consecutive floats: row by row, every
    /// value went to another plane (another page when the stride is large), a TLB miss per value.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe long TransposeRows(float* rows, int from, int to, int dimensions, float* target, nint stride)
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
