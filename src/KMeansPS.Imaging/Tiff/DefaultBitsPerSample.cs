using System.Buffers.Binary;

namespace KMeansPS.Imaging.Tiff;

/// <summary>
/// A TIFF whose first directory leaves out BitsPerSample (TIFF 6.0: the default is 1, a bilevel image, which PIL
/// writes so) rewritten with the tag stated, since ImageSharp 2.1 fails on it (InvalidOperationException). The copy
/// appends a directory with the entries added and points the header at it; every other byte stays where it was, so
/// the offsets in the old entries still hold.
/// </summary>
internal static class DefaultBitsPerSample
{
    private const ushort BitsPerSample = 258, SamplesPerPixel = 277;

    /// <summary><paramref name="file"/> itself when it is not a classic TIFF missing the tag; else the rewritten copy.</summary>
    public static byte[] Stated(byte[] file)
    {
        if (file.Length < 8) return file;
        bool little = file[0] == 'I' && file[1] == 'I';
        if (!little && !(file[0] == 'M' && file[1] == 'M')) return file;
        if (U16(file, 2, little) != 42) return file; // BigTIFF (43) is left as it is
        long ifd = U32(file, 4, little);
        if (ifd < 8 || ifd > file.Length - 2) return file;
        int count = U16(file, (int)ifd, little);
        long end = ifd + 2 + 12L * count + 4;
        if (end > file.Length) return file;
        bool hasBits = false, hasSamples = false;
        for (int i = 0; i < count; i++)
        {
            int tag = U16(file, (int)ifd + 2 + 12 * i, little);
            hasBits |= tag == BitsPerSample;
            hasSamples |= tag == SamplesPerPixel;
        }
        // SamplesPerPixel is stated along with it (default 1 too): ImageSharp reads a count of samples from it.
        if (hasBits) return file;
        var added = new List<ushort> { BitsPerSample };
        if (!hasSamples) added.Add(SamplesPerPixel);

        int start = file.Length + (file.Length & 1); // directories start on a word boundary
        int total = count + added.Count;
        var copy = new byte[start + 2 + 12 * total + 4];
        file.CopyTo(copy, 0);
        Write16(copy, start, (ushort)total, little);
        // Entries in ascending tag order, as TIFF requires: the old ones merged with the added ones.
        int old = 0, next = 0, at = start + 2;
        while (old < count || next < added.Count)
        {
            int oldAt = (int)ifd + 2 + 12 * old;
            if (next < added.Count && (old == count || U16(file, oldAt, little) > added[next]))
            {
                Write16(copy, at, added[next], little);
                Write16(copy, at + 2, 3, little); // SHORT
                Write32(copy, at + 4, 1, little);
                Write16(copy, at + 8, 1, little); // the value, left-justified in the entry's four bytes
                next++;
            }
            else
            {
                Array.Copy(file, oldAt, copy, at, 12);
                old++;
            }
            at += 12;
        }
        Array.Copy(file, (int)ifd + 2 + 12 * count, copy, at, 4); // the next directory's offset
        Write32(copy, 4, (uint)start, little);
        return copy;
    }

    private static int U16(byte[] b, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(at)) : BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(at));

    private static long U32(byte[] b, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at)) : BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(at));

    private static void Write16(byte[] b, int at, ushort v, bool little)
    {
        if (little) BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(at), v);
        else BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(at), v);
    }

    private static void Write32(byte[] b, int at, uint v, bool little)
    {
        if (little) BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at), v);
        else BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(at), v);
    }
}
