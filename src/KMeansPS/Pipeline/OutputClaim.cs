namespace KMeansPS.Pipeline;

/// <summary>One planned output of one input, waiting for its turn to be published (see <see cref="CallFiles"/>).</summary>
internal sealed class OutputClaim
{
    private readonly CallFiles _files;

    internal OutputClaim(CallFiles files, string path, string resolved, string source)
    {
        _files = files;
        Path = path;
        Resolved = resolved;
        Source = source;
    }

    /// <summary>The full path to write.</summary>
    public string Path { get; }

    /// <summary>The same with its links resolved: the name claims queue on.</summary>
    public string Resolved { get; }

    /// <summary>The input this is the output of.</summary>
    public string Source { get; }

    /// <summary>
    /// Waits until earlier claims on this name are published or released, checks again that the output may be written,
    /// runs <paramref name="move"/> (the atomic publish) and records the output; throws <see cref="OutputRefusedException"/> otherwise.
    /// </summary>
    public void Publish(Action move, bool force, CancellationToken cancellationToken) => _files.Publish(this, move, force, cancellationToken);

    /// <summary>Gives the name up (the output was not written); harmless after <see cref="Publish"/>.</summary>
    public void Release() => _files.Release(this);
}
