namespace KMeansPS.Plotting;

/// <summary>Quality and size over K for one image (Measure-ImageKMeans -PlotPath).</summary>
internal sealed class CurvePlotData
{
    /// <summary>K values, ascending.</summary>
    public required double[] K { get; init; }
    /// <summary>PSNR in dB at each K (infinite values are drawn at the top of the finite range).</summary>
    public required double[] Psnr { get; init; }
    /// <summary>Output size in kilobytes at each K.</summary>
    public required double[] KiloBytes { get; init; }
    /// <summary>Index into K of the suggested K, marked on the plot; null for none.</summary>
    public int? SuggestedIndex { get; init; }
    /// <summary>Axis titles (and legend entries); the defaults are Measure-ImageKMeans's. Psnr is the left series, KiloBytes the right.</summary>
    public string XLabel { get; init; } = "K (colours)";
    public string LeftLabel { get; init; } = "PSNR (dB)";
    public string RightLabel { get; init; } = "Output size (KB)";

    internal void Validate()
    {
        if (K is null || Psnr is null || KiloBytes is null) throw new ArgumentException("K, Psnr and KiloBytes are required.");
        if (K.Length == 0) throw new ArgumentException("There are no K values to plot.");
        if (Psnr.Length != K.Length || KiloBytes.Length != K.Length)
            throw new ArgumentException($"K, Psnr and KiloBytes must have the same length (got {K.Length}, {Psnr.Length}, {KiloBytes.Length}).");
        PlotChecks.Finite(K, "K");
        PlotChecks.Finite(KiloBytes, "KiloBytes");
        for (int i = 0; i < K.Length; i++)
        {
            if (K[i] <= 0) throw new ArgumentException($"K[{i}] must be positive.");
            if (i > 0 && K[i] <= K[i - 1]) throw new ArgumentException("K values must be ascending.");
            if (double.IsNaN(Psnr[i])) throw new ArgumentException($"Psnr[{i}] is NaN.");
        }
        if (SuggestedIndex is int s && (s < 0 || s >= K.Length)) throw new ArgumentOutOfRangeException(nameof(SuggestedIndex));
    }
}
