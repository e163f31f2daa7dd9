namespace KMeansPS.Imaging.Integrity;

/// <summary>
/// Checks an image file's structure before a decoder sees it: is it whole, does it hold data for every pixel it
/// declares, how many frames or pages does it hold, and how many pixels would a full decode allocate. Cheap: no
/// pixels are decoded; PNG image data is inflated into a counter, GIF LZW codes are run into a counter, and every
/// loop is bounded by the file's length. It allocates a fixed amount, never in proportion to a declared size.
/// It never throws for any content: every finding is in the <see cref="IntegrityReport"/>.
/// </summary>
/// <remarks>
/// Per format (see each scanner for what counts as damage and what is tolerated):
/// <see cref="PngScanner"/>, <see cref="GifScanner"/>, <see cref="BmpScanner"/>, <see cref="TgaScanner"/>,
/// <see cref="TiffScanner"/>, <see cref="WebpScanner"/>, <see cref="PnmScanner"/>, and for JPEG only the frame
/// header (<see cref="JpegFrameScanner"/>). The format is told as ImageSharp 2.1 tells it
/// (<see cref="ImageFormatSniffer"/>).
/// </remarks>
internal static class FileIntegrity
{
    /// <summary>Checks a whole file held in memory.</summary>
    public static IntegrityReport Check(ReadOnlyMemory<byte> file, IntegrityOptions? options = null)
    {
        options ??= IntegrityOptions.Default;
        ImageFileFormat format = ImageFormatSniffer.Detect(file.Span);
        IntegrityReport report;
        try
        {
            report = format switch
            {
                ImageFileFormat.Png => PngScanner.Scan(file, options),
                ImageFileFormat.Gif => GifScanner.Scan(file.Span, options),
                ImageFileFormat.Bmp => BmpScanner.Scan(file.Span),
                ImageFileFormat.Tga => TgaScanner.Scan(file.Span),
                ImageFileFormat.Tiff => TiffScanner.Scan(file, options),
                ImageFileFormat.Webp => WebpScanner.Scan(file.Span, options),
                ImageFileFormat.Pnm => PnmScanner.Scan(file.Span),
                ImageFileFormat.Jpeg => JpegFrameScanner.Scan(file.Span),
                _ => new ScanFindings(format).NotChecked("the format is not one the scanner knows"),
            };
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A bug in a scanner must not stop a file the decoder may read; the tests fail on ScannerFault.
            return new IntegrityReport
            {
                Format = format,
                Verdict = IntegrityVerdict.NotChecked,
                Reason = $"the integrity scanner failed ({ex.GetType().Name}: {ex.Message})",
                ScannerFault = true,
            };
        }
        if (report.Verdict == IntegrityVerdict.Intact && report.DecodedPixels > options.MaxPixels)
            report = report with { Verdict = IntegrityVerdict.OverLimit, Reason = OverLimitReason(report, options.MaxPixels) };
        return report;
    }

    /// <summary>
    /// Checks a seekable stream from its position to its end and puts the position back. A MemoryStream's own
    /// buffer is used in place; any other stream is read into memory first (the file's length, once).
    /// </summary>
    public static IntegrityReport Check(Stream stream, IntegrityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek) throw new ArgumentException("The stream must be seekable.", nameof(stream));
        long start = stream.Position;
        long length = stream.Length - start;
        if (stream is MemoryStream memory && memory.TryGetBuffer(out ArraySegment<byte> buffer))
            return Check(buffer.AsMemory((int)start, (int)length), options);
        if (length > Array.MaxLength)
            return new ScanFindings(ImageFileFormat.Unknown).NotChecked($"the file is {Plain.Bytes(length)}, too large to check in memory");
        byte[] file = GC.AllocateUninitializedArray<byte>((int)length);
        try
        {
            stream.ReadExactly(file);
        }
        finally
        {
            stream.Position = start;
        }
        return Check(file, options);
    }

    private static string OverLimitReason(IntegrityReport report, long maxPixels) =>
        report.DecodedPixels == Saturating.Multiply(report.Width, report.Height)
            ? $"it is {Plain.Size(report.Width, report.Height)} = {Plain.N(report.DecodedPixels)} pixels, more than the limit of {Plain.N(maxPixels)}"
            : $"its {Plain.N(report.Frames)} {(report.Format == ImageFileFormat.Tiff ? "pages" : "frames")} hold {Plain.N(report.DecodedPixels)} pixels in all ({Plain.Size(report.Width, report.Height)} each as decoded), more than the limit of {Plain.N(maxPixels)}";
}
