namespace KMeansPS.Imaging.IO;

/// <summary>A read-only stream of some bytes and then another stream, for inflating a band after its history without copying the band.</summary>
internal sealed class ConcatenatedStream(byte[] head, Stream tail) : Stream
{
    private int _headRead;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

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

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
