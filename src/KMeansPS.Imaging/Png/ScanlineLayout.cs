namespace KMeansPS.Imaging.Png;

/// <summary>
/// How the encoder lays out a palette image's scanlines: the bit depth the indices are packed at and the one filter
/// every row uses (0 None or 2 Up). None suits photographs; Up suits images whose indices change smoothly from row
/// to row, as translucent ramps do once the palette puts its non-opaque entries first in order of alpha (a ramp
/// becomes rows of the same small difference); 8 bits instead of 4 sometimes lets deflate find longer matches.
/// </summary>
internal readonly record struct ScanlineLayout(int BitDepth, byte Filter)
{
    /// <summary>Filter type None.</summary>
    public const byte None = 0;

    /// <summary>Filter type Up: each byte minus the byte above it.</summary>
    public const byte Up = 2;

    /// <summary>Scanline bytes per row, without the filter byte.</summary>
    public int RowBytes(int width) => checked((int)(((long)width * BitDepth + 7) / 8));

    /// <summary>
    /// The layouts tried for a palette of <paramref name="paletteSize"/> entries, the usual one (smallest depth,
    /// filter None) first: the encoder keeps a later one only when its stream is strictly smaller. Up is tried only
    /// when some entry is <paramref name="translucent"/>: it wins on alpha ramps, and on opaque images (photographs,
    /// flat art, whose entries are in order of use, not of colour) it never did in the size comparison of issue #15.
    /// </summary>
    public static ScanlineLayout[] Candidates(int paletteSize, bool translucent)
    {
        int depth = PalettePngEncoder.BitDepthFor(paletteSize);
        var candidates = new List<ScanlineLayout>(3) { new(depth, None) };
        if (translucent) candidates.Add(new(depth, Up));
        if (depth < 8) candidates.Add(new(8, None));
        return [.. candidates];
    }
}
