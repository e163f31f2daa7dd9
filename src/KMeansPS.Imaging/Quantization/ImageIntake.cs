using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Histograms;
using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Quantization;

/// <summary>
/// Reads a source image for quantizing. A PNG that <see cref="PngFastDecoder"/> handles (8-bit grey, RGB or RGBA,
/// not interlaced) is decoded on a worker thread while the calling thread counts the colours of the rows already
/// decoded, so decoding and counting overlap; the histogram is exactly the one <see cref="ColorHistogram.Build(Rgba32[], bool, int, CancellationToken)"/>
/// gives. The PNG's structure is checked first (<see cref="FileIntegrity"/>: frames, sizes, chunks). Any other file,
/// or a PNG the fast decoder declines or fails on (short image data, say), goes to <see cref="ImageDecoder"/>, which
/// checks the whole file and gives its usual result or error.
/// </summary>
internal static class ImageIntake
{
    /// <summary>The decoded image, and its histogram when it was counted during decoding (else null).</summary>
    internal readonly record struct Intake(RgbaImage Image, ColorHistogram? Histogram);

    /// <param name="path">The source file (full path; also used in messages).</param>
    /// <param name="maxPixels">As <see cref="ImageDecoder.Decode(string, long, CancellationToken)"/>.</param>
    /// <param name="countColors">Whether to count colours during decoding.</param>
    /// <param name="keepPixelIndexUpTo">The histogram keeps each pixel's colour index for images of at most this many pixels.</param>
    /// <param name="threads">Threads for the histogram's last part.</param>
    /// <param name="cancellationToken">Stops decoding and counting.</param>
    /// <param name="rowsDecoded">Told (rows decoded, height) once per batch of rows by the fast PNG decoder; others do not tell.</param>
    internal static Intake Read(string path, long maxPixels, bool countColors, long keepPixelIndexUpTo, int threads,
        CancellationToken cancellationToken, Action<int, int>? rowsDecoded = null)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        Span<byte> head = stackalloc byte[8];
        int got = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = 0;
        if (got < head.Length || !head.SequenceEqual(PalettePngEncoder.Signature) || stream.Length > Array.MaxLength)
            return new Intake(ImageDecoder.Decode(stream, maxPixels, path, cancellationToken), null);

        byte[] file = LargeBufferCache.Rent<byte>((int)stream.Length);
        try
        {
            stream.ReadExactly(file);
            // The structure first (chunks, frames, sizes, metadata); the image data's length is left to the fast
            // decoder, which fails on short data, and then to the full check in ImageDecoder.
            IntegrityReport report = FileIntegrity.Check(file, new IntegrityOptions { MaxPixels = maxPixels, InflatePngImageData = false });
            IntegrityGate.Enforce(report, path, path, maxPixels);
            PngPlan? plan = PngPlan.TryRead(file);
            if (plan is not null)
            {
                ImageDecoder.CheckLimit(plan.Width, plan.Height, maxPixels, path, path);
                Intake? fast = DecodeWhileCounting(plan, file, countColors, (long)plan.Width * plan.Height <= keepPixelIndexUpTo, threads, rowsDecoded, cancellationToken);
                if (fast is not null) return fast.Value;
            }
            return new Intake(ImageDecoder.Decode(file, maxPixels, path, cancellationToken), null);
        }
        finally
        {
            LargeBufferCache.Return(file);
        }
    }

    /// <summary>The fast decode, with the histogram counted alongside when asked; null when the decoder failed.</summary>
    private static Intake? DecodeWhileCounting(PngPlan plan, byte[] file, bool countColors, bool keepPixelIndex,
        int threads, Action<int, int>? rowsDecoded, CancellationToken cancellationToken)
    {
        int width = plan.Width, height = plan.Height;
        Action<int>? told = rowsDecoded is null ? null : rows => rowsDecoded(rows, height);
        Rgba32[] pixels = LargeBufferCache.Rent<Rgba32>(checked(plan.Width * plan.Height));
        if (!countColors)
        {
            if (PngFastDecoder.Decode(plan, file, pixels, told, cancellationToken))
                return new Intake(new RgbaImage(plan.Width, plan.Height, pixels), null);
            LargeBufferCache.Return(pixels);
            return null;
        }

        using var arrival = new PixelArrival(pixels.Length);
        Task<bool> decoding = Task.Run(() =>
        {
            bool ok = false;
            try
            {
                ok = PngFastDecoder.Decode(plan, file, pixels, rows =>
                {
                    arrival.Publish(rows * width);
                    told?.Invoke(rows);
                }, cancellationToken);
                return ok;
            }
            finally
            {
                arrival.Complete(ok);
            }
        }, CancellationToken.None);
        ColorHistogram? histogram;
        try
        {
            histogram = ColorHistogram.Build(pixels, keepPixelIndex, Math.Max(1, threads), arrival, cancellationToken);
        }
        finally
        {
            // The worker uses the arrival and the buffer: it must be done before either is let go, also on cancellation.
            try { decoding.GetAwaiter().GetResult(); }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { }
        }
        cancellationToken.ThrowIfCancellationRequested();
        if (histogram is null || !decoding.Result)
        {
            histogram?.ReleasePixelIndex(recycle: true);
            LargeBufferCache.Return(pixels);
            return null;
        }
        return new Intake(new RgbaImage(plan.Width, plan.Height, pixels), histogram);
    }
}
