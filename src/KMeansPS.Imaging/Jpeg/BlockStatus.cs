namespace KMeansPS.Imaging.Jpeg;

/// <summary>What a block decoder returns when the data is corrupt (valid results are 0 or more).</summary>
internal static class BlockStatus
{
    /// <summary>The bits form no code of the Huffman table.</summary>
    internal const int BadCode = -1;

    /// <summary>A run of zeros or a coefficient goes past the end of the block (or of the scan's band).</summary>
    internal const int PastEnd = -2;

    /// <summary>A refinement scan codes a new coefficient with a size other than 1.</summary>
    internal const int BadRefinement = -3;

    /// <summary>
    /// A first DC scan's differences take a DC value past the range of a 32-bit int (libjpeg's progressive decoder
    /// stops there: "DCT coefficient out of range"; its sequential one has no such check, and neither has this one's).
    /// </summary>
    internal const int DcOutOfRange = -4;

    internal static string Describe(int status) => status switch
    {
        BadCode => "an invalid Huffman code",
        PastEnd => "coefficients beyond the end of a block",
        DcOutOfRange => "DC differences that add up past the range of a 32-bit number",
        _ => "an invalid refinement code",
    };
}
