using static KMeansPS.Imaging.Tiff.TiffTags;

namespace KMeansPS.Imaging.Tiff;

/// <summary>
/// A TIFF whose first directory leaves out BitsPerSample (TIFF 6.0: the default is 1, a bilevel image, which PIL
/// writes so) rewritten with the tag stated, since ImageSharp 2.1 fails on it (InvalidOperationException); the copy
/// is made by <c>TiffFirstDirectory.Rewritten</c>.
/// </summary>
internal static class DefaultBitsPerSample
{
    /// <summary><paramref name="file"/> itself when it is not a classic TIFF missing the tag; else the rewritten copy.</summary>
    public static byte[] Stated(byte[] file)
    {
        if (TiffFirstDirectory.Read(file) is not { } directory || directory.Has(BitsPerSample)) return file;
        // SamplesPerPixel is stated along with it (default 1 too): ImageSharp reads a count of samples from it.
        var set = new Dictionary<ushort, uint> { [BitsPerSample] = 1 };
        if (!directory.Has(SamplesPerPixel)) set[SamplesPerPixel] = 1;
        return directory.Rewritten(set, []);
    }
}
