using System.Buffers.Binary;

namespace KMeansPS.Imaging.Png;

/// <summary>
/// Joins a PNG's run of IDAT chunks into one chunk before ImageSharp reads it. PNG lets an encoder split the image
/// data anywhere, even inside the two-byte zlib header, and ImageSharp 2.1's inflate stream fails with
/// IndexOutOfRangeException on such valid files (IDAT chunks of one byte). One chunk holding the same bytes is the
/// same image to every decoder. Only well-formed layouts whose IDAT CRCs are right, ending with IEND or after a whole
/// chunk, are rewritten (the integrity scan has passed them); anything else is returned as it is.
/// </summary>
internal static class IdatCoalescer
{
    private static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private const uint Idat = 0x49444154;
    private const uint Iend = 0x49454E44;

    /// <summary>The file with its IDAT run as one chunk, or <paramref name="png"/> itself when it has one IDAT or is not a plain PNG.</summary>
    public static byte[] Coalesce(byte[] png)
    {
        ArgumentNullException.ThrowIfNull(png);
        if (png.Length < Signature.Length || !png.AsSpan(0, Signature.Length).SequenceEqual(Signature)) return png;
        int first = -1, end = -1, chunks = 0;
        long data = 0;
        int p = Signature.Length;
        bool whole = false;
        while (!whole && p + 12 <= png.Length)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(p));
            if (length > int.MaxValue || p + 12L + length > png.Length) return png;
            uint type = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(p + 4));
            if (type == Idat)
            {
                if (end >= 0 && end != p) return png; // a second run: not ours to join (the scanner judges it)
                // A chunk whose CRC is wrong stays as it is: joined, it would get a fresh CRC and its damage would be
                // hidden from ImageSharp, which refuses it ("CRC Error"), as libpng does.
                if (Crc32.Compute(png.AsSpan(p + 4, 4 + (int)length)) != BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(p + 8 + (int)length))) return png;
                if (first < 0) first = p;
                chunks++;
                data += length;
                end = p + 12 + (int)length;
            }
            whole = type == Iend;
            p += 12 + (int)length;
        }
        // A file that ends after a whole chunk without an IEND is read as it is (the scanner tolerates it, as Pillow
        // does): its split run needs joining as much.
        if (!(whole || p == png.Length) || chunks < 2 || data > int.MaxValue - png.Length) return png;

        var joined = new byte[png.Length - (chunks - 1) * 12];
        png.AsSpan(0, first).CopyTo(joined);
        int w = first;
        BinaryPrimitives.WriteUInt32BigEndian(joined.AsSpan(w), (uint)data);
        BinaryPrimitives.WriteUInt32BigEndian(joined.AsSpan(w + 4), Idat);
        w += 8;
        for (int q = first; q < end;)
        {
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(q));
            png.AsSpan(q + 8, length).CopyTo(joined.AsSpan(w));
            w += length;
            q += 12 + length;
        }
        BinaryPrimitives.WriteUInt32BigEndian(joined.AsSpan(w), Crc32.Compute(joined.AsSpan(first + 4, 4 + (int)data)));
        w += 4;
        png.AsSpan(end).CopyTo(joined.AsSpan(w));
        return joined;
    }
}
