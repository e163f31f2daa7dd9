using KMeansPS.Engine.Kernels;

namespace KMeansPS.Engine.Tests.Kernels;

/// <summary>
/// The kernel widths a test compares against the scalar reference, each called through a KernelSet made
/// for it. Every width is callable on any CPU (unaccelerated VectorN runs in software), so all three are
/// always compared; the dispatcher in force is compared too, which is what the ISA legs of the build
/// exercise out of process.
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
        foreach (InstructionSet isa in Vectors)
        {
            var width = new KernelSet(isa);
            yield return (isa.ToString(), width.AssignNearest, width.AssignNearestTwo, width.MinDistance, width.MinDistanceSum);
        }
        KernelSet inForce = KernelSet.Create(null);
        yield return ("dispatcher:" + inForce.InstructionSet, inForce.AssignNearest, inForce.AssignNearestTwo, inForce.MinDistance, inForce.MinDistanceSum);
    }

    /// <summary>
    /// The vector widths compared with the scalar reference: all three, except under qemu (the arm64 legs), where
    /// Vector256 and Vector512 run in software (the dispatcher never picks them on ARM) and are left to the x64 legs,
    /// which run them in hardware; in software they took most of the kernel classes' time there.
    /// </summary>
    internal static InstructionSet[] Vectors { get; } = Environment.GetEnvironmentVariable("KMEANSPS_EMULATED") == "1"
        ? [InstructionSet.Vector128]
        : [InstructionSet.Vector128, InstructionSet.Vector256, InstructionSet.Vector512];

    /// <summary>Instruction-set caps a fit can run at in this process: Scalar up to the best in force.</summary>
    internal static IEnumerable<InstructionSet> FitCaps()
    {
        for (var isa = InstructionSet.Scalar; isa <= KMeans.BestInstructionSet; isa++) yield return isa;
    }
}
