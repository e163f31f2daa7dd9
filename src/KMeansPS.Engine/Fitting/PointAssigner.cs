using System.Runtime.CompilerServices;
using KMeansPS.Engine.Kernels;

namespace KMeansPS.Engine.Fitting;

/// <summary>
/// Labels row-major points with their nearest centre without building a whole SoA copy: each chunk is
/// transposed into its worker's scratch and run through the same kernels and chunked sums as a fit, so
/// labels and inertia equal the final labelling pass of <see cref="KMeans.Fit"/> bit for bit.
/// </summary>
internal static unsafe class PointAssigner
{
    // With nearest and second (both or neither), each point's squared distance to its centre and the second smallest.
    internal static double Assign(ReadOnlySpan<float> data, int dims, ReadOnlySpan<float> centroids, Span<int> labels,
        ReadOnlySpan<float> weights, KernelSet kernels, int degree, float[]? nearest, float[]? second, CancellationToken token)
    {
        int n = data.Length / dims;
        int k = centroids.Length / dims;
        // The same chunking as a fit with this K, so inertia sums round the same way.
        int chunkSize = ChunkScheduler.ChunkSizeFor(n, k, dims);
        int chunks = ChunkScheduler.ChunkCount(n, chunkSize);
        int workers = Math.Max(1, Math.Min(degree, chunks));
        int stride = PlaneStride.For(chunkSize);
        var planes = new float[workers][];
        var distances = new float[workers][];
        for (int w = 0; w < workers; w++)
        {
            planes[w] = new float[(long)dims * stride];
            distances[w] = new float[chunkSize];
        }
        var inertia = new double[chunks];
        float[] centres = centroids.ToArray();
        fixed (float* dataPointer = data, weightPointer = weights)
        fixed (int* labelPointer = labels)
        {
            nint rows = (nint)dataPointer, outLabels = (nint)labelPointer, w = (nint)weightPointer;
            bool unit = weights.IsEmpty;
            ChunkScheduler.Run(chunks, degree, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (worker, chunk) =>
            {
                int start = chunk * chunkSize;
                int count = Math.Min(chunkSize, n - start);
                float* source = (float*)rows + (long)start * dims;
                float[] plane = planes[worker];
                fixed (float* target = plane)
                {
                    // Predict checked every value already, so the first non-finite index it returns is always -1.
                    PointSet.TransposeRows(source, 0, count, dims, target, stride);
                }
                var chunkLabels = new Span<int>((int*)outLabels + start, count);
                Span<float> dist = distances[worker].AsSpan(0, count);
                if (second is null)
                {
                    kernels.AssignNearest(plane, stride, count, dims, centres, k, chunkLabels, dist);
                }
                else
                {
                    kernels.AssignNearestTwo(plane, stride, count, dims, centres, k, chunkLabels, dist, second.AsSpan(start, count));
                    dist.CopyTo(nearest!.AsSpan(start, count));
                }
                inertia[chunk] = ChunkSums.Sum(dist, unit ? default : new ReadOnlySpan<float>((float*)w + start, count));
            }, token);
        }
        double total = 0;
        foreach (double v in inertia) total += v;
        return total;
    }
}
