using System.Runtime.CompilerServices;

namespace KMeansPS.Imaging.Integrity;

/// <summary>
/// The VP8L bit order: bytes in order, each from its least significant bit. Past the end it gives zeros, as ImageSharp
/// 2.1's reader does, and says so (<see cref="Overrun"/>), as libwebp's end-of-stream flag does. Bits are taken from
/// a 64-bit window refilled a byte at a time, so a read is a shift and a mask.
/// </summary>
internal sealed class Vp8LBits(byte[] data)
{
    private ulong _window;
    private int _held;     // bits in the window
    private int _next;     // the next byte to load
    private long _consumed;

    /// <summary>Bytes of data.</summary>
    public long Length => data.Length;

    /// <summary>More bits were read than the data holds.</summary>
    public bool Overrun => _consumed > 8L * data.Length;

    /// <summary>The next <paramref name="count"/> bits (0 to 32) without consuming them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Peek(int count)
    {
        if (_held < count) Refill();
        return (uint)(_window & ((1UL << count) - 1));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Skip(int count)
    {
        if (_held < count) Refill();
        _window >>= count;
        _held -= count;
        _consumed += count;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Read(int count)
    {
        uint value = Peek(count);
        _window >>= count;
        _held -= count;
        _consumed += count;
        return value;
    }

    /// <summary>Tops the window up to at least 57 bits; past the end with zeros.</summary>
    private void Refill()
    {
        while (_held <= 56)
        {
            if (_next < data.Length) _window |= (ulong)data[_next++] << _held;
            _held += 8;
        }
    }
}
