namespace KMeansPS.Imaging.Jpeg;

/// <summary>One colour component of a frame: its sampling, its geometry in blocks, and its decoding state.</summary>
internal sealed class JpegComponent
{
    internal JpegComponent(int index, byte id, int h, int v, int quantTable)
    {
        Index = index;
        Id = id;
        H = h;
        V = v;
        QuantTable = quantTable;
    }

    /// <summary>Position in the frame header, 0-based.</summary>
    internal int Index { get; }

    /// <summary>The component identifier scans refer to.</summary>
    internal byte Id { get; }

    /// <summary>Horizontal and vertical sampling factors, 1 to 4 (1 and 1 for the lone component of a grey frame).</summary>
    internal int H { get; set; }

    internal int V { get; set; }

    /// <summary>The quantization table selector of the frame header, 0 to 3.</summary>
    internal int QuantTable { get; }

    /// <summary>Samples of the component that hold image data: ceil(width x H / Hmax), and likewise down.</summary>
    internal int SampledWidth { get; set; }

    internal int SampledHeight { get; set; }

    /// <summary>Blocks a scan of this component alone covers: the sampled size in whole blocks.</summary>
    internal int ScanBlocksWide { get; set; }

    internal int ScanBlocksHigh { get; set; }

    /// <summary>Blocks held for the component: whole MCUs of an interleaved scan (at least the scan blocks).</summary>
    internal int BlocksWide { get; set; }

    internal int BlocksHigh { get; set; }

    /// <summary>
    /// The dequantization table in natural order, as libjpeg keeps it (16-bit signed multipliers), taken when the
    /// component's first scan starts (as libjpeg does).
    /// </summary>
    internal short[]? Dequant { get; set; }

    /// <summary>
    /// Every block's coefficients, for progressive files (in zig-zag order) and multi-scan sequential ones (in natural
    /// order); null when the image is streamed.
    /// </summary>
    internal short[]? Coefficients { get; set; }

    /// <summary>The DC predictor of the scan being decoded.</summary>
    internal int DcPredictor;

    /// <summary>
    /// Progressive: the successive-approximation bit each coefficient was last coded to, or -1 before its first
    /// scan (libjpeg's coef_bits). Sequential: entry 0 is 0 once the component has been coded.
    /// </summary>
    internal readonly int[] CoefficientBits = Enumerable.Repeat(-1, 64).ToArray();
}
