namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// A decoded JPEG: its pixels (as the file stores them, before any EXIF orientation), its header, and data no block
/// used (<see cref="JpegReader.LeftoverProblem"/>), null when there was none.
/// </summary>
internal sealed record JpegImage(RgbaImage Image, JpegHeader Header, string? Leftover = null);
