using KMeansPS.Imaging.Decoding;

namespace KMeansPS.Imaging.Integrity;

/// <summary>
/// Turns an <see cref="IntegrityReport"/> into the decode path's exceptions, with the file named: damage and
/// unsupported variants as <see cref="InvalidImageException"/>, several frames or pages (unless allowed) as
/// <see cref="InvalidImageException"/>, and too many pixels in all (or declared by the header, even of a damaged file) as <see cref="ImageLimitExceededException"/>.
/// A report the scanner could not judge (<see cref="IntegrityVerdict.NotChecked"/>) passes: the decoder decides.
/// </summary>
internal static class IntegrityGate
{
    /// <param name="report">The scanner's findings for the file.</param>
    /// <param name="label">The file as named in messages.</param>
    /// <param name="path">The file's path for the exceptions' FilePath, when known.</param>
    /// <param name="maxPixels">The most pixels a decode may hold, all frames or pages together.</param>
    /// <param name="allowMultipleFrames">Whether an animation or a multi-page file may be decoded (its first frame).</param>
    public static void Enforce(IntegrityReport report, string label, string? path, long maxPixels, bool allowMultipleFrames = false)
    {
        ArgumentNullException.ThrowIfNull(report);
        long limit = Math.Min(maxPixels, Array.MaxLength);
        // A header that declares more than the limit is refused as too large, whatever else is wrong with the
        // file: the user's limit is the first thing it breaks (and the id scripts match on for it).
        if (report.Verdict != IntegrityVerdict.NotChecked && Saturating.Multiply(report.Width, report.Height) > limit)
            throw new ImageLimitExceededException(
                $"'{label}' is {Plain.Size(report.Width, report.Height)} = {Plain.N(Saturating.Multiply(report.Width, report.Height))} pixels, more than the limit of {Plain.N(limit)}.",
                report.Width, report.Height, maxPixels) { FilePath = path };
        if (report.Verdict is IntegrityVerdict.Damaged or IntegrityVerdict.Unsupported)
            throw new InvalidImageException($"Cannot read '{label}' as an image: {report.Reason}.") { FilePath = path };
        if (report.Verdict == IntegrityVerdict.NotChecked) return;
        if (report.Frames > 1 && !allowMultipleFrames)
        {
            string what = report.Format switch
            {
                ImageFileFormat.Tiff => "pages (a multi-page TIFF)",
                ImageFileFormat.Pnm => "images (a Netpbm file of several images)",
                _ => "frames (an animation)",
            };
            throw new InvalidImageException(
                $"Cannot read '{label}' as an image: it holds {Plain.N(report.Frames)} {what}, and reading only the first would silently lose the rest.")
            { FilePath = path };
        }
        if (report.DecodedPixels > limit || Saturating.Multiply(report.Width, report.Height) > limit)
        {
            string size = report.DecodedPixels == Saturating.Multiply(report.Width, report.Height)
                ? $"is {Plain.Size(report.Width, report.Height)} = {Plain.N(report.DecodedPixels)} pixels"
                : $"holds {Plain.N(report.DecodedPixels)} pixels in all ({Plain.N(report.Frames)} {(report.Format == ImageFileFormat.Tiff ? "pages" : "frames")} of {Plain.Size(report.Width, report.Height)})";
            throw new ImageLimitExceededException($"'{label}' {size}, more than the limit of {Plain.N(limit)}.", report.Width, report.Height, maxPixels)
            { FilePath = path };
        }
    }
}
