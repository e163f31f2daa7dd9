using KMeansPS.Imaging.Decoding;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// A JPEG decoder in exact integer arithmetic, so that every instruction set gives the same pixels: baseline,
/// extended sequential and progressive Huffman-coded JPEG with 8-bit samples, grey or three components (YCbCr, or
/// RGB by the Adobe marker), any sampling factors with whole ratios, restart markers. Its pixels are libjpeg-turbo's
/// (<c>djpeg -dct int</c> on x86): the accurate integer inverse DCT, fancy upsampling, the integer YCbCr tables.
/// </summary>
/// <remarks>
/// <para>
/// One case differs from djpeg by design: a progressive file that stops before its last refinement scans is decoded
/// as coded, where libjpeg smooths it across blocks. Where a block's coefficients put samples far outside 0..255
/// (crafted files, and damaged ones) the inverse DCT is libjpeg-turbo's x86 SIMD code's (<see cref="InverseDct"/>),
/// which its C code and its ARM code do not give there.
/// </para>
/// <para>
/// Damage is an error, never padding: a file that ends early, lacks its end-of-image marker, has a corrupt
/// compressed stream, a missing table or markers out of order raises <see cref="JpegFormatException"/>, whose
/// message is a phrase made to follow "Cannot read 'name' as an image: ". Files of a kind it does not read
/// (12-bit, lossless, arithmetic-coded, hierarchical, CMYK/YCCK) raise <see cref="JpegNotSupportedException"/>
/// from the frame header, before any pixel is decoded.
/// </para>
/// <para>
/// Memory: the header is checked first (<see cref="ReadHeader"/>): a frame that claims more pixels than its file
/// could hold data for is refused before anything is allocated. Sequential files are decoded in bands of one MCU
/// row, with two MCU rows of component samples in memory besides the caller's pixels; progressive and multi-scan
/// files keep every coefficient (2 bytes per component sample) until the last scan.
/// </para>
/// </remarks>
internal static class ExactJpegDecoder
{
    /// <summary>True when <paramref name="head"/> starts like a JPEG file (FF D8 FF).</summary>
    public static bool IsJpeg(ReadOnlySpan<byte> head) => head.Length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF;

    /// <summary>Reads the markers up to the first scan: the size, colour space and metadata.</summary>
    /// <exception cref="JpegFormatException">Not a JPEG, or damaged before its first scan, or too short for its size.</exception>
    /// <exception cref="JpegNotSupportedException">A kind of JPEG this decoder does not read.</exception>
    public static JpegHeader ReadHeader(byte[] file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return new JpegReader(file).ReadHeader();
    }

    /// <summary>
    /// Decodes <paramref name="file"/> (the whole array is the file) into <paramref name="destination"/> (row-major,
    /// Width x Height pixels, alpha 255), calling <paramref name="rowsDone"/> with the number of finished rows after
    /// each band; rows it has reported are final. Exceptions thrown by <paramref name="rowsDone"/> are passed on.
    /// </summary>
    /// <returns>The header, as <see cref="ReadHeader"/> gives it.</returns>
    /// <exception cref="JpegFormatException">The file is damaged; <paramref name="destination"/> then holds a partial image.</exception>
    /// <exception cref="JpegNotSupportedException">A kind of JPEG this decoder does not read.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; checked after each band.</exception>
    public static JpegHeader Decode(byte[] file, Rgba32[] destination, Action<int>? rowsDone = null, CancellationToken cancellationToken = default) =>
        DecodeWith(JpegKernels.Best, file, destination, rowsDone, cancellationToken);

    /// <summary>As <see cref="Decode(byte[], Rgba32[], Action{int}?, CancellationToken)"/> with the given kernels (tests).</summary>
    internal static JpegHeader DecodeWith(JpegKernel kernel, byte[] file, Rgba32[] destination, Action<int>? rowsDone, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(destination);
        return new JpegReader(file).Decode(destination, rowsDone, kernel, cancellationToken);
    }

    /// <summary>
    /// Checks the header, the pixel limit, then decodes into a new image. Errors are the imaging library's: a damaged
    /// file is an <see cref="InvalidImageException"/> naming it, too many pixels an <see cref="ImageLimitExceededException"/>
    /// (both raised before the pixels are allocated when the header shows them).
    /// </summary>
    /// <param name="file">The whole file.</param>
    /// <param name="maxPixels">The most pixels allowed.</param>
    /// <param name="name">The file's name or path, for messages.</param>
    /// <param name="cancellationToken">Stops decoding between bands.</param>
    /// <exception cref="JpegNotSupportedException">A kind of JPEG this decoder does not read (use another decoder).</exception>
    public static JpegImage Decode(byte[] file, long maxPixels, string? name = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPixels);
        string label = name ?? "the stream";
        var reader = new JpegReader(file);
        try
        {
            JpegHeader header = reader.ReadHeader();
            ImageDecoder.CheckLimit(header.Width, header.Height, maxPixels, label, name);
            Rgba32[] pixels = LargeBufferCache.Rent<Rgba32>((int)header.PixelCount);
            try
            {
                reader.Decode(pixels, null, JpegKernels.Best, cancellationToken);
            }
            catch
            {
                LargeBufferCache.Return(pixels);
                throw;
            }
            return new JpegImage(new RgbaImage(header.Width, header.Height, pixels), header, reader.LeftoverProblem);
        }
        catch (JpegFormatException ex)
        {
            throw new InvalidImageException($"Cannot read '{label}' as an image: {ex.Message}.", ex) { FilePath = name };
        }
    }

    /// <summary>
    /// For a JPEG this decoder leaves to another (4-component CMYK or YCCK): reads every scan's entropy-coded data
    /// without making pixels, so data that breaks off (cut, with an end-of-image marker after it) is an
    /// <see cref="InvalidImageException"/> naming the file rather than padding. Kinds it cannot read at all
    /// (arithmetic coding, 12-bit) pass unchecked.
    /// </summary>
    /// <param name="file">The whole file.</param>
    /// <param name="name">The file's name or path, for messages.</param>
    /// <param name="cancellationToken">Stops between MCU rows.</param>
    /// <returns>Data no block uses, in words (<see cref="JpegReader.LeftoverProblem"/>); null when there is none.</returns>
    public static string? CheckScans(byte[] file, string? name, CancellationToken cancellationToken)
    {
        (string? problem, string? leftover) = Scanned(file, cancellationToken);
        if (problem is not null)
            throw new InvalidImageException($"Cannot read '{name ?? "the stream"}' as an image: {problem}.") { FilePath = name };
        return leftover;
    }

    /// <summary>
    /// As <see cref="CheckScans"/>, the problem in words ("the image data breaks off after 3 of 16 rows: ..."), or
    /// null when the scans are whole or of a kind the reader does not read; for the structure checks (a TIFF's JPEG strips).
    /// </summary>
    internal static string? ScanProblem(byte[] file, CancellationToken cancellationToken) => Scanned(file, cancellationToken).Problem;

    /// <summary>Every scan read without making pixels: what is wrong, or else the data no block uses; both null for a kind the reader does not read.</summary>
    private static (string? Problem, string? Leftover) Scanned(byte[] file, CancellationToken cancellationToken)
    {
        var reader = new JpegReader(file, fourComponentsToCheck: true);
        try
        {
            reader.CheckScans(cancellationToken);
            return (null, reader.LeftoverProblem);
        }
        catch (JpegNotSupportedException)
        {
            return (null, null);
        }
        catch (JpegFormatException ex)
        {
            return (ex.Message, null);
        }
    }
}
