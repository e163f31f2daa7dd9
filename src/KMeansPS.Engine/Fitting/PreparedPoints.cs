using System.Runtime.CompilerServices;
using KMeansPS.Engine.Kernels;
using KMeansPS.Engine.Memory;

namespace KMeansPS.Engine.Fitting;

/// <summary>
/// Rows checked and turned into planes once, then labelled against many sets of centres: a palette's seedings and
/// refinement steps label the same colours a dozen times or more, and <see cref="KMeans.Predict"/> checks every value
/// and transposes every row on each call. Labels are <see cref="KMeans.Predict"/>'s: each point's nearest centre comes
/// from the same kernel whatever the chunking. Several threads may label at once (the planes are only read).
/// </summary>
internal sealed class PreparedPoints : IDisposable
{
    private readonly PointSet _points;
    private readonly KernelSet _kernels;
    private bool _disposed;

    /// <summary>Throws ArgumentException as <see cref="KMeans.Predict"/> does for empty data or values that are not finite.</summary>
    internal PreparedPoints(ReadOnlySpan<float> data, int dimensions, InstructionSet? maxInstructionSet = null, CancellationToken token = default)
    {
        InputValidator.Shape(data, dimensions, default);
        _points = PointSet.FromRows(data, dimensions, default, 1, token);
        _kernels = KernelSet.Create(maxInstructionSet);
    }

    internal int Count => _points.Count;

    /// <summary>Writes the nearest centre of each point (ties: the lowest index) into labels[0 .. Count).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void Assign(ReadOnlySpan<float> centroids, int[] labels, int? maxDegreeOfParallelism, CancellationToken token)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(labels);
        int dims = _points.Dimensions;
        int k = InputValidator.CentroidRows(centroids, dims, nameof(centroids));
        if (labels.Length < _points.Count) ThrowHelper.Argument($"labels has {labels.Length} slots for {_points.Count} points.", nameof(labels));
        int degree = InputValidator.Degree(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));

        float[] centres = centroids.ToArray();
        PointSet points = _points;
        KernelSet kernels = _kernels;
        var distances = new float[Math.Max(1, Math.Min(degree, points.ChunkCount))][];
        ChunkScheduler.Run(points.ChunkCount, degree, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (worker, chunk) =>
        {
            var (start, count) = points.Chunk(chunk);
            float[] dist = distances[worker] ??= new float[points.ChunkSize];
            kernels.AssignNearest(points.PlanesFrom(start), points.Stride, count, dims, centres, k, labels.AsSpan(start, count), dist.AsSpan(0, count));
        }, token);
    }

    /// <summary>Hands the planes to the next fit or preparation of this size.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        LargeBufferCache.Return(_points.Planes);
    }
}
