using System.Buffers.Binary;

namespace KMeansPS.Imaging.Metadata;

/// <summary>
/// The first directory of a BigTIFF (version 43: 8-byte offsets and counts, 20-byte entries whose values sit in the
/// entry up to 8 bytes), in either byte order, read for the metadata its output carries. Every offset is checked:
/// <see cref="TryOpen"/> gives null for anything malformed, and each value null when it lies outside the file.
/// </summary>
internal sealed class BigTiffDirectory : ITiffDirectory
{
    private const int EntrySize = 20;
    private readonly byte[] _file;
    private readonly bool _little;
    private readonly long _first;
    private readonly long _count;

    private BigTiffDirectory(byte[] file, bool little, long first, long count)
    {
        _file = file;
        _little = little;
        _first = first;
        _count = count;
    }

    /// <summary>The first directory of <paramref name="file"/>, or null when it is not a BigTIFF whose first directory lies whole in it.</summary>
    public static BigTiffDirectory? TryOpen(byte[] file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Length < 16) return null;
        bool little;
        if (file[0] == (byte)'I' && file[1] == (byte)'I') little = true;
        else if (file[0] == (byte)'M' && file[1] == (byte)'M') little = false;
        else return null;
        var header = new BigTiffDirectory(file, little, 0, 0);
        if (header.U16(2) != 43 || header.U16(4) != 8 || header.U16(6) != 0) return null;
        ulong at = header.U64(8);
        if (at < 16 || at > (ulong)file.Length - 8) return null;
        ulong count = header.U64((long)at);
        if (count > (ulong)(file.Length - (long)at - 8) / EntrySize) return null;
        return new BigTiffDirectory(file, little, (long)at + 8, (long)count);
    }

    public byte[]? Bytes(ushort tag)
    {
        if (Values(tag, [1, 2, 7], 1) is not var (from, count)) return null;
        return _file.AsSpan((int)from, (int)count).ToArray();
    }

    public long? Integer(ushort tag)
    {
        if (Values(tag, [3, 4], 0) is not var (from, count) || count != 1) return null;
        return Type(tag) == 3 ? U16(from) : U32(from);
    }

    public int? Short(ushort tag)
    {
        if (Values(tag, [3], 2) is not var (from, count) || count != 1) return null;
        return U16(from);
    }

    public double? Rational(ushort tag)
    {
        if (Values(tag, [5], 8) is not var (from, count) || count != 1) return null;
        uint numerator = U32(from), denominator = U32(from + 4);
        return denominator == 0 ? null : (double)numerator / denominator;
    }

    /// <summary>Where <paramref name="tag"/>'s values start and how many there are, when its type is one of <paramref name="types"/> and they lie in the file.</summary>
    private (long From, long Count)? Values(ushort tag, ReadOnlySpan<ushort> types, int size)
    {
        long entry = Find(tag);
        if (entry < 0) return null;
        ushort type = U16(entry + 2);
        if (!types.Contains(type)) return null;
        int unit = type switch { 3 => 2, 4 => 4, 5 => 8, _ => 1 };
        if (size != 0 && unit != size) return null;
        ulong count = U64(entry + 4);
        if (count > (ulong)_file.Length / (ulong)unit) return null;
        long bytes = (long)count * unit;
        long from = bytes <= 8 ? entry + 12 : (long)Math.Min(U64(entry + 12), long.MaxValue);
        if (from > _file.Length - bytes) return null;
        return (from, (long)count);
    }

    private ushort Type(ushort tag) => U16(Find(tag) + 2);

    private long Find(ushort tag)
    {
        for (long i = 0; i < _count; i++)
        {
            long at = _first + EntrySize * i;
            if (U16(at) == tag) return at;
        }
        return -1;
    }

    private ushort U16(long at) => _little ? BinaryPrimitives.ReadUInt16LittleEndian(_file.AsSpan((int)at)) : BinaryPrimitives.ReadUInt16BigEndian(_file.AsSpan((int)at));

    private uint U32(long at) => _little ? BinaryPrimitives.ReadUInt32LittleEndian(_file.AsSpan((int)at)) : BinaryPrimitives.ReadUInt32BigEndian(_file.AsSpan((int)at));

    private ulong U64(long at) => _little ? BinaryPrimitives.ReadUInt64LittleEndian(_file.AsSpan((int)at)) : BinaryPrimitives.ReadUInt64BigEndian(_file.AsSpan((int)at));
}
