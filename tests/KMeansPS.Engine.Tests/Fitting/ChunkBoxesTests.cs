using Xunit;
using KMeansPS.Engine.Fitting;
using KMeansPS.Engine.Kernels;
using KMeansPS.Engine.Random;
using KMeansPS.Engine.Tests.Kernels;

namespace KMeansPS.Engine.Tests.Fitting;

/// <summary>
/// <see cref="ChunkBoxes.KernelDistanceBound"/> never exceeds the squared distance the kernels compute from the candidate
/// to any point of the chunk, at every instruction set: on points at the box's corners and faces, candidates just
/// outside them, and scales from the subnormals' edge to near float's top.
/// </summary>
public class ChunkBoxesTests
{
    [Theory]
    [InlineData(1, 1.0)]
    [InlineData(2, 1.0)]
    [InlineData(3, 1e-19)]
    [InlineData(3, 1.0)]
    [InlineData(3, 1e18)]
    [InlineData(4, 1e-3)]
    [InlineData(4, 1e17)]
    [InlineData(7, 1.0)]
    public void The_bound_is_below_every_kernel_distance_in_the_chunk(int dims, double scale)
    {
        const int n = 2048, chunkSize = 256;
        var rng = new DeterministicRandom((ulong)(dims * 31 + (int)Math.Log10(scale) + 40));
        var data = new float[n * dims];
        for (int i = 0; i < n; i++)
        {
            int chunk = i / chunkSize;
            for (int d = 0; d < dims; d++)
            {
                // Each chunk a small box of its own; many points on its faces (0 or 1 exactly), the rest inside.
                double at = chunk * 3 + (rng.NextInt(3) switch { 0 => 0, 1 => 1, _ => rng.NextDouble() });
                data[i * dims + d] = (float)(at * scale);
            }
        }
        PointSet points = PointSet.FromRows(data, dims, [], 1, TestContext.Current.CancellationToken);
        points.UseChunkSize(chunkSize);
        ChunkBoxes boxes = ChunkBoxes.Of(points, 2, TestContext.Current.CancellationToken);
        int positive = 0;
        foreach (InstructionSet cap in KernelWidths.FitCaps())
        {
            KernelSet kernels = KernelSet.Create(cap);
            for (int round = 0; round < 200; round++)
            {
                // A candidate one float step outside a face, or a little farther, of a random chunk's box.
                var candidate = new float[dims];
                int near = rng.NextInt(points.ChunkCount);
                for (int d = 0; d < dims; d++)
                {
                    double edge = near * 3 + rng.NextInt(2);
                    float value = (float)(edge * scale);
                    candidate[d] = rng.NextInt(3) switch
                    {
                        0 => value,
                        1 => edge == near * 3 ? MathF.BitDecrement(value) : MathF.BitIncrement(value),
                        _ => (float)((edge + (edge == near * 3 ? -1 : 1) * rng.NextDouble() * 0.01) * scale),
                    };
                }
                for (int chunk = 0; chunk < points.ChunkCount; chunk++)
                {
                    var (start, count) = points.Chunk(chunk);
                    var infinity = new float[count];
                    Array.Fill(infinity, float.PositiveInfinity);
                    var distances = new float[count];
                    kernels.MinDistance(points.PlanesFrom(start), points.Stride, count, dims, candidate, infinity, distances);
                    double bound = boxes.KernelDistanceBound(chunk, candidate);
                    if (bound > 0) positive++;
                    float nearest = distances.Min();
                    Assert.True(bound <= nearest, $"{cap}, D = {dims}, scale {scale}: bound {bound:R} above the kernel's {nearest:R} (chunk {chunk})");
                }
            }
        }
        Assert.True(positive > 0, "no bound was positive, so nothing was tested");
    }
}
