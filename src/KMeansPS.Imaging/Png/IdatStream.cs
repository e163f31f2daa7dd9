using System.Buffers.Binary;
using KMeansPS.Imaging.IO;

namespace KMeansPS.Imaging.Png;

/// <summary>
/// The IDAT payloads of the file read as one stream, without copying them out. Each chunk's CRC is checked
/// before its first byte is handed on, so corrupt data never reaches the inflater.
/// </summary>
internal sealed class IdatStream(byte[] file, int start, int end) : ReadOnlyForwardStream
{
    private int _next = start;    // offset of the next chunk's length field
    private int _position;        // next byte of the current chunk's data
    private int _remaining;       // bytes left in the current chunk's data

    public override int Read(Span<byte> buffer)
    {
        while (_remaining == 0)
        {
            if (_next >= end) return 0;
            int length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(_next));
            if (length < 0 || length > end - _next - 12 || BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(_next + 4)) != PngChunkType.IDAT)
                throw new InvalidDataException("The IDAT chunks are not where the plan put them.");
            if (Crc32.Compute(file.AsSpan(_next + 4, length + 4)) != BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(_next + 8 + length)))
                throw new InvalidDataException("IDAT CRC mismatch.");
            _position = _next + 8;
            _remaining = length;
            _next += 12 + length;
        }
        int count = Math.Min(buffer.Length, _remaining);
        file.AsSpan(_position, count).CopyTo(buffer);
        _position += count;
        _remaining -= count;
        return count;
    }
}
