namespace KMeansPS.Imaging.IO;

/// <summary>A read-only stream of some bytes and then another stream, for inflating a band after its history without copying the band.</summary>
internal sealed class ConcatenatedStream(byte[] head, Stream tail) : ReadOnlyForwardStream
{
    private int _headRead;

    public override int Read(Span<byte> buffer)
    {
        if (_headRead < head.Length)
        {
            int n = Math.Min(buffer.Length, head.Length - _headRead);
            head.AsSpan(_headRead, n).CopyTo(buffer);
            _headRead += n;
            return n;
        }
        return tail.Read(buffer);
    }
}
