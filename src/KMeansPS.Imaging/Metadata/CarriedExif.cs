namespace KMeansPS.Imaging.Metadata;

/// <summary>
/// A source's EXIF as its output carries it, or why it carries none (a sentence for the result's warning): EXIF whose
/// structure is not whole (<see cref="ExifStructure.Damage"/>) is dropped, and so is EXIF whose Orientation cannot be set
/// to 1 (<see cref="ExifOrientationPatch"/>: not one SHORT or LONG) when the pixels stand upright, since it could turn
/// them again. Every drop is said: EXIF holds what a user may keep the file for (dates, places, camera).
/// </summary>
internal static class CarriedExif
{
    /// <summary>
    /// <paramref name="exif"/> for the output: as it is (<paramref name="upright"/> null: a PNG's, whose pixels are
    /// shown as stored and whose EXIF says so already), or with Orientation 1 (<paramref name="upright"/> says whether the
    /// decoder turned the pixels by it, <see cref="ExifOrientationPatch.Upright"/>); null with <paramref name="dropped"/> saying why.
    /// </summary>
    public static byte[]? From(ReadOnlySpan<byte> exif, bool? upright, out string? dropped)
    {
        dropped = null;
        if (ExifStructure.Damage(exif) is { } why)
        {
            dropped = $"The source's EXIF data was dropped: it is damaged ({why}).";
            return null;
        }
        if (upright is not { } turned) return exif.ToArray();
        byte[]? patched = ExifOrientationPatch.Upright(exif, turned);
        if (patched is null)
            dropped = "The source's EXIF data was dropped: its Orientation entry is not one SHORT or LONG value, so it cannot be set to say the pixels stand as shown.";
        return patched;
    }
}
