namespace KMeansPS.Imaging.Quantization;

/// <summary>
/// A progress report: the stage, and how far it is where the stage is long enough to say. During
/// <see cref="QuantizeStage.Clustering"/>, <paramref name="Done"/> counts k-means iterations out of at most
/// <paramref name="Total"/>; during <see cref="QuantizeStage.Decoding"/> of a PNG, rows decoded out of the height
/// (reported once per batch of rows); otherwise both are 0.
/// </summary>
internal readonly record struct QuantizeProgress(QuantizeStage Stage, int Done, int Total)
{
    /// <summary>How far the stage is, 0 to 1 (0 when it does not say).</summary>
    public double Fraction => Total > 0 ? Math.Clamp((double)Done / Total, 0, 1) : 0;
}
