using System.Numerics;
using System.Runtime.CompilerServices;

namespace KMeansPS.Imaging.Integrity;

/// <summary>
/// VP8's boolean entropy decoder (RFC 6386, section 7) over one partition of a frame, kept only as far as a walk of
/// the data needs: the decoded bits and whether a bit was decoded that needed bytes past the partition's end.
/// </summary>
/// <remarks>
/// A bit is decided by the 8-bit window of the data at the current position; the decoder loads a byte when that
/// window reaches past what it holds. libwebp flags the end of the stream when it must load a byte the partition
/// does not have, and refuses the frame then ("Premature end-of-file encountered"); ImageSharp 2.1 reads zeros
/// there instead, so a partition cut short still decodes, to a damaged picture. <see cref="PastEnd"/> is libwebp's
/// flag: set when a bit needed a byte beyond the end (zeros are then read, as both decoders do).
/// </remarks>
internal sealed class Vp8BoolDecoder
{
    private readonly byte[] _data;
    private readonly int _end;
    private int _next;
    private uint _value;  // the window in its top 8 of (_held + 8) bits
    private int _held = -8; // bits loaded below the window; negative: the window is not whole
    private uint _range = 255;

    /// <summary>A decoder over <paramref name="length"/> bytes of <paramref name="data"/> from <paramref name="start"/>.</summary>
    public Vp8BoolDecoder(byte[] data, int start, int length)
    {
        _data = data;
        _next = start;
        _end = start + length;
    }

    /// <summary>A bit was decoded that needed bytes past the partition's end.</summary>
    public bool PastEnd { get; private set; }

    /// <summary>One bit, 1 with probability (256 - <paramref name="probability"/>) / 256.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Bit(int probability)
    {
        if (_held < 0) Load();
        uint split = 1 + (((_range - 1) * (uint)probability) >> 8);
        int bit;
        if (_value >> _held >= split)
        {
            bit = 1;
            _range -= split;
            _value -= split << _held;
        }
        else
        {
            bit = 0;
            _range = split;
        }
        // Normalise: the range back to 128-255, the window moved on by as many bits.
        int shift = BitOperations.LeadingZeroCount(_range) - 24;
        _range <<= shift;
        _held -= shift;
        return bit;
    }

    /// <summary>An unsigned value of <paramref name="bits"/> bits, each at even odds, most significant first.</summary>
    public int Literal(int bits)
    {
        int value = 0;
        while (bits-- > 0) value = (value << 1) | Bit(128);
        return value;
    }

    /// <summary>A flag, then a value of <paramref name="bits"/> bits and its sign when the flag is set (else 0).</summary>
    public int OptionalSigned(int bits)
    {
        if (Bit(128) == 0) return 0;
        int magnitude = Literal(bits);
        return Bit(128) == 1 ? -magnitude : magnitude;
    }

    private void Load()
    {
        uint next = 0;
        if (_next < _end) next = _data[_next++];
        else PastEnd = true;
        // Only the window and the bits below it are kept, so the value stays within 32 bits.
        _value = ((_value << 8) | next) & ((1u << (_held + 16)) - 1);
        _held += 8;
    }
}
