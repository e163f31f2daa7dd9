namespace KMeansPS.Imaging.Png.Deflate;

/// <summary>
/// Tokens (<see cref="DeflateToken"/>) a piece at a time, for <see cref="DeflateRepacker"/> to draw into blocks: those
/// of a deflate stream read back (<see cref="DeflateTokenReader"/>) or of a parse held whole (<see cref="TokenArraySource"/>).
/// </summary>
internal interface IDeflateTokenSource
{
    /// <summary>Bytes the tokens read so far stand for.</summary>
    long RawLength { get; }

    /// <summary>Whether there are no more tokens.</summary>
    bool Finished { get; }

    /// <summary>Up to <paramref name="destination"/>'s length of the next tokens; 0 at the end.</summary>
    int ReadTokens(Span<uint> destination);
}
