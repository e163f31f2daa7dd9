using System.Buffers.Binary;

namespace KMeansPS.Imaging.Integrity;

/// <summary>
/// The VP8L bit order: bytes in order, each from its least significant bit. Past the end it gives zeros, as ImageSharp
/// 2.1's reader does, and says so (<see cref="Overrun"/>), as libwebp's end-of-stream flag does.
/// </summary>
internal sealed class Vp8LBits(byte[] data)
{
    private long _position;

    /// <summary>Bytes of data.</summary>
    public long Length => data.Length;

    /// <summary>More bits were read than the data holds.</summary>
    public bool Overrun => _position > 8L * data.Length;

    /// <summary>The next <paramref name="count"/> bits (0 to 32) without consuming them.</summary>
    public uint Peek(int count)
    {
        if (count == 0) return 0;
        long at = _position >> 3;
        int shift = (int)(_position & 7);
        ulong window;
        if (at + 8 <= data.Length) window = BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan((int)at));
        else
        {
            window = 0;
            for (int i = 0; i < 8 && at + i < data.Length; i++) window |= (ulong)data[at + i] << (8 * i);
        }
        return (uint)((window >> shift) & ((1UL << count) - 1));
    }

    public void Skip(int count) => _position += count;

    public uint Read(int count)
    {
        uint value = Peek(count);
        _position += count;
        return value;
    }
}
