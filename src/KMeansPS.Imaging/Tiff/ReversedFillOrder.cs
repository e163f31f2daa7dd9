using static KMeansPS.Imaging.Tiff.TiffTags;

namespace KMeansPS.Imaging.Tiff;

/// <summary>
/// A TIFF whose FillOrder is 2 (each byte's bits stored least significant first, as fax machines send them), handed
/// to ImageSharp as libtiff reads it: libtiff reverses the bits of each strip's bytes before it decompresses them,
/// whatever the compression but JPEG's. ImageSharp 2.1 honours the tag only for 1-bit images and reverses the bits after
/// decompressing, so their LZW, Deflate and PackBits strips failed and their uncompressed ones came out with each
/// byte's eight pixels mirrored; at other depths it refused the file. The copy has every strip's bytes reversed and
/// FillOrder 1 (<c>TiffFirstDirectory.Rewritten</c>; a classic TIFF, whose structure the scanner has checked).
/// </summary>
internal static class ReversedFillOrder
{
    /// <summary><paramref name="file"/> itself unless its first directory says FillOrder 2; else the copy ImageSharp reads.</summary>
    public static byte[] AsLibtiffReads(byte[] file)
    {
        if (TiffFirstDirectory.Read(file) is not { } directory || directory.Value(FillOrder) != 2) return file;
        if (directory.Value(Compression) is 6 or 7) return file; // JPEG data keeps its byte order (libtiff: TIFF_NOBITREV)
        long strips = directory.Count(StripOffsets);
        if (strips == 0 || directory.Count(StripByteCounts) != strips) return file;
        var ranges = new List<(long Start, long End)>();
        for (int s = 0; s < strips; s++)
        {
            if (directory.Value(StripOffsets, s) is not long start || directory.Value(StripByteCounts, s) is not long length) return file;
            long end = Math.Min(file.Length, start + length);
            if (start >= 0 && start < end) ranges.Add((start, end));
        }
        byte[] copy = directory.Rewritten(new Dictionary<ushort, uint> { [FillOrder] = 1 }, []);
        // Strips that share bytes are reversed once: the ranges merged first.
        ranges.Sort();
        long from = -1, to = -1;
        foreach ((long start, long end) in ranges)
        {
            if (start > to)
            {
                if (to > from) Reverse(copy.AsSpan((int)from, (int)(to - from)));
                (from, to) = (start, end);
            }
            else to = Math.Max(to, end);
        }
        if (to > from) Reverse(copy.AsSpan((int)from, (int)(to - from)));
        return copy;
    }

    /// <summary>Reverses the order of the bits within each byte.</summary>
    public static void Reverse(Span<byte> data)
    {
        for (int i = 0; i < data.Length; i++)
        {
            uint b = data[i];
            data[i] = (byte)(((b * 0x0802u & 0x22110u) | (b * 0x8020u & 0x88440u)) * 0x10101u >> 16);
        }
    }
}
