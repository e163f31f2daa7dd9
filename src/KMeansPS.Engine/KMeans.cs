namespace KMeansPS.Engine;

/// <summary>Entry point of the engine.</summary>
public static class KMeans
{
    /// <summary>
    /// Fits K centres to <paramref name="data"/>: N x D floats, row-major. <paramref name="weights"/> is empty
    /// (all ones) or N non-negative finite weights. Deterministic: the same input, options and seed give the
    /// same bits on every instruction set and thread count.
    /// </summary>
    public static KMeansResult Fit(ReadOnlySpan<float> data, int dimensions, ReadOnlySpan<float> weights,
        KMeansOptions options, CancellationToken cancellationToken = default)
    {
        throw new NotImplementedException("The engine is being written.");
    }
}
