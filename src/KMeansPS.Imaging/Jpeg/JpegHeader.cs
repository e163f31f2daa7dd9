namespace KMeansPS.Imaging.Jpeg;

/// <summary>The frame header of a JPEG this decoder reads, and its metadata.</summary>
internal sealed class JpegHeader
{
    internal JpegHeader(int width, int height, JpegColorSpace colorSpace, bool progressive, string sampling, JpegFileMetadata metadata)
    {
        Width = width;
        Height = height;
        ColorSpace = colorSpace;
        IsProgressive = progressive;
        Sampling = sampling;
        Metadata = metadata;
    }

    /// <summary>Pixels per row, 1 to 65535.</summary>
    public int Width { get; }

    /// <summary>Rows, 1 to 65535.</summary>
    public int Height { get; }

    public long PixelCount => (long)Width * Height;

    public JpegColorSpace ColorSpace { get; }

    /// <summary>True for a progressive (SOF2) file; false for baseline or extended sequential.</summary>
    public bool IsProgressive { get; }

    /// <summary>Each component's horizontal x vertical sampling factors, e.g. "2x2 1x1 1x1" for 4:2:0.</summary>
    public string Sampling { get; }

    public JpegFileMetadata Metadata { get; }
}
