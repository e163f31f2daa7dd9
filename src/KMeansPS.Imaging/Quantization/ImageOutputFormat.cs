using KMeansPS.Imaging.Png;

namespace KMeansPS.Imaging.Quantization;

/// <summary>The file format written.</summary>
internal enum ImageOutputFormat
{
    /// <summary>Indexed PNG with PLTE and tRNS, written by <see cref="PalettePngEncoder"/>.</summary>
    Png = 0,
    /// <summary>GIF through ImageSharp with the exact palette; alpha becomes on/off at 128.</summary>
    Gif = 1,
}
