using KMeansPS.Imaging.IO;

namespace KMeansPS.Imaging.Integrity;

/// <summary>A read-only stream over a block of memory, for handing part of a file to an inflater without copying it.</summary>
internal sealed class ReadOnlyMemoryStream(ReadOnlyMemory<byte> data) : ReadOnlyForwardStream
{
    private int _position;

    public override long Length => data.Length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        int n = Math.Min(buffer.Length, data.Length - _position);
        data.Span.Slice(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }
}
