using System.Buffers.Binary;

namespace KMeansPS.Imaging.Metadata;

/// <summary>
/// EXIF data's TIFF structure walked whole before it is carried: every directory reachable from IFD0 (the chain of next
/// directories, and the EXIF, GPS, interoperability and SubIFDs pointers), each entry's values checked to lie inside the
/// data. <see cref="ExifIfd0"/> reads only the first directory, so a loop of directories or an entry that over-counts
/// its values further on went out as it came in, for a viewer's EXIF reader to run into (exiftool warns of both).
/// The walk is bounded: each directory once, at most <see cref="MaxDirectories"/> of them.
/// </summary>
internal static class ExifStructure
{
    /// <summary>More directories than any camera or editor writes (IFD0, EXIF, GPS, interoperability, a few thumbnails).</summary>
    internal const int MaxDirectories = 32;

    private const ushort ExifPointer = 0x8769, GpsPointer = 0x8825, InteropPointer = 0xA005, SubDirectories = 0x014A;
    private const ushort TypeLong = 4, TypeDirectory = 13;

    /// <summary>Why <paramref name="tiff"/> is not a whole EXIF structure (a phrase for a warning), or null when it is.</summary>
    public static string? Damage(ReadOnlySpan<byte> tiff)
    {
        if (tiff.Length < 8) return "it is shorter than its header";
        bool little;
        if (tiff[0] == (byte)'I' && tiff[1] == (byte)'I') little = true;
        else if (tiff[0] == (byte)'M' && tiff[1] == (byte)'M') little = false;
        else return "it has no TIFF header";
        if (U16(tiff, 2, little) != 42) return "it has no TIFF header";

        var pending = new Stack<(uint Offset, string Name)>();
        var seen = new HashSet<uint>();
        pending.Push((U32(tiff, 4, little), "IFD0"));
        while (pending.Count > 0)
        {
            (uint offset, string name) = pending.Pop();
            if (!seen.Add(offset)) return $"{name} is a directory reached before (a loop)";
            if (seen.Count > MaxDirectories) return $"it has more than {MaxDirectories} directories";
            if (offset < 8 || offset > tiff.Length - 2) return $"{name} lies outside the data";
            int count = U16(tiff, (int)offset, little);
            long entriesEnd = offset + 2 + 12L * count;
            if (entriesEnd > tiff.Length) return $"{name}'s {count} entries run past the data";
            for (int i = 0; i < count; i++)
            {
                int at = (int)offset + 2 + 12 * i;
                ushort tag = U16(tiff, at, little), type = U16(tiff, at + 2, little);
                uint values = U32(tiff, at + 4, little);
                int size = TypeSize(type);
                if (size == 0) continue; // a type this walk does not know: its length cannot be checked, and no reader takes it
                long bytes = (long)values * size;
                int valuesAt = at + 8;
                if (bytes > 4)
                {
                    uint pointer = U32(tiff, at + 8, little);
                    if (pointer + bytes > tiff.Length) return $"entry 0x{tag:X4} of {name} has {values} values that run past the data";
                    valuesAt = (int)pointer;
                }
                if (type is not (TypeLong or TypeDirectory) || values == 0) continue;
                string? target = tag switch
                {
                    ExifPointer => "the EXIF directory",
                    GpsPointer => "the GPS directory",
                    InteropPointer => "the interoperability directory",
                    SubDirectories => "a SubIFD",
                    _ => null,
                };
                if (target is null) continue;
                uint listed = tag == SubDirectories ? Math.Min(values, (uint)MaxDirectories + 1) : 1;
                for (int v = 0; v < listed; v++) pending.Push((U32(tiff, valuesAt + 4 * v, little), target));
            }
            // The next directory's offset; a directory that ends the data without one has none (some writers drop it).
            if (entriesEnd + 4 <= tiff.Length && U32(tiff, (int)entriesEnd, little) is uint next and not 0)
                pending.Push((next, name == "IFD0" ? "IFD1" : $"the directory after {name}"));
        }
        return null;
    }

    /// <summary>Bytes per value of a TIFF field type (BYTE ... DOUBLE, and IFD), 0 for one not defined.</summary>
    private static int TypeSize(ushort type) => type switch
    {
        1 or 2 or 6 or 7 => 1,
        3 or 8 => 2,
        4 or 9 or 11 or TypeDirectory => 4,
        5 or 10 or 12 => 8,
        _ => 0,
    };

    private static ushort U16(ReadOnlySpan<byte> data, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(data[at..]) : BinaryPrimitives.ReadUInt16BigEndian(data[at..]);

    private static uint U32(ReadOnlySpan<byte> data, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(data[at..]) : BinaryPrimitives.ReadUInt32BigEndian(data[at..]);
}
