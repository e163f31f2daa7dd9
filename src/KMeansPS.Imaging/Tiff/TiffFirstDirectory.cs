using System.Buffers.Binary;
using KMeansPS.Imaging.Metadata;

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
    private readonly ExifIfd0 _ifd; // EXIF's data is a TIFF structure: the same directory reader serves both

    private TiffFirstDirectory(byte[] file, ExifIfd0 ifd)
    {
        _file = file;
        _ifd = ifd;
    }

    /// <summary>True for a little-endian ("II") file.</summary>
    public bool Little => _ifd.LittleEndian;

    /// <summary>The first directory of <paramref name="file"/>, or null when it is not a classic TIFF whose first directory lies whole in it.</summary>
    public static TiffFirstDirectory? Read(byte[] file)
    {
        // BigTIFF (43) is left as it is; the directory's next-directory offset must be in the file too, for the copy.
        if (ExifIfd0.TryOpen(file) is not { } ifd || ifd.EntriesAt + 12L * ifd.EntryCount + 4 > file.Length) return null;
        return new TiffFirstDirectory(file, ifd);
    }

    /// <summary>True when the directory has an entry for <paramref name="tag"/>.</summary>
    public bool Has(ushort tag) => _ifd.Find(tag) >= 0;

    /// <summary>The number of values of <paramref name="tag"/>'s entry, 0 when there is none.</summary>
    public long Count(ushort tag) => _ifd.Count(tag);

    /// <summary>
    /// Value <paramref name="index"/> of an integer entry (BYTE, SHORT or LONG), or null when the entry is missing, of
    /// another type, or its values lie outside the file.
    /// </summary>
    public long? Value(ushort tag, int index = 0) => _ifd.Value(tag, index);

    /// <summary>The values of a BYTE or UNDEFINED entry (JPEGTables), or null when it is missing or its values lie outside the file.</summary>
    public byte[]? Bytes(ushort tag) => _ifd.Bytes(tag);

    /// <summary>
    /// The tags whose values cannot lie in the file: a count times the type's size beyond 4 bytes that reaches past the
    /// end (a count of 4 billion). Entries of types TIFF does not define are not judged.
    /// </summary>
    public List<ushort> TagsWithValuesOutside()
    {
        var outside = new List<ushort>();
        for (int i = 0; i < _ifd.EntryCount; i++)
        {
            int entry = _ifd.EntriesAt + 12 * i;
            ushort tag = Read16(entry), type = Read16(entry + 2);
            long size = type switch { 1 or 2 or 6 or 7 => 1, 3 or 8 => 2, 4 or 9 or 11 or 13 => 4, 5 or 10 or 12 => 8, _ => 0 };
            long bytes = size * Read32(entry + 4);
            if (bytes > 4 && Read32(entry + 8) + bytes > _file.Length) outside.Add(tag);
        }
        return outside;
    }

    /// <summary>
    /// A copy whose header points at a new directory: this one's entries, with each tag of <paramref name="set"/>
    /// given that one value (SHORT up to 65,535, else LONG) and each tag of <paramref name="removed"/> left out.
    /// </summary>
    public byte[] Rewritten(IReadOnlyDictionary<ushort, uint> set, IReadOnlyCollection<ushort> removed) =>
        Rewritten(set.ToDictionary(entry => entry.Key, entry => new[] { entry.Value }), removed);

    /// <summary>Where the <c>room</c> of <see cref="Rewritten(IReadOnlyDictionary{ushort, uint[]}, IReadOnlyCollection{ushort}, int)"/> starts: after the file, on a word boundary.</summary>
    public int RoomAt => _file.Length + (_file.Length & 1);

    /// <summary>
    /// As the other overload, with any number of values a tag (SHORTs when every one fits, else LONGs; more than fit
    /// in the entry go after the new directory), and <paramref name="room"/> zero bytes at <see cref="RoomAt"/>,
    /// before the directory, for the caller to fill (strips of its own).
    /// </summary>
    /// <exception cref="InsufficientMemoryException">The copy would be larger than an array can be (an out-of-memory error to the decoder).</exception>
    public byte[] Rewritten(IReadOnlyDictionary<ushort, uint[]> set, IReadOnlyCollection<ushort> removed, int room = 0)
    {
        var entries = new SortedDictionary<ushort, byte[]>();
        for (int i = 0; i < _ifd.EntryCount; i++)
        {
            int entry = _ifd.EntriesAt + 12 * i;
            ushort tag = Read16(entry);
            entries.TryAdd(tag, _file.AsSpan(entry, 12).ToArray()); // of a tag twice, the first, as Value reads it
        }
        foreach (ushort tag in removed) entries.Remove(tag);
        var outside = new List<(byte[] Entry, uint[] Values, int Size)>();
        foreach ((ushort tag, uint[] values) in set)
        {
            if (values.Length == 0) throw new ArgumentException($"Tag {tag}: no values.", nameof(set));
            int size = values.Max() <= ushort.MaxValue ? 2 : 4;
            var entry = new byte[12];
            Write16(entry, 0, tag);
            Write16(entry, 2, size == 2 ? Short : Long);
            Write32(entry, 4, (uint)values.Length);
            if (size * values.Length <= 4) WriteValues(entry, 8, values, size); // left-justified in the entry's four bytes
            else outside.Add((entry, values, size));
            entries[tag] = entry;
        }

        int start = RoomAt + room;
        start += start & 1; // directories start on a word boundary
        long valuesAt = start + 2L + 12 * entries.Count + 4;
        long length = valuesAt + outside.Sum(values => (long)values.Size * values.Values.Length);
        if (length > Array.MaxLength) throw new InsufficientMemoryException($"A rewritten TIFF of {length:N0} bytes cannot be held.");
        var copy = new byte[length];
        _file.CopyTo(copy, 0);
        foreach ((byte[] entry, uint[] values, int size) in outside)
        {
            Write32(entry, 8, (uint)valuesAt);
            WriteValues(copy, (int)valuesAt, values, size);
            valuesAt += size * values.Length;
        }
        Write16(copy, start, (ushort)entries.Count);
        int at = start + 2;
        foreach (byte[] entry in entries.Values) // in ascending tag order, as TIFF requires
        {
            entry.CopyTo(copy, at);
            at += 12;
        }
        Array.Copy(_file, _ifd.EntriesAt + 12 * _ifd.EntryCount, copy, at, 4); // the next directory's offset
        Write32(copy, 4, (uint)start);
        return copy;
    }

    private void WriteValues(byte[] b, int at, uint[] values, int size)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (size == 2) Write16(b, at + 2 * i, (ushort)values[i]);
            else Write32(b, at + 4 * i, values[i]);
        }
    }

    private ushort Read16(int at) => Little ? BinaryPrimitives.ReadUInt16LittleEndian(_file.AsSpan(at)) : BinaryPrimitives.ReadUInt16BigEndian(_file.AsSpan(at));

    private uint Read32(int at) => Little ? BinaryPrimitives.ReadUInt32LittleEndian(_file.AsSpan(at)) : BinaryPrimitives.ReadUInt32BigEndian(_file.AsSpan(at));

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
