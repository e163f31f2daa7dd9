using System.Runtime.Intrinsics;

namespace KMeansPS.Engine.Kernels;

using Vector128Kernels = VectorKernels<Width128, Vector128<float>, Vector128<int>, Vector128<double>>;
using Vector256Kernels = VectorKernels<Width256, Vector256<float>, Vector256<int>, Vector256<double>>;
using Vector512Kernels = VectorKernels<Width512, Vector512<float>, Vector512<int>, Vector512<double>>;

/// <summary>
/// The one dispatcher: picks the widest accelerated width allowed by a cap and calls that width's
/// instantiation of <see cref="VectorKernels{TWidth, TFloats, TInts, TDoubles}"/>, or the scalar reference.
/// Gated on VectorN.IsHardwareAccelerated (never on Avx512F.IsSupported), so DOTNET_* knobs and
/// DOTNET_PreferredVectorBitWidth are honoured. Any width can be constructed (unaccelerated VectorN runs
/// in software), which is how the tests compare every width with the reference on any CPU.
/// </summary>
internal readonly struct KernelSet
{
    internal InstructionSet InstructionSet { get; }

    internal KernelSet(InstructionSet instructionSet) => InstructionSet = instructionSet;

    /// <summary>The widest width the hardware and runtime accelerate.</summary>
    internal static InstructionSet Best =>
        Vector512.IsHardwareAccelerated ? InstructionSet.Vector512
        : Vector256.IsHardwareAccelerated ? InstructionSet.Vector256
        : Vector128.IsHardwareAccelerated ? InstructionSet.Vector128
        : InstructionSet.Scalar;

    internal static KernelSet Create(InstructionSet? cap)
    {
        InstructionSet best = Best;
        if (cap is { } c && c < best) best = c;
        return new KernelSet(best);
    }

    internal void AssignNearest(ReadOnlySpan<float> planes, int stride, int count, int dims,
        ReadOnlySpan<float> centroids, int k, Span<int> labels, Span<float> distances)
    {
        switch (InstructionSet)
        {
            case InstructionSet.Vector512:
                Vector512Kernels.AssignNearest(planes, stride, count, dims, centroids, k, labels, distances);
                break;
            case InstructionSet.Vector256:
                Vector256Kernels.AssignNearest(planes, stride, count, dims, centroids, k, labels, distances);
                break;
            case InstructionSet.Vector128:
                Vector128Kernels.AssignNearest(planes, stride, count, dims, centroids, k, labels, distances);
                break;
            default:
                ScalarKernels.AssignNearest(planes, stride, count, dims, centroids, k, labels, distances);
                break;
        }
    }

    internal void AssignNearestTwo(ReadOnlySpan<float> planes, int stride, int count, int dims,
        ReadOnlySpan<float> centroids, int k, Span<int> labels, Span<float> distances, Span<float> secondDistances)
    {
        switch (InstructionSet)
        {
            case InstructionSet.Vector512:
                Vector512Kernels.AssignNearestTwo(planes, stride, count, dims, centroids, k, labels, distances, secondDistances);
                break;
            case InstructionSet.Vector256:
                Vector256Kernels.AssignNearestTwo(planes, stride, count, dims, centroids, k, labels, distances, secondDistances);
                break;
            case InstructionSet.Vector128:
                Vector128Kernels.AssignNearestTwo(planes, stride, count, dims, centroids, k, labels, distances, secondDistances);
                break;
            default:
                ScalarKernels.AssignNearestTwo(planes, stride, count, dims, centroids, k, labels, distances, secondDistances);
                break;
        }
    }

    internal void MinDistance(ReadOnlySpan<float> planes, int stride, int count, int dims,
        ReadOnlySpan<float> centre, ReadOnlySpan<float> closest, Span<float> result)
    {
        switch (InstructionSet)
        {
            case InstructionSet.Vector512:
                Vector512Kernels.MinDistance(planes, stride, count, dims, centre, closest, result);
                break;
            case InstructionSet.Vector256:
                Vector256Kernels.MinDistance(planes, stride, count, dims, centre, closest, result);
                break;
            case InstructionSet.Vector128:
                Vector128Kernels.MinDistance(planes, stride, count, dims, centre, closest, result);
                break;
            default:
                ScalarKernels.MinDistance(planes, stride, count, dims, centre, closest, result);
                break;
        }
    }

    internal double MinDistanceSum(ReadOnlySpan<float> planes, int stride, int count, int dims,
        ReadOnlySpan<float> centre, ReadOnlySpan<float> closest, ReadOnlySpan<float> weights) => InstructionSet switch
        {
            InstructionSet.Vector512 => Vector512Kernels.MinDistanceSum(planes, stride, count, dims, centre, closest, weights),
            InstructionSet.Vector256 => Vector256Kernels.MinDistanceSum(planes, stride, count, dims, centre, closest, weights),
            InstructionSet.Vector128 => Vector128Kernels.MinDistanceSum(planes, stride, count, dims, centre, closest, weights),
            _ => ScalarKernels.MinDistanceSum(planes, stride, count, dims, centre, closest, weights),
        };

    /// <summary>One k-means++ step's pass over a block (<see cref="ScalarKernels.FoldAndMinDistanceSums"/>).</summary>
    internal void FoldAndMinDistanceSums(ReadOnlySpan<float> planes, int stride, int count, int dims,
        ReadOnlySpan<float> pending, ReadOnlySpan<float> candidates, Span<float> closest, ReadOnlySpan<float> weights, Span<double> sums)
    {
        switch (InstructionSet)
        {
            case InstructionSet.Vector512:
                Vector512Kernels.FoldAndMinDistanceSums(planes, stride, count, dims, pending, candidates, closest, weights, sums);
                break;
            case InstructionSet.Vector256:
                Vector256Kernels.FoldAndMinDistanceSums(planes, stride, count, dims, pending, candidates, closest, weights, sums);
                break;
            case InstructionSet.Vector128:
                Vector128Kernels.FoldAndMinDistanceSums(planes, stride, count, dims, pending, candidates, closest, weights, sums);
                break;
            default:
                ScalarKernels.FoldAndMinDistanceSums(planes, stride, count, dims, pending, candidates, closest, weights, sums);
                break;
        }
    }

    /// <summary>Lanes of the neighbour walk at this width (<see cref="NeighbourWalk{TWidth, TFloats, TInts, TDoubles}"/>); 0 for the scalar reference, which has none.</summary>
    internal int NeighbourWidth => InstructionSet switch
    {
        InstructionSet.Vector512 => Vector512<float>.Count,
        InstructionSet.Vector256 => Vector256<float>.Count,
        InstructionSet.Vector128 => Vector128<float>.Count,
        _ => 0,
    };

    /// <summary>The nearest two of listed points among the centres near their own (<see cref="NeighbourWalk{TWidth, TFloats, TInts, TDoubles}.NearestTwo"/>).</summary>
    internal void NeighbourNearestTwo(ReadOnlySpan<float> planes, int stride, ReadOnlySpan<int> pending, ReadOnlySpan<int> own,
        ReadOnlySpan<float> ownDistance, NeighbourTable table, double gamma, double eta, Span<int> labels, Span<float> best, Span<float> second)
    {
        switch (InstructionSet)
        {
            case InstructionSet.Vector512:
                NeighbourWalk<Width512, Vector512<float>, Vector512<int>, Vector512<double>>.NearestTwo(planes, stride, pending, own, ownDistance, table, gamma, eta, labels, best, second);
                break;
            case InstructionSet.Vector256:
                NeighbourWalk<Width256, Vector256<float>, Vector256<int>, Vector256<double>>.NearestTwo(planes, stride, pending, own, ownDistance, table, gamma, eta, labels, best, second);
                break;
            case InstructionSet.Vector128:
                NeighbourWalk<Width128, Vector128<float>, Vector128<int>, Vector128<double>>.NearestTwo(planes, stride, pending, own, ownDistance, table, gamma, eta, labels, best, second);
                break;
            default:
                throw new InvalidOperationException("The scalar reference has no neighbour walk.");
        }
    }

    /// <summary>Hamerly's half gaps (<see cref="CentreGaps"/>); <paramref name="planes"/> is scratch of K x D doubles.</summary>
    internal void HalfGaps(ReadOnlySpan<float> centres, int k, int dims, Span<double> halfGap, Span<double> planes)
    {
        switch (InstructionSet)
        {
            case InstructionSet.Vector512:
                CentreGaps<Width512, Vector512<float>, Vector512<int>, Vector512<double>>.HalfGaps(centres, k, dims, halfGap, planes);
                break;
            case InstructionSet.Vector256:
                CentreGaps<Width256, Vector256<float>, Vector256<int>, Vector256<double>>.HalfGaps(centres, k, dims, halfGap, planes);
                break;
            case InstructionSet.Vector128:
                CentreGaps<Width128, Vector128<float>, Vector128<int>, Vector128<double>>.HalfGaps(centres, k, dims, halfGap, planes);
                break;
            default:
                CentreGaps.HalfGapsScalar(centres, k, dims, halfGap);
                break;
        }
    }

    /// <summary>
    /// The half gaps of centres <paramref name="from"/> to <paramref name="to"/> - 1 only, <paramref name="planes"/> from
    /// <see cref="CentreGaps.FillPlanes"/>: <see cref="HalfGaps"/>' bits, shared between workers.
    /// </summary>
    internal void HalfGapRows(ReadOnlySpan<float> centres, int k, int dims, Span<double> halfGap, ReadOnlySpan<double> planes, int from, int to)
    {
        switch (InstructionSet)
        {
            case InstructionSet.Vector512:
                CentreGaps<Width512, Vector512<float>, Vector512<int>, Vector512<double>>.HalfGapRows(centres, k, dims, halfGap, planes, from, to);
                break;
            case InstructionSet.Vector256:
                CentreGaps<Width256, Vector256<float>, Vector256<int>, Vector256<double>>.HalfGapRows(centres, k, dims, halfGap, planes, from, to);
                break;
            case InstructionSet.Vector128:
                CentreGaps<Width128, Vector128<float>, Vector128<int>, Vector128<double>>.HalfGapRows(centres, k, dims, halfGap, planes, from, to);
                break;
            default:
                CentreGaps.HalfGapRowsScalar(centres, k, dims, halfGap, from, to);
                break;
        }
    }

    /// <summary>
    /// The half gaps of centres <paramref name="from"/> to <paramref name="to"/> - 1 and their rows of the neighbour
    /// table (<see cref="CentreGaps{TWidth, TFloats, TInts, TDoubles}.HalfGapsAndRows"/>); <paramref name="planes"/> from
    /// <see cref="CentreGaps.FillPlanes"/>.
    /// </summary>
    internal void HalfGapsAndRows(ReadOnlySpan<float> centres, int k, int dims, Span<double> halfGap, ReadOnlySpan<double> planes,
        NeighbourTable table, int from, int to, int worker)
    {
        switch (InstructionSet)
        {
            case InstructionSet.Vector512:
                CentreGaps<Width512, Vector512<float>, Vector512<int>, Vector512<double>>.HalfGapsAndRows(centres, k, dims, halfGap, planes, table, from, to, worker);
                break;
            case InstructionSet.Vector256:
                CentreGaps<Width256, Vector256<float>, Vector256<int>, Vector256<double>>.HalfGapsAndRows(centres, k, dims, halfGap, planes, table, from, to, worker);
                break;
            case InstructionSet.Vector128:
                CentreGaps<Width128, Vector128<float>, Vector128<int>, Vector128<double>>.HalfGapsAndRows(centres, k, dims, halfGap, planes, table, from, to, worker);
                break;
            default:
                throw new InvalidOperationException("The scalar reference has no neighbour table.");
        }
    }
}
