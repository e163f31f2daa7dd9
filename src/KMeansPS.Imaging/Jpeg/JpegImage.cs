namespace KMeansPS.Imaging.Jpeg;

/// <summary>A decoded JPEG: its pixels (as the file stores them, before any EXIF orientation) and its header.</summary>
internal sealed record JpegImage(RgbaImage Image, JpegHeader Header);
