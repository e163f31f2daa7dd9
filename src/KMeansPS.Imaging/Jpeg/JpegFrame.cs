namespace KMeansPS.Imaging.Jpeg;

/// <summary>A frame header (SOF) this decoder reads, with the geometry derived from it (T.81 A.1.1 and A.2).</summary>
internal sealed class JpegFrame
{
    internal JpegFrame(int width, int height, bool progressive, JpegComponent[] components)
    {
        Width = width;
        Height = height;
        IsProgressive = progressive;
        Components = components;
        // A lone component is not interleaved: its sampling factors have no effect (T.81 A.2.2).
        if (components.Length == 1) components[0].H = components[0].V = 1;
        MaxH = components.Max(c => c.H);
        MaxV = components.Max(c => c.V);
        McusWide = DivideUp(width, 8 * MaxH);
        McusHigh = DivideUp(height, 8 * MaxV);
        foreach (JpegComponent c in components)
        {
            c.SampledWidth = DivideUp(width * c.H, MaxH);
            c.SampledHeight = DivideUp(height * c.V, MaxV);
            c.ScanBlocksWide = DivideUp(c.SampledWidth, 8);
            c.ScanBlocksHigh = DivideUp(c.SampledHeight, 8);
            c.BlocksWide = McusWide * c.H;
            c.BlocksHigh = McusHigh * c.V;
        }
    }

    internal int Width { get; }
    internal int Height { get; }
    internal bool IsProgressive { get; }
    internal JpegComponent[] Components { get; }
    internal int MaxH { get; }
    internal int MaxV { get; }

    /// <summary>MCUs of an interleaved scan per row and per column (blocks, for a grey frame).</summary>
    internal int McusWide { get; }

    internal int McusHigh { get; }

    /// <summary>Image rows per MCU row.</summary>
    internal int McuHeight => 8 * MaxV;

    /// <summary>
    /// The least number of bytes of entropy-coded data that can hold the frame: every block of every component
    /// takes at least one bit in a progressive file (its first DC code) and two in a sequential one (a DC code and
    /// an end-of-block code).
    /// </summary>
    internal long MinimumDataBytes()
    {
        long blocks = 0;
        foreach (JpegComponent c in Components) blocks += (long)c.ScanBlocksWide * c.ScanBlocksHigh;
        return (blocks * (IsProgressive ? 1 : 2) + 7) / 8;
    }

    internal static int DivideUp(int value, int divisor) => (int)(((long)value + divisor - 1) / divisor);
}
