using System.Buffers.Binary;

namespace KMeansPS.Imaging.Png;

/// <summary>
/// The tRNS chunks that libpng ignores (with a warning) and ImageSharp 2.1 applies: a palette PNG's before the
/// palette or with more entries than the palette or none; a grey PNG's of other than 2 bytes and an RGB PNG's of other
/// than 6 (libpng: "invalid"); any in a PNG with an alpha channel; and any after the first. Browsers read PNGs with
/// libpng, so those files show opaque where ImageSharp would make entries or a colour translucent or transparent.
/// ImageSharp gets a copy without such chunks, and so reads what libpng shows.
/// </summary>
internal static class IgnoredTransparencyChunks
{
    private const uint Ihdr = 0x49484452, Plte = 0x504C5445, Trns = 0x74524E53, Idat = 0x49444154;

    /// <summary>The copy for ImageSharp, or <paramref name="png"/> itself when it has no such chunk.</summary>
    public static byte[] Removed(byte[] png)
    {
        ArgumentNullException.ThrowIfNull(png);
        if (png.Length < 8 + 25 || BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(12)) != Ihdr) return png;
        byte colourType = png[8 + 8 + 9];
        var drop = new List<(int Start, int Length)>();
        int paletteEntries = -1;
        bool kept = false;
        for (int p = 8; p + 12 <= png.Length;)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(p));
            uint type = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(p + 4));
            if (length > int.MaxValue || p + 12L + length > png.Length || type == Idat) break;
            if (type == Plte && paletteEntries < 0) paletteEntries = (int)length / 3;
            if (type == Trns)
            {
                bool valid = !kept && colourType switch
                {
                    0 => length == 2,
                    2 => length == 6,
                    3 => paletteEntries >= 0 && length > 0 && length <= paletteEntries,
                    _ => false, // grey or colour with alpha: a tRNS is not allowed there
                };
                if (valid) kept = true;
                else drop.Add((p, 12 + (int)length));
            }
            p += 12 + (int)length;
        }
        if (drop.Count == 0) return png;
        var copy = new byte[png.Length - drop.Sum(d => d.Length)];
        int from = 0, to = 0;
        foreach ((int start, int length) in drop)
        {
            png.AsSpan(from, start - from).CopyTo(copy.AsSpan(to));
            to += start - from;
            from = start + length;
        }
        png.AsSpan(from).CopyTo(copy.AsSpan(to));
        return copy;
    }
}
