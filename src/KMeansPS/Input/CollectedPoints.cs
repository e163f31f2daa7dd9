using System.Management.Automation;
using KMeansPS.Output;

namespace KMeansPS.Input;

/// <summary>The points Invoke-KMeans collected from its input, row-major, and what they came from.</summary>
internal sealed class CollectedPoints
{
    /// <summary>Count x Dimensions coordinates, row-major.</summary>
    public required double[] Data { get; init; }
    public required int Count { get; init; }
    public required int Dimensions { get; init; }
    /// <summary>One name per coordinate: the properties clustered on, or X, Y, Z / X1..Xn.</summary>
    public required string[] Names { get; init; }
    /// <summary>One weight per point, or empty when no weight property was named.</summary>
    public required float[] Weights { get; init; }
    /// <summary>The matrix the points came in, or null when they came one object each.</summary>
    public SyntheticClusterMatrix? Matrix { get; init; }
    /// <summary>The input object of each point (empty for a matrix).</summary>
    public required IReadOnlyList<PSObject> Objects { get; init; }
}
