namespace KMeansPS.Engine.Kernels;

/// <summary>
/// A small count as a type, not a number, so a kernel generic over it compiles to its own loop per count, without the
/// work past the count: the k-means++ candidates one pass over a block serves
/// (<see cref="VectorKernels{TWidth, TFloats, TInts, TDoubles}.FoldAndMinDistanceSums"/>: a step's 5-7 candidates are
/// a group of four and a group of the rest, not two groups of four that repeat a candidate), and the coordinates of
/// Hamerly's gathered screen (<see cref="Fitting.HamerlyScreen"/>).
/// </summary>
internal interface IFixedCount
{
    static abstract int Value { get; }
}

/// <summary>The counts <see cref="IFixedCount"/> takes.</summary>
internal static class FixedCount
{
    internal readonly struct One : IFixedCount
    {
        public static int Value => 1;
    }

    internal readonly struct Two : IFixedCount
    {
        public static int Value => 2;
    }

    internal readonly struct Three : IFixedCount
    {
        public static int Value => 3;
    }

    internal readonly struct Four : IFixedCount
    {
        public static int Value => 4;
    }
}
