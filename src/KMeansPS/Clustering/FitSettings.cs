using KMeansPS.Output;

namespace KMeansPS.Clustering;

/// <summary>The options of one Invoke-KMeans (or Measure-KMeans) fit, as the user gave them.</summary>
internal sealed class FitSettings
{
    public required int K { get; init; }
    public KMeansAlgorithm Algorithm { get; init; } = KMeansAlgorithm.Auto;
    public KMeansInit Init { get; init; } = KMeansInit.KMeansPlusPlus;
    /// <summary>-InitialCentroids in user units, or null.</summary>
    public double[][]? InitialCentroids { get; init; }
    public int MaxIterations { get; init; } = 300;
    public double Tolerance { get; init; } = 1e-4;
    public required int Seed { get; init; }
    public int BatchSize { get; init; } = 1024;
    public int MaxThreads { get; init; } = Environment.ProcessorCount;
    public int Restarts { get; init; } = 1;
    public bool Standardize { get; init; }
}
