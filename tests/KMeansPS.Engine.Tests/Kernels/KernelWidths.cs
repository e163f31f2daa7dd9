using KMeansPS.Engine.Kernels;

namespace KMeansPS.Engine.Tests.Kernels;

/// <summary>
/// The kernel widths a test compares against the scalar reference. Every width is callable on any CPU
/// (unaccelerated VectorN runs in software), so all three are always compared; the dispatcher in force is
/// compared too, which is what the ISA legs of the build exercise out of process.
/// </summary>
internal static class KernelWidths
{
    internal delegate void Assign(ReadOnlySpan<float> planes, int stride, int count, int dims,
        ReadOnlySpan<float> centroids, int k, Span<int> labels, Span<float> distances);

    internal delegate void AssignTwo(ReadOnlySpan<float> planes, int stride, int count, int dims,
        ReadOnlySpan<float> centroids, int k, Span<int> labels, Span<float> distances, Span<float> second);

    internal delegate void MinDistance(ReadOnlySpan<float> planes, int stride, int count, int dims,
        ReadOnlySpan<float> centre, ReadOnlySpan<float> closest, Span<float> result);

    internal delegate double MinDistanceSum(ReadOnlySpan<float> planes, int stride, int count, int dims,
        ReadOnlySpan<float> centre, ReadOnlySpan<float> closest, ReadOnlySpan<float> weights);

    internal static IEnumerable<(string Name, Assign Assign, AssignTwo AssignTwo, MinDistance Min, MinDistanceSum MinSum)> All()
    {
        yield return ("Vector128", Vector128Kernels.AssignNearest, Vector128Kernels.AssignNearestTwo, Vector128Kernels.MinDistance, Vector128Kernels.MinDistanceSum);
        yield return ("Vector256", Vector256Kernels.AssignNearest, Vector256Kernels.AssignNearestTwo, Vector256Kernels.MinDistance, Vector256Kernels.MinDistanceSum);
        yield return ("Vector512", Vector512Kernels.AssignNearest, Vector512Kernels.AssignNearestTwo, Vector512Kernels.MinDistance, Vector512Kernels.MinDistanceSum);
        KernelSet inForce = KernelSet.Create(null);
        yield return ("dispatcher:" + inForce.InstructionSet, inForce.AssignNearest, inForce.AssignNearestTwo, inForce.MinDistance, inForce.MinDistanceSum);
    }

    /// <summary>Instruction-set caps a fit can run at in this process: Scalar up to the best in force.</summary>
    internal static IEnumerable<InstructionSet> FitCaps()
    {
        for (var isa = InstructionSet.Scalar; isa <= KMeans.BestInstructionSet; isa++) yield return isa;
    }
}
