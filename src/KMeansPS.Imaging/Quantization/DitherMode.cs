namespace KMeansPS.Imaging.Quantization;

/// <summary>How pixels are mapped to the palette.</summary>
internal enum DitherMode
{
    /// <summary>Each pixel takes its nearest palette entry.</summary>
    None = 0,
    /// <summary>Floyd-Steinberg error diffusion, serpentine scan (deterministic).</summary>
    FloydSteinberg = 1,
}
