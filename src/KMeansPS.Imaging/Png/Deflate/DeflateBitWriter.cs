using System.Runtime.CompilerServices;

namespace KMeansPS.Imaging.Png.Deflate;

/// <summary>Bits into bytes, least significant bit first, as deflate packs them; grows its buffer as needed.</summary>
internal sealed class DeflateBitWriter
{
    private byte[] buffer;
    private int length;
    private ulong pending;
    private int pendingBits;

    public DeflateBitWriter(int capacity) => buffer = new byte[Math.Max(64, capacity)];

    /// <summary>Writes into <paramref name="buffer"/> (grown, as a new array, if it fills).</summary>
    public DeflateBitWriter(byte[] buffer) => this.buffer = buffer;

    /// <summary>Bits written so far (including those not yet whole bytes).</summary>
    public long BitCount => (long)length * 8 + pendingBits;

    /// <summary>Writes the low <paramref name="count"/> bits of <paramref name="bits"/> (at most 32).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(uint bits, int count)
    {
        pending |= (ulong)bits << pendingBits;
        pendingBits += count;
        if (pendingBits >= 32)
        {
            EnsureRoom(4);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(length), (uint)pending);
            length += 4;
            pending >>= 32;
            pendingBits -= 32;
        }
    }

    /// <summary>Pads with zero bits to the next byte boundary.</summary>
    public void AlignToByte()
    {
        int pad = (8 - (pendingBits & 7)) & 7;
        if (pad > 0) Write(0, pad);
        while (pendingBits > 0)
        {
            EnsureRoom(1);
            buffer[length++] = (byte)pending;
            pending >>= 8;
            pendingBits -= 8;
        }
    }

    /// <summary>Whole bytes, after <see cref="AlignToByte"/>.</summary>
    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        if (pendingBits != 0) throw new InvalidOperationException("Bytes are written on a byte boundary only.");
        EnsureRoom(bytes.Length);
        bytes.CopyTo(buffer.AsSpan(length));
        length += bytes.Length;
    }

    /// <summary>The buffer holding the bytes written: the first <see cref="Length"/>, once aligned.</summary>
    public byte[] Buffer => buffer;

    /// <summary>Whole bytes written.</summary>
    public int Length => length;

    /// <summary>The bytes written, once aligned.</summary>
    public byte[] ToArray()
    {
        if (pendingBits != 0) throw new InvalidOperationException("Align to a byte boundary first.");
        return buffer.AsSpan(0, length).ToArray();
    }

    private void EnsureRoom(int count)
    {
        if (length + count <= buffer.Length) return;
        Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length + count));
    }
}
