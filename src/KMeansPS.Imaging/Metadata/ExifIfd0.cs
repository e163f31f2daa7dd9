using System.Buffers.Binary;

namespace KMeansPS.Imaging.Metadata;

/// <summary>
/// The first image file directory (IFD0) of a TIFF structure (EXIF data, or a TIFF file: <see cref="Tiff.TiffFirstDirectory"/>), in either byte order, with every offset checked:
/// <see cref="TryOpen"/> gives null for anything malformed rather than an error, because metadata must never make a
/// readable image fail.
/// </summary>
internal sealed class ExifIfd0 : ITiffDirectory
{
    private const ushort TypeShort = 3, TypeLong = 4, TypeRational = 5;
    private readonly byte[] _tiff;
    private readonly int _first, _count;

    private ExifIfd0(byte[] tiff, bool littleEndian, int first, int count)
    {
        _tiff = tiff;
        LittleEndian = littleEndian;
        _first = first;
        _count = count;
    }

    /// <summary>Byte order: "II" (true) or "MM".</summary>
    public bool LittleEndian { get; }

    /// <summary>The directory of <paramref name="tiff"/>, or null when the header or the directory is malformed or cut short.</summary>
    public static ExifIfd0? TryOpen(byte[] tiff)
    {
        ArgumentNullException.ThrowIfNull(tiff);
        if (tiff.Length < 8) return null;
        bool little;
        if (tiff[0] == (byte)'I' && tiff[1] == (byte)'I') little = true;
        else if (tiff[0] == (byte)'M' && tiff[1] == (byte)'M') little = false;
        else return null;
        if (U16(tiff, 2, little) != 42) return null;
        uint ifd = U32(tiff, 4, little);
        if (ifd < 8 || ifd > (uint)tiff.Length - 2) return null;
        int count = U16(tiff, (int)ifd, little);
        if (count > ((long)tiff.Length - ifd - 2) / 12) return null;
        return new ExifIfd0(tiff, little, (int)ifd + 2, count);
    }

    /// <summary>Where the directory's entries start in the data (after their count).</summary>
    internal int EntriesAt => _first;

    /// <summary>How many entries the directory has.</summary>
    internal int EntryCount => _count;

    /// <summary>The number of values of <paramref name="tag"/>'s entry, 0 when there is none.</summary>
    public long Count(ushort tag)
    {
        int at = Find(tag);
        return at < 0 ? 0 : U32(_tiff, at + 4, LittleEndian);
    }

    /// <summary>
    /// Value <paramref name="index"/> of an integer entry (BYTE, SHORT or LONG, in the entry or where it points), or null
    /// when the entry is missing, of another type, or its values lie outside the data.
    /// </summary>
    public long? Value(ushort tag, int index = 0)
    {
        int at = Find(tag);
        if (at < 0) return null;
        int size = U16(_tiff, at + 2, LittleEndian) switch { 1 => 1, TypeShort => 2, TypeLong => 4, _ => 0 };
        long count = U32(_tiff, at + 4, LittleEndian);
        if (size == 0 || index >= count) return null;
        long from = (count * size <= 4 ? at + 8 : U32(_tiff, at + 8, LittleEndian)) + (long)index * size;
        if (from + size > _tiff.Length) return null;
        return size switch { 1 => _tiff[from], 2 => U16(_tiff, (int)from, LittleEndian), _ => U32(_tiff, (int)from, LittleEndian) };
    }

    /// <summary>
    /// The values of a BYTE, ASCII or UNDEFINED entry as bytes (an ICC profile, a text), or null when the entry is
    /// missing, of another type, or its values lie outside the data.
    /// </summary>
    public byte[]? Bytes(ushort tag)
    {
        int at = Find(tag);
        if (at < 0 || U16(_tiff, at + 2, LittleEndian) is not (1 or 2 or 7)) return null;
        long count = U32(_tiff, at + 4, LittleEndian);
        long from = count <= 4 ? at + 8 : U32(_tiff, at + 8, LittleEndian);
        if (from + count > _tiff.Length) return null;
        return _tiff.AsSpan((int)from, (int)count).ToArray();
    }

    /// <summary>Where the entry for <paramref name="tag"/> starts in the data, or -1 when there is none.</summary>
    public int Find(ushort tag) => FindIn(_first, _count, tag);

    /// <summary>Where the entry for <paramref name="tag"/> starts among <paramref name="count"/> entries from <paramref name="entries"/>, or -1.</summary>
    private int FindIn(int entries, int count, ushort tag)
    {
        for (int i = 0; i < count; i++)
        {
            int at = entries + 12 * i;
            if (U16(_tiff, at, LittleEndian) == tag) return at;
        }
        return -1;
    }

    /// <summary>The SHORT value of a one-value entry, or null when the entry is absent or of another type or count.</summary>
    public int? Short(ushort tag)
    {
        int at = Find(tag);
        if (at < 0 || U16(_tiff, at + 2, LittleEndian) != TypeShort || U32(_tiff, at + 4, LittleEndian) != 1) return null;
        return U16(_tiff, at + 8, LittleEndian);
    }

    /// <summary>The value of a one-value SHORT or LONG entry, or null when the entry is absent or of another type or count.</summary>
    public long? Integer(ushort tag)
    {
        int at = Find(tag);
        if (at < 0 || !IsSingleInteger(at)) return null;
        return U16(_tiff, at + 2, LittleEndian) == TypeShort ? U16(_tiff, at + 8, LittleEndian) : U32(_tiff, at + 8, LittleEndian);
    }

    /// <summary>The RATIONAL value of a one-value entry (its 8 bytes are elsewhere, at the offset the entry gives), or null.</summary>
    public double? Rational(ushort tag)
    {
        int at = Find(tag);
        if (at < 0 || U16(_tiff, at + 2, LittleEndian) != TypeRational || U32(_tiff, at + 4, LittleEndian) != 1) return null;
        uint offset = U32(_tiff, at + 8, LittleEndian);
        if (offset > (uint)_tiff.Length - 8) return null;
        uint numerator = U32(_tiff, (int)offset, LittleEndian), denominator = U32(_tiff, (int)offset + 4, LittleEndian);
        return denominator == 0 ? null : (double)numerator / denominator;
    }

    /// <summary>
    /// Swaps the values of two one-value RATIONAL entries of this directory (the 8 bytes each points to), as a quarter
    /// turn swaps the X and Y resolutions; nothing when either is missing or malformed, or they are equal.
    /// </summary>
    public void SwapRationals(ushort first, ushort second)
    {
        int a = Find(first), b = Find(second);
        if (a < 0 || b < 0 || Rational(first) is null || Rational(second) is null) return;
        Swap(_tiff.AsSpan((int)U32(_tiff, a + 8, LittleEndian), 8), _tiff.AsSpan((int)U32(_tiff, b + 8, LittleEndian), 8));
    }

    /// <summary>
    /// Swaps what two entries of the Exif sub-directory IFD0 points to (tag 0x8769) hold, when it is whole in the data
    /// (type, count and value; the tags stay), as a quarter turn swaps PixelXDimension and PixelYDimension; nothing when
    /// either is missing or they are equal.
    /// </summary>
    public void SwapExifValues(ushort first, ushort second)
    {
        int pointer = Find(0x8769);
        if (pointer < 0 || !IsSingleInteger(pointer)) return;
        uint at = U32(_tiff, pointer + 8, LittleEndian);
        if (at < 8 || at > (uint)_tiff.Length - 2) return;
        int count = U16(_tiff, (int)at, LittleEndian);
        if (count > ((long)_tiff.Length - at - 2) / 12) return;
        int a = FindIn((int)at + 2, count, first), b = FindIn((int)at + 2, count, second);
        if (a >= 0 && b >= 0) Swap(_tiff.AsSpan(a + 2, 10), _tiff.AsSpan(b + 2, 10));
    }

    /// <summary>Swaps the bytes of two ranges of one length, unless they are equal already.</summary>
    private static void Swap(Span<byte> x, Span<byte> y)
    {
        if (x.SequenceEqual(y)) return;
        Span<byte> held = stackalloc byte[x.Length];
        x.CopyTo(held);
        y.CopyTo(x);
        held.CopyTo(y);
    }

    /// <summary>Writes <paramref name="value"/> into the one-value SHORT or LONG entry at <paramref name="entry"/> (from <see cref="Find"/>), at its type's size.</summary>
    public void WriteInteger(int entry, ushort value)
    {
        bool isShort = U16(_tiff, entry + 2, LittleEndian) == TypeShort;
        Span<byte> field = _tiff.AsSpan(entry + 8, isShort ? 2 : 4);
        if (isShort && LittleEndian) BinaryPrimitives.WriteUInt16LittleEndian(field, value);
        else if (isShort) BinaryPrimitives.WriteUInt16BigEndian(field, value);
        else if (LittleEndian) BinaryPrimitives.WriteUInt32LittleEndian(field, value);
        else BinaryPrimitives.WriteUInt32BigEndian(field, value);
    }

    /// <summary>Whether the entry at <paramref name="entry"/> is a SHORT or LONG with one value.</summary>
    public bool IsSingleInteger(int entry) =>
        U16(_tiff, entry + 2, LittleEndian) is TypeShort or TypeLong && U32(_tiff, entry + 4, LittleEndian) == 1;

    /// <summary>A 16-bit value of a TIFF structure at <paramref name="at"/>, in its byte order (also <see cref="ExifStructure"/>'s).</summary>
    internal static ushort U16(ReadOnlySpan<byte> data, int at, bool little) => little
        ? BinaryPrimitives.ReadUInt16LittleEndian(data[at..])
        : BinaryPrimitives.ReadUInt16BigEndian(data[at..]);

    /// <summary>A 32-bit value of a TIFF structure at <paramref name="at"/>, in its byte order.</summary>
    internal static uint U32(ReadOnlySpan<byte> data, int at, bool little) => little
        ? BinaryPrimitives.ReadUInt32LittleEndian(data[at..])
        : BinaryPrimitives.ReadUInt32BigEndian(data[at..]);
}
