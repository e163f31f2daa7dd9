namespace KMeansPS.Engine.Kernels;

/// <summary>
/// How many k-means++ candidates one pass over a block serves (<see cref="VectorKernels{TWidth, TFloats, TInts, TDoubles}.FoldAndMinDistanceSums"/>).
/// A type, not a number, so each size compiles to its own loop without the sums it does not keep: a step's 5-7
/// candidates (K = 21-1,096) are a group of four and a group of the rest, not two groups of four that repeat a candidate.
/// </summary>
internal interface ICandidateGroup
{
    static abstract int Size { get; }
}

internal readonly struct OneCandidate : ICandidateGroup
{
    public static int Size => 1;
}

internal readonly struct TwoCandidates : ICandidateGroup
{
    public static int Size => 2;
}

internal readonly struct ThreeCandidates : ICandidateGroup
{
    public static int Size => 3;
}

internal readonly struct FourCandidates : ICandidateGroup
{
    public static int Size => 4;
}
