using System.Buffers.Binary;
using KMeansPS.Imaging.IO;

namespace KMeansPS.Imaging.Integrity;

/// <summary>
/// The data of a run of consecutive IDAT chunks, read as one stream, without copying: what ImageSharp 2.1 hands
/// its inflater. The scanner has checked that every chunk in the range is a whole, non-empty IDAT.
/// </summary>
internal sealed class PngIdatRunStream : ReadOnlyForwardStream
{
    private readonly ReadOnlyMemory<byte> _file;
    private readonly int _runEnd;
    private int _next;      // the next chunk's length field
    private int _position;  // within the current chunk's data
    private int _remaining; // bytes left in the current chunk's data

    /// <param name="file">The whole PNG file.</param>
    /// <param name="runStart">Offset of the first IDAT chunk's length field.</param>
    /// <param name="runEnd">Offset just past the last IDAT chunk's CRC.</param>
    public PngIdatRunStream(ReadOnlyMemory<byte> file, int runStart, int runEnd)
    {
        _file = file;
        _next = runStart;
        _runEnd = runEnd;
    }

    public override int Read(Span<byte> buffer)
    {
        while (_remaining == 0)
        {
            if (_next >= _runEnd || buffer.IsEmpty) return 0;
            _remaining = BinaryPrimitives.ReadInt32BigEndian(_file.Span[_next..]);
            _position = _next + 8;
            _next += 12 + _remaining;
        }
        int n = Math.Min(buffer.Length, _remaining);
        _file.Span.Slice(_position, n).CopyTo(buffer);
        _position += n;
        _remaining -= n;
        return n;
    }
}
