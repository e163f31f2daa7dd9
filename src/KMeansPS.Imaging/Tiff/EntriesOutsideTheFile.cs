namespace KMeansPS.Imaging.Tiff;

/// <summary>
/// A TIFF whose first directory has entries whose values cannot lie in the file (ImageDescription, a resolution or the
/// ICC profile with a count of 4 billion), rewritten without them (<c>TiffFirstDirectory.Rewritten</c>): ImageSharp 2.1
/// fails on the whole image for one (ArgumentOutOfRangeException), where libtiff ignores the tag with a warning. The
/// entries the integrity check reads are in the file by then, or it refused the file; what goes is metadata, which is
/// then not carried either.
/// </summary>
internal static class EntriesOutsideTheFile
{
    /// <summary><paramref name="file"/> itself when every entry's values lie in it (or it is not a classic TIFF); else the copy without the others.</summary>
    public static byte[] Removed(byte[] file)
    {
        if (TiffFirstDirectory.Read(file) is not { } directory) return file;
        List<ushort> outside = directory.TagsWithValuesOutside();
        return outside.Count == 0 ? file : directory.Rewritten(new Dictionary<ushort, uint>(), outside);
    }
}
