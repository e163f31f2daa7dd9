namespace KMeansPS.Imaging.Png.Deflate;

/// <summary>
/// The tokens of a band deflated after its history (the previous band's last bytes, so that its matches may reach back
/// into them, as pigz primes its blocks): the tokens that stand for the history are left out, and a match that starts
/// in the history and ends in the band keeps its band part (the same distance, or literals when fewer than three bytes
/// are left). What is handed out stands for the band's bytes only.
/// </summary>
internal sealed class PrimedTokenSource(IDeflateTokenSource inner, int historyLength, byte[] band) : IDeflateTokenSource
{
    private long position; // bytes of history and band the inner tokens read so far stand for

    /// <inheritdoc/>
    public long RawLength { get; private set; }

    /// <inheritdoc/>
    public bool Finished => inner.Finished;

    /// <inheritdoc/>
    public int ReadTokens(Span<uint> destination)
    {
        // Read one place up and written from the start: a match that turns into two literals then only ever
        // overwrites a token already taken (the one it came from).
        if (destination.Length < 2) throw new ArgumentException("Needs room for two tokens at least.", nameof(destination));
        Span<uint> read = destination[1..];
        while (true)
        {
            int count = inner.ReadTokens(read);
            if (count == 0) return 0;
            int kept = 0;
            for (int i = 0; i < count; i++)
            {
                uint token = read[i];
                int length = DeflateToken.RawLength(token);
                long end = position + length;
                if (position >= historyLength)
                {
                    destination[kept++] = token;
                }
                else if (end > historyLength)
                {
                    // Starts in the history and ends in the band: its band part.
                    int rest = (int)(end - historyLength);
                    if (rest >= 3)
                    {
                        destination[kept++] = DeflateToken.Match(rest, DeflateToken.Distance(token));
                    }
                    else
                    {
                        for (int b = 0; b < rest; b++) destination[kept++] = band[b];
                    }
                }
                position = end;
            }
            if (kept == 0) continue; // all history: read on
            foreach (uint token in destination[..kept]) RawLength += DeflateToken.RawLength(token);
            return kept;
        }
    }
}
