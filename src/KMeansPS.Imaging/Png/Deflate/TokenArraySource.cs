namespace KMeansPS.Imaging.Png.Deflate;

/// <summary>The tokens of a parse held whole, handed out a piece at a time.</summary>
internal sealed class TokenArraySource(uint[] tokens) : IDeflateTokenSource
{
    private int next;

    /// <inheritdoc/>
    public long RawLength { get; private set; }

    /// <inheritdoc/>
    public bool Finished => next >= tokens.Length;

    /// <inheritdoc/>
    public int ReadTokens(Span<uint> destination)
    {
        int count = Math.Min(destination.Length, tokens.Length - next);
        ReadOnlySpan<uint> piece = tokens.AsSpan(next, count);
        piece.CopyTo(destination);
        foreach (uint token in piece) RawLength += DeflateToken.RawLength(token);
        next += count;
        return count;
    }
}
