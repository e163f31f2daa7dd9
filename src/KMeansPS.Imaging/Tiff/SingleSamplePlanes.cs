using static KMeansPS.Imaging.Tiff.TiffTags;

namespace KMeansPS.Imaging.Tiff;

/// <summary>
/// A TIFF of one sample a pixel whose PlanarConfiguration says separate planes (2): with one sample there is one
/// plane, the same bytes as one interleaved plane (1), which libtiff reads alike, but ImageSharp 2.1 refuses it
/// ("Invalid color type: BlackIsZero8"). The copy it is handed says 1 (<c>TiffFirstDirectory.Rewritten</c>).
/// </summary>
internal static class SingleSamplePlanes
{
    /// <summary><paramref name="file"/> itself unless it is a classic TIFF of one sample in "separate planes"; else the copy.</summary>
    public static byte[] AsOnePlane(byte[] file)
    {
        if (TiffFirstDirectory.Read(file) is not { } directory || directory.Value(PlanarConfiguration) != 2) return file;
        if (directory.Has(SamplesPerPixel) && directory.Value(SamplesPerPixel) != 1) return file;
        return directory.Rewritten(new Dictionary<ushort, uint> { [PlanarConfiguration] = 1 }, []);
    }
}
