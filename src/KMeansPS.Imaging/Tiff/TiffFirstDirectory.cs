using System.Buffers.Binary;

namespace KMeansPS.Imaging.Tiff;

/// <summary>
/// The first image directory of a classic TIFF (not BigTIFF), read for the copies ImageSharp is handed of layouts it
/// misreads or fails on, and rewritten for them: <c>Rewritten</c> appends a directory with some entries
/// replaced, added or removed and points the header at it. Every other byte stays where it was, so the offsets in the
/// old entries still hold. The file's structure has been checked by the scanner before this reads it.
/// </summary>
internal sealed class TiffFirstDirectory
{
    private const ushort Short = 3, Long = 4;

    private readonly byte[] _file;
    private readonly int _at, _count;

    private TiffFirstDirectory(byte[] file, bool little, int at, int count)
    {
        _file = file;
        Little = little;
        _at = at;
        _count = count;
    }

    /// <summary>True for a little-endian ("II") file.</summary>
    public bool Little { get; }

    /// <summary>The first directory of <paramref name="file"/>, or null when it is not a classic TIFF whose first directory lies whole in it.</summary>
    public static TiffFirstDirectory? Read(byte[] file)
    {
        if (file.Length < 8) return null;
        bool little = file[0] == 'I' && file[1] == 'I';
        if (!little && !(file[0] == 'M' && file[1] == 'M')) return null;
        if (U16(file, 2, little) != 42) return null; // BigTIFF (43) is left as it is
        long ifd = U32(file, 4, little);
        if (ifd < 8 || ifd > file.Length - 2) return null;
        int count = U16(file, (int)ifd, little);
        if (ifd + 2 + 12L * count + 4 > file.Length) return null;
        return new TiffFirstDirectory(file, little, (int)ifd, count);
    }

    /// <summary>True when the directory has an entry for <paramref name="tag"/>.</summary>
    public bool Has(ushort tag) => Find(tag) >= 0;

    /// <summary>The number of values of <paramref name="tag"/>'s entry, 0 when there is none.</summary>
    public long Count(ushort tag)
    {
        int entry = Find(tag);
        return entry < 0 ? 0 : U32(_file, entry + 4, Little);
    }

    /// <summary>
    /// Value <paramref name="index"/> of an integer entry (BYTE, SHORT or LONG), or null when the entry is missing, of
    /// another type, or its values lie outside the file.
    /// </summary>
    public long? Value(ushort tag, int index = 0)
    {
        int entry = Find(tag);
        if (entry < 0) return null;
        int type = U16(_file, entry + 2, Little);
        long count = U32(_file, entry + 4, Little);
        int size = type switch { 1 => 1, Short => 2, Long => 4, _ => 0 };
        if (size == 0 || index >= count) return null;
        long at = count * size <= 4 ? entry + 8 : U32(_file, entry + 8, Little);
        at += (long)index * size;
        if (at < 0 || at + size > _file.Length) return null;
        return size switch { 1 => _file[at], 2 => U16(_file, (int)at, Little), _ => U32(_file, (int)at, Little) };
    }

    /// <summary>
    /// A copy whose header points at a new directory: this one's entries, with each tag of <paramref name="set"/>
    /// given that one value (SHORT up to 65,535, else LONG) and each tag of <paramref name="removed"/> left out.
    /// </summary>
    public byte[] Rewritten(IReadOnlyDictionary<ushort, uint> set, IReadOnlyCollection<ushort> removed) =>
        Rewritten(set.ToDictionary(entry => entry.Key, entry => new[] { entry.Value }), removed);

    /// <summary>As the other overload, with one or two values a tag (two only as SHORTs, which fit in the entry).</summary>
    public byte[] Rewritten(IReadOnlyDictionary<ushort, uint[]> set, IReadOnlyCollection<ushort> removed)
    {
        var entries = new SortedDictionary<ushort, byte[]>();
        for (int i = 0; i < _count; i++)
        {
            int entry = _at + 2 + 12 * i;
            entries.TryAdd((ushort)U16(_file, entry, Little), _file.AsSpan(entry, 12).ToArray()); // of a tag twice, the first, as Value reads it
        }
        foreach (ushort tag in removed) entries.Remove(tag);
        foreach ((ushort tag, uint[] values) in set)
        {
            if (values.Length is < 1 or > 2 || (values.Length == 2 && values.Max() > ushort.MaxValue))
                throw new ArgumentException($"Tag {tag}: one value, or two SHORTs.", nameof(set));
            var entry = new byte[12];
            Write16(entry, 0, tag);
            Write32(entry, 4, (uint)values.Length);
            if (values.Max() <= ushort.MaxValue)
            {
                Write16(entry, 2, Short);
                for (int i = 0; i < values.Length; i++) Write16(entry, 8 + 2 * i, (ushort)values[i]); // left-justified in the entry's four bytes
            }
            else
            {
                Write16(entry, 2, Long);
                Write32(entry, 8, values[0]);
            }
            entries[tag] = entry;
        }

        int start = _file.Length + (_file.Length & 1); // directories start on a word boundary
        var copy = new byte[start + 2 + 12 * entries.Count + 4];
        _file.CopyTo(copy, 0);
        Write16(copy, start, (ushort)entries.Count);
        int at = start + 2;
        foreach (byte[] entry in entries.Values) // in ascending tag order, as TIFF requires
        {
            entry.CopyTo(copy, at);
            at += 12;
        }
        Array.Copy(_file, _at + 2 + 12 * _count, copy, at, 4); // the next directory's offset
        Write32(copy, 4, (uint)start);
        return copy;
    }

    private int Find(ushort tag)
    {
        for (int i = 0; i < _count; i++)
        {
            int entry = _at + 2 + 12 * i;
            if (U16(_file, entry, Little) == tag) return entry;
        }
        return -1;
    }

    private static int U16(byte[] b, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(at)) : BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(at));

    private static long U32(byte[] b, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at)) : BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(at));

    private void Write16(byte[] b, int at, ushort v)
    {
        if (Little) BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(at), v);
        else BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(at), v);
    }

    private void Write32(byte[] b, int at, uint v)
    {
        if (Little) BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at), v);
        else BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(at), v);
    }
}
