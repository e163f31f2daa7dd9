namespace KMeansPS.Imaging.IO;

/// <summary>
/// An output path that is the source image, or became a link to it while the source was being read (a backup's hard
/// links, a folder swapped for a link): the source is never overwritten. Its own type, so the caller reports it as the
/// up-front check does, not as a damaged image.
/// </summary>
internal sealed class OutputIsSourceException(string message) : ArgumentException(message);
