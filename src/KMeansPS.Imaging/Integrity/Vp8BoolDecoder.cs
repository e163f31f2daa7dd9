using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace KMeansPS.Imaging.Integrity;

/// <summary>
/// VP8's boolean entropy decoder (RFC 6386, section 7) over one partition of a frame, as libwebp's VP8BitReader runs it
/// on 64-bit machines, kept only as far as a walk of the data needs: the decoded bits and whether the reader ran past
/// the partition's end.
/// </summary>
/// <remarks>
/// libwebp keeps a 64-bit value, loads 7 bytes at a time while 8 remain and then one at a time, loads the first bytes
/// when the partition is opened, and flags the end of the stream when it must load a byte the partition does not
/// have (then reads 8 zero bits); the frame is refused where that flag is checked ("Premature end-of-file
/// encountered"). ImageSharp 2.1 reads zeros there instead, so a partition cut short still decodes, to a damaged
/// picture. Every step here is libwebp's, so the walk meets the end where libwebp does, even in the states a
/// damaged partition reaches (a first byte of 0xFF, whose value exceeds its range, reads ones from then on: a
/// decoder that kept only the 8-bit window drifted back into ordinary states and passed such partitions). A
/// coefficient's sign is read with libwebp's own shortcut (<see cref="Sign"/>), which leaves a state other than the
/// general bit's.
/// </remarks>
internal sealed class Vp8BoolDecoder
{
    private const int Bits = 56; // libwebp's BITS on 64-bit machines

    private readonly byte[] _data;
    private readonly int _end;
    private int _next;
    private ulong _value;
    private int _bits = -8;      // bits held below the 8-bit window; negative: a load is needed
    private uint _range = 255 - 1; // the range less one, as libwebp keeps it

    /// <summary>A decoder over <paramref name="length"/> bytes of <paramref name="data"/> from <paramref name="start"/>, its first bytes loaded.</summary>
    public Vp8BoolDecoder(byte[] data, int start, int length)
    {
        _data = data;
        _next = start;
        _end = start + length;
        LoadNewBytes();
    }

    /// <summary>The reader had to load a byte past the partition's end (libwebp's eof flag); an empty partition has it from the start.</summary>
    public bool PastEnd { get; private set; }

    /// <summary>One bit, 1 with probability (256 - <paramref name="probability"/>) / 256.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Bit(int probability)
    {
        uint range = _range;
        if (_bits < 0) LoadNewBytes();
        int pos = _bits;
        uint split = (range * (uint)probability) >> 8;
        uint value = (uint)(_value >> pos);
        int bit = value > split ? 1 : 0;
        if (bit != 0)
        {
            range -= split;
            _value = unchecked(_value - ((ulong)(split + 1) << pos));
        }
        else
        {
            range = split + 1;
        }
        int shift = 7 ^ BitOperations.Log2(range);
        range <<= shift;
        _bits -= shift;
        _range = range - 1;
        return bit;
    }

    /// <summary>
    /// A coefficient's sign as libwebp reads it (VP8GetSigned): a bit at even odds whose state moves on by exactly one
    /// bit, the range kept doubled; 1 for minus.
    /// </summary>
    public int Sign()
    {
        if (_bits < 0) LoadNewBytes();
        int pos = _bits;
        uint split = _range >> 1;
        uint value = (uint)(_value >> pos);
        int mask = unchecked((int)(split - value)) >> 31; // -1 or 0
        _bits -= 1;
        _range = unchecked(_range + (uint)mask) | 1;
        _value = unchecked(_value - ((ulong)((split + 1) & (uint)mask) << pos));
        return -mask;
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

    private void LoadNewBytes()
    {
        if (_end - _next >= 8)
        {
            ulong bits = BinaryPrimitives.ReadUInt64BigEndian(_data.AsSpan(_next)) >> (64 - Bits);
            _next += Bits >> 3;
            _value = bits | (_value << Bits);
            _bits += Bits;
        }
        else if (_next < _end)
        {
            _bits += 8;
            _value = _data[_next++] | (_value << 8);
        }
        else if (!PastEnd)
        {
            _value <<= 8;
            _bits += 8;
            PastEnd = true;
        }
        else
        {
            _bits = 0;
        }
    }
}
