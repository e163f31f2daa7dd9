namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// The decoded samples of one component, kept for two rows of MCUs at a time: the inverse DCT writes the newest
/// MCU row while the upsampler still reads the last rows of the one before (its filter looks one sample row up and
/// down). Row r lives in ring slot r modulo <see cref="RingRows"/>; each row has margins so that an edged row (a
/// copy of the first sample before it, of the last after it) can be handed to the filters in place.
/// </summary>
internal sealed class ComponentPlane
{
    private const int Margin = 32;
    private readonly byte[] _samples;

    /// <param name="width">Samples per row: the component's blocks per row times 8.</param>
    /// <param name="ringRows">Rows kept: twice the component's rows per MCU row (a multiple of 8).</param>
    internal ComponentPlane(int width, int ringRows)
    {
        Width = width;
        RingRows = ringRows;
        Stride = width + 2 * Margin;
        _samples = new byte[(long)Stride * ringRows <= Array.MaxLength ? Stride * ringRows : throw new JpegNotSupportedException("The image is too wide.")];
    }

    internal int Width { get; }
    internal int Stride { get; }
    internal int RingRows { get; }

    /// <summary>Where the inverse DCT writes the block at (<paramref name="row"/>, <paramref name="column"/>), a multiple of 8 each.</summary>
    internal Span<byte> Block(int row, int column) => _samples.AsSpan((row % RingRows) * Stride + Margin + column);

    internal ReadOnlySpan<byte> Row(int row) => _samples.AsSpan((row % RingRows) * Stride + Margin, Width);

    /// <summary>Row <paramref name="row"/> from one sample before its first to one after sample n - 1, those two set to copies.</summary>
    internal ReadOnlySpan<byte> EdgedRow(int row, int n)
    {
        int start = (row % RingRows) * Stride + Margin;
        _samples[start - 1] = _samples[start];
        _samples[start + n] = _samples[start + n - 1];
        return _samples.AsSpan(start - 1, n + 2);
    }
}
