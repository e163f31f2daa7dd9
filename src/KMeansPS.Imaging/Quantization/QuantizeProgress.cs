namespace KMeansPS.Imaging.Quantization;

/// <summary>The steps of <see cref="ImageQuantizer"/>, in order.</summary>
public enum QuantizeStage
{
    Decoding = 0,
    Histogram = 1,
    Clustering = 2,
    Mapping = 3,
    Encoding = 4,
    Metrics = 5,
    Comparison = 6,
    Completed = 7,
}

/// <summary>
/// A progress report. During <see cref="QuantizeStage.Clustering"/>, <paramref name="Iteration"/> counts
/// k-means iterations out of at most <paramref name="MaxIterations"/>; otherwise both are 0.
/// </summary>
public readonly record struct QuantizeProgress(QuantizeStage Stage, int Iteration, int MaxIterations);
