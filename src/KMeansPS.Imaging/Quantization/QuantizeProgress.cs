namespace KMeansPS.Imaging.Quantization;

/// <summary>
/// A progress report. During <see cref="QuantizeStage.Clustering"/>, <paramref name="Iteration"/> counts
/// k-means iterations out of at most <paramref name="MaxIterations"/>; otherwise both are 0.
/// </summary>
internal readonly record struct QuantizeProgress(QuantizeStage Stage, int Iteration, int MaxIterations);
