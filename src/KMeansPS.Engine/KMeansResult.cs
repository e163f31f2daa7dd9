namespace KMeansPS.Engine;

/// <summary>The outcome of one K-means fit.</summary>
internal sealed class KMeansResult
{
    /// <summary>K x D row-major centres.</summary>
    public required float[] Centroids { get; init; }
    /// <summary>Index of the nearest centre of each point (ties go to the lowest index).</summary>
    public required int[] Labels { get; init; }
    /// <summary>Sum over points of weight x squared distance to its centre.</summary>
    public required double Inertia { get; init; }
    public required int K { get; init; }
    public required int Dimensions { get; init; }
    public required int Iterations { get; init; }
    public required bool Converged { get; init; }
    public required InstructionSet InstructionSet { get; init; }
    public required TimeSpan Elapsed { get; init; }
    public required ulong Seed { get; init; }
    /// <summary>
    /// The scheme that ran: Lloyd, Hamerly or MiniBatch, never Auto (Auto resolved as the fit resolved it; Hamerly
    /// asked for but not applicable ran as Lloyd). A fit whose centres are the distinct points, with no iteration,
    /// reports Lloyd, or MiniBatch when that was asked for.
    /// </summary>
    public required KMeansAlgorithm Algorithm { get; init; }
    /// <summary>Set when fewer than the asked K distinct points exist and K was lowered to their count.</summary>
    public string? Warning { get; init; }
}
