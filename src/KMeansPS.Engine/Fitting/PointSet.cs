using System.Runtime.CompilerServices;

namespace KMeansPS.Engine.Fitting;

/// <summary>
/// The points of one fit as structure-of-arrays planes (coordinate d of point i at Planes[d * Count + i]),
/// so a vector register holds the same coordinate of consecutive points. Built once per fit; the
/// transposition is also where non-finite values are found, by row.
/// </summary>
internal sealed class PointSet
{
    internal int Count { get; }
    internal int Dimensions { get; }
    internal float[] Planes { get; }
    /// <summary>Null means every weight is 1.</summary>
    internal float[]? Weights { get; }
    internal int ChunkCount { get; }

    private PointSet(int count, int dimensions, float[] planes, float[]? weights)
    {
        Count = count;
        Dimensions = dimensions;
        Planes = planes;
        Weights = weights;
        ChunkCount = ChunkScheduler.ChunkCount(count);
    }

    /// <summary>Transposes row-major data; throws ArgumentException naming the first row holding NaN or infinity.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static PointSet FromRows(ReadOnlySpan<float> data, int dimensions, ReadOnlySpan<float> weights)
    {
        int n = data.Length / dimensions;
        var planes = GC.AllocateUninitializedArray<float>(data.Length);
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<float> row = data.Slice(i * dimensions, dimensions);
            for (int d = 0; d < dimensions; d++)
            {
                float v = row[d];
                if (!float.IsFinite(v))
                    ThrowHelper.Argument($"Row {i} holds {v} in dimension {d}; every value must be finite (no NaN or infinity).", "data");
                planes[(long)d * n + i] = v;
            }
        }
        InputValidator.Weights(weights);
        return new PointSet(n, dimensions, planes, weights.IsEmpty ? null : weights.ToArray());
    }

    /// <summary>The given rows (repeats allowed) as a new point set, weights carried along.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal PointSet Subset(ReadOnlySpan<int> rows)
    {
        int m = rows.Length;
        var planes = new float[(long)m * Dimensions];
        for (int d = 0; d < Dimensions; d++)
            for (int r = 0; r < m; r++) planes[(long)d * m + r] = Planes[(long)d * Count + rows[r]];
        float[]? weights = null;
        if (Weights is not null)
        {
            weights = new float[m];
            for (int r = 0; r < m; r++) weights[r] = Weights[rows[r]];
        }
        return new PointSet(m, Dimensions, planes, weights);
    }

    internal float Weight(int i) => Weights is null ? 1f : Weights[i];

    /// <summary>Weights of [start, start + count), or empty for unit weights.</summary>
    internal ReadOnlySpan<float> WeightSpan(int start, int count) =>
        Weights is null ? ReadOnlySpan<float>.Empty : Weights.AsSpan(start, count);

    /// <summary>The planes from point <paramref name="start"/> on; plane stride stays <see cref="Count"/>.</summary>
    internal ReadOnlySpan<float> PlanesFrom(int start) => Planes.AsSpan(start);

    internal float Coordinate(int i, int d) => Planes[(long)d * Count + i];

    internal void CopyRow(int i, Span<float> destination)
    {
        for (int d = 0; d < Dimensions; d++) destination[d] = Planes[(long)d * Count + i];
    }

    internal (int Start, int Length) Chunk(int chunk)
    {
        int start = chunk * ChunkScheduler.ChunkSize;
        return (start, Math.Min(ChunkScheduler.ChunkSize, Count - start));
    }

}
