namespace KMeansPS.Imaging.ColorSpaces;

/// <summary>The space the colours are clustered in.</summary>
internal enum QuantizeColorSpace
{
    /// <summary>sRGB values as stored (premultiplied by alpha when the image has partial transparency).</summary>
    Rgb = 0,
    /// <summary>OkLab (perceptual); centres are converted back to sRGB and clamped.</summary>
    OkLab = 1,
}
