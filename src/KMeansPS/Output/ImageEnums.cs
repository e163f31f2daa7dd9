namespace KMeansPS.Output;

/// <summary>The space colours are clustered in.</summary>
public enum ColorSpace
{
    /// <summary>8-bit RGB (premultiplied RGBA for images with transparency): what PSNR measures.</summary>
    Rgb,
    /// <summary>OkLab: perceptually even, usually nicer gradients, slightly lower PSNR.</summary>
    OkLab,
}

/// <summary>Error diffusion applied when mapping pixels to the palette.</summary>
public enum DitherMode
{
    /// <summary>Each pixel takes its nearest palette colour, or its left neighbour's where that adds little error (longer runs, smaller files).</summary>
    None,
    /// <summary>Floyd-Steinberg error diffusion: smoother gradients, larger files.</summary>
    FloydSteinberg,
}

/// <summary>The file format written.</summary>
public enum ImageOutputFormat
{
    /// <summary>Palette PNG (bit depth 1, 2, 4 or 8 as K allows; PLTE and tRNS).</summary>
    Png,
    /// <summary>GIF with the same palette (binary transparency only).</summary>
    Gif,
}

/// <summary>The file format of a plot.</summary>
public enum PlotFileFormat
{
    /// <summary>A PNG bitmap.</summary>
    Png,
    /// <summary>An SVG vector drawing.</summary>
    Svg,
}
