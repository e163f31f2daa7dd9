using KMeansPS.Imaging.Integrity;

namespace KMeansPS.Imaging.Tests.Corpus;

/// <summary>A generated image file and what the scanner should find in it.</summary>
/// <param name="Name">Says how it was made ("png-rgba8-interlaced-33x21").</param>
/// <param name="Bytes">The file.</param>
/// <param name="Format">Its format.</param>
/// <param name="Width">Declared width (GIF screen, WebP canvas, first TIFF page).</param>
/// <param name="Height">Declared height.</param>
/// <param name="Frames">Frames or pages.</param>
/// <param name="ImageSharpDecodes">Whether ImageSharp 2.1 decodes it (animated WebP, say, it does not).</param>
internal sealed record CorpusFile(string Name, byte[] Bytes, ImageFileFormat Format, int Width, int Height, int Frames = 1,
    bool ImageSharpDecodes = true)
{
    public override string ToString() => Name;
}
