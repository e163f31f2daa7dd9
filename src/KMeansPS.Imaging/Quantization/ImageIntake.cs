using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Histograms;
using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Metadata;
using KMeansPS.Imaging.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Quantization;

/// <summary>
/// Reads a source image for quantizing. A 16-bit PNG of the layouts <see cref="PngFastDecoder"/> handles goes straight
/// into 16-bit pixels (<see cref="PngWideDecoder"/>). A PNG that <see cref="PngFastDecoder"/> handles (8-bit grey, RGB or RGBA,
/// not interlaced) is decoded on a worker thread while the calling thread counts the colours of the rows already
/// decoded, so decoding and counting overlap; the histogram is exactly the one <see cref="ColorHistogram.Build(Rgba32[], bool, int, CancellationToken)"/>
/// gives. The PNG's structure is checked first (<see cref="FileIntegrity"/>: frames, sizes, chunks). Any other file,
/// or a PNG the fast decoder declines or fails on (short image data, say), goes to <see cref="ImageDecoder"/>, which
/// checks the whole file and gives its usual result or error. When asked, the metadata the output is to carry is
/// collected from the same bytes after the pixels decoded (<see cref="SourceMetadata"/>), so the file is read once.
/// </summary>
internal static class ImageIntake
{
    /// <summary>The decoded image, and its histogram when it was counted during decoding (else null).</summary>
    internal readonly record struct Intake(RgbaImage Image, ColorHistogram? Histogram)
    {
        /// <summary>The source's metadata for the output (<see cref="CarriedMetadata.None"/> unless asked for).</summary>
        public CarriedMetadata Metadata { get; init; } = CarriedMetadata.None;

        /// <summary>
        /// The hash of the bytes decoded (<see cref="Provenance.OutputMarker.HashBytes"/>), when metadata was asked for:
        /// the output's marker records the bytes its pixels came from, not whatever the file holds a moment later.
        /// </summary>
        public string? SourceHash { get; init; }

        /// <summary>The length of the file as read (the bytes decoded).</summary>
        public long SourceLength { get; init; }

        /// <summary>
        /// <paramref name="template"/> with the hash of the bytes decoded (the file at <paramref name="path"/> is hashed
        /// only when it was too large to hold and so had no <see cref="SourceHash"/>); null without a template.
        /// </summary>
        public Provenance.OutputMarker? Stamp(Provenance.OutputMarker? template, string path, CancellationToken cancellationToken) =>
            template is null ? null : template with { SourceHash = SourceHash ?? Provenance.OutputMarker.HashFile(path, cancellationToken) };
    }

    /// <param name="path">The source file (full path; also used in messages).</param>
    /// <param name="maxPixels">As <see cref="ImageDecoder.Decode(string, long, CancellationToken)"/>.</param>
    /// <param name="countColors">Whether to count colours during decoding.</param>
    /// <param name="keepPixelIndexUpTo">The histogram keeps each pixel's colour index for images of at most this many pixels.</param>
    /// <param name="threads">Threads for the histogram's last part.</param>
    /// <param name="cancellationToken">Stops decoding and counting.</param>
    internal static Intake Read(string path, long maxPixels, bool countColors, long keepPixelIndexUpTo, int threads,
        CancellationToken cancellationToken) =>
        Read(path, maxPixels, countColors, keepPixelIndexUpTo, threads, collectMetadata: false, cancellationToken);

    /// <summary>
    /// As the other overload; <paramref name="collectMetadata"/> also collects <see cref="Intake.Metadata"/> and
    /// <see cref="Intake.SourceHash"/>, and <paramref name="rowsDecoded"/>, when given, is told (rows decoded, height) once
    /// per batch of rows by the fast PNG decoder (other decoders do not tell).
    /// </summary>
    internal static Intake Read(string path, long maxPixels, bool countColors, long keepPixelIndexUpTo, int threads,
        bool collectMetadata, CancellationToken cancellationToken, Action<int, int>? rowsDecoded = null)
    {
        using FileStream stream = IO.RegularFileReader.Open(path, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        // Empty and oversized files get the decoder's own messages; they carry no metadata.
        if (stream.Length == 0 || stream.Length > Array.MaxLength)
            return new Intake(ImageDecoder.Decode(stream, maxPixels, path, cancellationToken), null) { SourceLength = stream.Length };

        ImageDecoder.RefuseUnknownFormat(stream, path, path);
        byte[] file = LargeBufferCache.Rent<byte>((int)stream.Length);
        try
        {
            stream.ReadExactly(file);
            Intake intake = Decode(file, path, maxPixels, countColors, keepPixelIndexUpTo, threads, rowsDecoded, cancellationToken) with { SourceLength = file.Length };
            return collectMetadata
                ? intake with { Metadata = SourceMetadata.Collect(file), SourceHash = Provenance.OutputMarker.HashBytes(file) }
                : intake;
        }
        finally
        {
            LargeBufferCache.Return(file);
        }
    }

    private static Intake Decode(byte[] file, string path, long maxPixels, bool countColors, long keepPixelIndexUpTo, int threads,
        Action<int, int>? rowsDecoded, CancellationToken cancellationToken)
    {
        if (file.Length < 8 || !file.AsSpan(0, 8).SequenceEqual(PalettePngEncoder.Signature))
            return new Intake(ImageDecoder.Decode(file, maxPixels, path, cancellationToken), null);
        // The structure first (chunks, frames, sizes, metadata); the image data's length is left to the fast
        // decoder, which fails on short data, and then to the full check in ImageDecoder.
        IntegrityReport report = FileIntegrity.Check(file, new IntegrityOptions { MaxPixels = maxPixels, InflatePngImageData = false });
        IntegrityGate.Enforce(report, path, path, maxPixels);
        PngPlan? plan = PngPlan.TryRead(file);
        if (plan is not null)
        {
            ImageDecoder.CheckLimit(plan.Width, plan.Height, maxPixels, path, path);
            if (plan.BitDepth == 16)
            {
                // Straight into 16-bit pixels; the histogram is counted later, from their rounding.
                Rgba64[] wide = LargeBufferCache.Rent<Rgba64>(checked(plan.Width * plan.Height));
                if (PngWideDecoder.Decode(plan, file, wide, cancellationToken))
                    return new Intake(RgbaImage.FromWide(plan.Width, plan.Height, wide), null);
                LargeBufferCache.Return(wide);
                return new Intake(ImageDecoder.Decode(file, maxPixels, path, cancellationToken), null);
            }
            Intake? fast = DecodeWhileCounting(plan, file, countColors, (long)plan.Width * plan.Height <= keepPixelIndexUpTo, threads, rowsDecoded, cancellationToken);
            if (fast is not null) return fast.Value;
        }
        return new Intake(ImageDecoder.Decode(file, maxPixels, path, cancellationToken), null);
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
