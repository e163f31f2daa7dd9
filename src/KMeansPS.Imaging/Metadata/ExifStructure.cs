using static KMeansPS.Imaging.Metadata.ExifIfd0; // U16, U32: the structure's values in its byte order
using static KMeansPS.Imaging.Tiff.TiffTags;

namespace KMeansPS.Imaging.Metadata;

/// <summary>
/// EXIF data's TIFF structure walked whole before it is carried, as readers walk it (exiftool's checks): the chain of
/// directories from IFD0 (IFD1 holds the thumbnail) and the EXIF, GPS, interoperability and SubIFDs pointers (whose own
/// next-directory fields readers ignore, so this walk does too); each entry of a defined type, its values inside the
/// data and not in the 8-byte header; IFD1's thumbnail (JPEG offset and length, or strips) inside the data.
/// <see cref="ExifIfd0"/> reads only the first directory, so a loop of directories or an entry that over-counts its
/// values further on went out as it came in, for a viewer's EXIF reader to run into. The walk is bounded: each
/// directory once, at most <see cref="MaxDirectories"/> of them.
/// </summary>
internal static class ExifStructure
{
    /// <summary>More directories than any camera or editor writes (IFD0, EXIF, GPS, interoperability, a few thumbnails).</summary>
    internal const int MaxDirectories = 32;

    private const ushort TypeShort = 3, TypeLong = 4, TypeDirectory = 13;

    /// <summary>Why <paramref name="tiff"/> is not a whole EXIF structure (a phrase for a warning), or null when it is.</summary>
    public static string? Damage(ReadOnlySpan<byte> tiff)
    {
        if (tiff.Length < 8) return "it is shorter than its header";
        bool little;
        if (tiff[0] == (byte)'I' && tiff[1] == (byte)'I') little = true;
        else if (tiff[0] == (byte)'M' && tiff[1] == (byte)'M') little = false;
        else return "it has no TIFF header";
        if (U16(tiff, 2, little) != 42) return "it has no TIFF header";

        // Each directory to walk, its name for the warning, and its place in IFD0's chain (-1: a pointed-to directory).
        var pending = new Stack<(uint Offset, string Name, int Chain)>();
        var seen = new HashSet<uint>();
        pending.Push((U32(tiff, 4, little), "IFD0", 0));
        while (pending.Count > 0)
        {
            (uint offset, string name, int chain) = pending.Pop();
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
                if (size == 0) return $"entry 0x{tag:X4} of {name} has type {type}, which TIFF does not define";
                long bytes = (long)values * size;
                int valuesAt = at + 8;
                if (bytes > 4)
                {
                    uint pointer = U32(tiff, at + 8, little);
                    if (pointer < 8) return $"entry 0x{tag:X4} of {name} points into the header";
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
                for (int v = 0; v < listed; v++) pending.Push((U32(tiff, valuesAt + 4 * v, little), target, -1));
            }
            if (chain == 1 && ThumbnailOutside(tiff, (int)offset, count, little) is { } thumbnail) return $"IFD1's thumbnail {thumbnail}";
            // IFD0's chain goes on while a directory names a next one; a directory that ends the data without the field
            // has none (some writers drop it).
            if (chain >= 0 && entriesEnd + 4 <= tiff.Length && U32(tiff, (int)entriesEnd, little) is uint next and not 0)
                pending.Push((next, $"IFD{chain + 1}", chain + 1));
        }
        return null;
    }

    /// <summary>How IFD1's thumbnail (a JPEG's offset and length, or strips) reaches past the data, or null.</summary>
    private static string? ThumbnailOutside(ReadOnlySpan<byte> tiff, int offset, int count, bool little)
    {
        int jpegAt = -1, jpegLength = -1, stripsAt = -1, countsAt = -1;
        for (int i = 0; i < count; i++)
        {
            int at = offset + 2 + 12 * i;
            switch (U16(tiff, at, little))
            {
                case ThumbnailOffset: jpegAt = at; break;
                case ThumbnailLength: jpegLength = at; break;
                case StripOffsets: stripsAt = at; break;
                case StripByteCounts: countsAt = at; break;
            }
        }
        if (jpegAt >= 0 && jpegLength >= 0 && Value(tiff, jpegAt, 0, little) is long start && Value(tiff, jpegLength, 0, little) is long length
            && start + length > tiff.Length)
            return "runs past the data";
        if (stripsAt >= 0 && countsAt >= 0)
        {
            long strips = Math.Min(U32(tiff, stripsAt + 4, little), U32(tiff, countsAt + 4, little));
            for (int v = 0; v < strips; v++)
            {
                if (Value(tiff, stripsAt, v, little) is long stripStart && Value(tiff, countsAt, v, little) is long stripLength
                    && stripStart + stripLength > tiff.Length)
                    return $"strip {v} runs past the data";
            }
        }
        return null;
    }

    /// <summary>Value <paramref name="index"/> of a SHORT or LONG entry (its values already checked to lie inside the data), else null.</summary>
    private static long? Value(ReadOnlySpan<byte> tiff, int entry, int index, bool little)
    {
        ushort type = U16(tiff, entry + 2, little);
        int size = type == TypeShort ? 2 : type == TypeLong ? 4 : 0;
        if (size == 0) return null;
        uint values = U32(tiff, entry + 4, little);
        int at = (long)values * size > 4 ? (int)U32(tiff, entry + 8, little) : entry + 8;
        at += index * size;
        return size == 2 ? U16(tiff, at, little) : U32(tiff, at, little);
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
}
