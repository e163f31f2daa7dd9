namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// The decoded samples of one component, kept for two rows of MCUs at a time: the inverse DCT writes the newest
/// MCU row while the upsampler still reads the last rows of the one before (its filter looks one sample row up and
/// down). Row r lives in ring slot r modulo <see cref="RingRows"/> (a power of two); each row has margins so that
/// an edged row (a copy of the first sample before it, of the last after it) can be handed to the filters in place.
/// </summary>
internal sealed class ComponentPlane
{
    private const int Margin = 32;
    private readonly byte[] _samples;

    /// <param name="width">Samples per row: the component's blocks per row times 8.</param>
    /// <param name="rowsPerMcuRow">The component's sample rows per MCU row (8 times its vertical sampling factor).</param>
    internal ComponentPlane(int width, int rowsPerMcuRow)
    {
        Width = width;
        // At least two MCU rows, rounded up to a power of two so that a ring slot is a mask away.
        RingRows = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(2 * rowsPerMcuRow));
        Stride = width + 2 * Margin;
        _samples = new byte[(long)Stride * RingRows <= Array.MaxLength ? Stride * RingRows : throw new JpegNotSupportedException("The image is too wide.", othersRead: true)];
    }

    internal int Width { get; }
    internal int Stride { get; }
    internal int RingRows { get; }

    /// <summary>Where the inverse DCT writes the block at (<paramref name="row"/>, <paramref name="column"/>), a multiple of 8 each.</summary>
    internal Span<byte> Block(int row, int column) => _samples.AsSpan((row & (RingRows - 1)) * Stride + Margin + column);

    internal ReadOnlySpan<byte> Row(int row) => _samples.AsSpan((row & (RingRows - 1)) * Stride + Margin, Width);

    /// <summary>Row <paramref name="row"/> from one sample before its first to one after sample n - 1, those two set to copies.</summary>
    internal ReadOnlySpan<byte> EdgedRow(int row, int n)
    {
        int start = (row & (RingRows - 1)) * Stride + Margin;
        _samples[start - 1] = _samples[start];
        _samples[start + n] = _samples[start + n - 1];
        return _samples.AsSpan(start - 1, n + 2);
    }
}
