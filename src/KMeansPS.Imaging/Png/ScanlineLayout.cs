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
    /// filter None) first: the encoder keeps a later one only when its stream is strictly smaller.
    /// </summary>
    public static ScanlineLayout[] Candidates(int paletteSize)
    {
        int depth = PalettePngEncoder.BitDepthFor(paletteSize);
        return depth == 8
            ? [new(8, None), new(8, Up)]
            : [new(depth, None), new(depth, Up), new(8, None)];
    }
}
