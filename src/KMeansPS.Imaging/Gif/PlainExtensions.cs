using KMeansPS.Imaging.Integrity;

namespace KMeansPS.Imaging.Gif;

/// <summary>
/// A GIF's extensions as ImageSharp 2.1 can read them. It skips only the first sub-block of an extension it does not
/// know (an unknown label, an application extension whose data runs past one block) and reads the next bytes as blocks,
/// so an image hidden in a later sub-block was decoded in place of the real one, without a word; and it fails ("No data")
/// on a graphic control block of other than 4 bytes, and of two before one image took the last, where giflib, PIL,
/// ImageMagick and netpbm take the first. They read past every sub-block and take a graphic control block's first four
/// bytes. The copy ImageSharp is handed keeps an image's first graphic control extension as its first four bytes in one
/// block (one shorter than that says nothing, as PIL reads it, and goes) and leaves every other extension out: comments,
/// application and plain-text extensions carry nothing a still image's pixels use. A stray zero byte between blocks,
/// which ImageSharp takes for the end of the file (PIL and ImageMagick step over it), is left out too.
/// </summary>
internal static class PlainExtensions
{
    private const byte ExtensionIntroducer = 0x21, ImageSeparator = 0x2C, Trailer = 0x3B, GraphicControl = 0xF9;

    /// <summary><paramref name="gif"/> itself when every extension is already a 4-byte graphic control block; else the copy described above.</summary>
    public static byte[] Plain(byte[] gif)
    {
        if (gif.Length < 13) return gif;
        int p = 13 + GifScanner.TableBytes(gif[10]);
        if (p > gif.Length) return gif;
        List<(int Start, int End, byte[]? Replacement)>? changes = null;
        bool control = false; // a graphic control block kept since the last image
        while (p < gif.Length)
        {
            byte introducer = gif[p];
            if (introducer == ImageSeparator)
            {
                control = false;
                if (gif.Length - p < 10) break;
                p += 10 + GifScanner.TableBytes(gif[p + 9]);
                p++; // the LZW minimum code size
                GifScanner.SkipSubBlocks(gif, ref p, out _);
                continue;
            }
            if (introducer == Trailer) break;
            if (introducer != ExtensionIntroducer)
            {
                // A stray byte between blocks, which ImageSharp steps over as the scanner, giflib and PIL do; but a zero
                // byte it takes for the end of the file, so that one is left out.
                if (introducer == 0) (changes ??= []).Add((p, p + 1, null));
                p++;
                continue;
            }
            if (gif.Length - p < 2) break;
            int start = p, end = p + 2;
            GifScanner.SkipSubBlocks(gif, ref end, out bool complete);
            if (!complete) break; // cut short: the scanner refuses the file
            byte[]? replacement = control ? null : Replacement(gif, start, end);
            control |= replacement is not null;
            if (replacement is null || replacement.Length != end - start || !gif.AsSpan(start, end - start).SequenceEqual(replacement))
                (changes ??= []).Add((start, end, replacement));
            p = end;
        }
        if (changes is null) return gif;
        var copy = new List<byte>(gif.Length);
        int from = 0;
        foreach ((int start, int end, byte[]? replacement) in changes)
        {
            copy.AddRange(gif.AsSpan(from, start - from));
            if (replacement is not null) copy.AddRange(replacement);
            from = end;
        }
        copy.AddRange(gif.AsSpan(from));
        return [.. copy];
    }

    /// <summary>What the extension in [start, end) becomes: a graphic control block of its first four bytes, or nothing.</summary>
    private static byte[]? Replacement(byte[] gif, int start, int end)
    {
        if (gif[start + 1] != GraphicControl || start + 2 >= end) return null;
        int length = gif[start + 2];
        if (length < 4) return null;
        return [ExtensionIntroducer, GraphicControl, 4, gif[start + 3], gif[start + 4], gif[start + 5], gif[start + 6], 0];
    }
}
