namespace KMeansPS.Imaging.Pnm;

/// <summary>
/// The header of a PAM (P7) as netpbm reads it: the rest of the magic number's line, then lines of a keyword and a
/// value ('#' lines and blank lines ignored) up to the ENDHDR line. Neither ImageSharp 2.1 nor this module decodes PAM;
/// the structure check (<see cref="Integrity.PnmScanner"/>) reads one to count a PAM after another Netpbm image.
/// </summary>
/// <param name="Width">WIDTH, or -1 when the header gives none that is a number (values are kept to just past int.MaxValue).</param>
/// <param name="Height">HEIGHT, or -1.</param>
/// <param name="Depth">DEPTH (samples a pixel), or -1.</param>
/// <param name="MaxValue">MAXVAL, or -1.</param>
/// <param name="RasterStart">Right after the line feed that ends the ENDHDR line: a raster starting with whitespace is still raster.</param>
internal sealed record PamHeader(long Width, long Height, long Depth, long MaxValue, int RasterStart)
{
    /// <summary>The header of a file that starts 'P7'; null when the file ends before its ENDHDR line does.</summary>
    public static PamHeader? Read(ReadOnlySpan<byte> file)
    {
        if (file.Length < 3 || file[0] != 'P' || file[1] != '7') return null;
        int p = 2;
        long width = -1, height = -1, depth = -1, maxValue = -1;
        if (!NextLine(file, ref p, out _)) return null; // the rest of the magic number's line
        while (NextLine(file, ref p, out ReadOnlySpan<byte> line))
        {
            line = line.TrimStart(Whitespace);
            if (line.IsEmpty || line[0] == '#') continue;
            int split = line.IndexOfAny(Whitespace);
            ReadOnlySpan<byte> keyword = split < 0 ? line : line[..split], value = split < 0 ? [] : line[split..].Trim(Whitespace);
            if (keyword.SequenceEqual("ENDHDR"u8)) return new PamHeader(width, height, depth, maxValue, p);
            if (keyword.SequenceEqual("WIDTH"u8)) width = Number(value);
            else if (keyword.SequenceEqual("HEIGHT"u8)) height = Number(value);
            else if (keyword.SequenceEqual("DEPTH"u8)) depth = Number(value);
            else if (keyword.SequenceEqual("MAXVAL"u8)) maxValue = Number(value);
        }
        return null;
    }

    /// <summary>The whitespace netpbm's header reading strips (C's isspace).</summary>
    private static ReadOnlySpan<byte> Whitespace => [9, 10, 11, 12, 13, 32];

    /// <summary>The line at <paramref name="p"/> without its line feed; false when no line feed ends it.</summary>
    private static bool NextLine(ReadOnlySpan<byte> file, ref int p, out ReadOnlySpan<byte> line)
    {
        int length = file[p..].IndexOf((byte)'\n');
        line = length < 0 ? [] : file.Slice(p, length);
        if (length < 0) return false;
        p += length + 1;
        return true;
    }

    /// <summary>A decimal value; -1 unless it is all digits.</summary>
    private static long Number(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty) return -1;
        long n = 0;
        foreach (byte b in value)
        {
            if ((uint)(b - '0') > 9) return -1;
            n = Math.Min(n * 10 + (b - '0'), (long)int.MaxValue + 1);
        }
        return n;
    }
}
