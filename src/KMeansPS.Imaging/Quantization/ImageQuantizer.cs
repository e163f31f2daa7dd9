using System.Diagnostics;
using System.Globalization;
using KMeansPS.Engine;
using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Histograms;
using KMeansPS.Imaging.IO;
using KMeansPS.Imaging.Metadata;
using KMeansPS.Imaging.Metrics;
using KMeansPS.Imaging.Palettes;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Quantization;

/// <summary>
/// The library behind Compress-ImageKMeans: decode, count colours, cluster them, map pixels, write the palette
/// file atomically (a PNG carrying the source's metadata, <see cref="CarriedMetadata"/>), measure. Exceptions the caller maps to error categories:
/// <see cref="InvalidImageException"/> (InvalidData), <see cref="ImageLimitExceededException"/> (LimitsExceeded),
/// <see cref="IOException"/> / <see cref="UnauthorizedAccessException"/> (ReadError / WriteError / PermissionDenied),
/// <see cref="FileNotFoundException"/> (ObjectNotFound), <see cref="OperationCanceledException"/>.
/// </summary>
internal static class ImageQuantizer
{
    /// <summary>Largest image (4 Mpx, e.g. 2560 x 1600) whose per-pixel colour index is kept for mapping.</summary>
    internal const long PixelIndexLimit = 1L << 22;

    /// <summary>
    /// Reads the image at <paramref name="sourcePath"/> as <see cref="Quantize(string, string, QuantizeOptions, IProgress{QuantizeProgress}?, CancellationToken)"/> reads it and lets the pixels go: throws
    /// what Quantize would throw for that file before writing anything (damaged, not an image, over the pixel limit,
    /// unreadable), with the same types and words, and returns when it decodes. For a caller that must not write but
    /// has to tell a source it can no longer read from one that merely changed.
    /// </summary>
    public static void ReadSource(string sourcePath, long maxPixels, int threads, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourcePath);
        ImageIntake.Intake intake = ImageIntake.Read(Path.GetFullPath(sourcePath), maxPixels, countColors: false, keepPixelIndexUpTo: 0,
            Math.Max(1, threads), collectMetadata: true, cancellationToken);
        LargeBufferCache.Return(intake.Image.Pixels);
        if (intake.Image.Wide is not null) LargeBufferCache.Return(intake.Image.Wide);
    }

    /// <summary>Quantizes the image at <paramref name="sourcePath"/> into <paramref name="destinationPath"/>.</summary>
    /// <exception cref="ArgumentException">The destination is the source.</exception>
    public static QuantizeResult Quantize(string sourcePath, string destinationPath, QuantizeOptions options,
        IProgress<QuantizeProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourcePath);
        ArgumentException.ThrowIfNullOrEmpty(destinationPath);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        string source = Path.GetFullPath(sourcePath);
        string destination = Path.GetFullPath(destinationPath);
        if (AtomicFileWriter.SamePath(source, destination))
            throw new OutputIsSourceException($"The destination '{destinationPath}' is the source image '{sourcePath}' (or a link to it); the source is never overwritten.");
        if (options.ComparisonPath is not null && AtomicFileWriter.SamePath(source, options.ComparisonPath))
            throw new OutputIsSourceException($"The comparison path '{options.ComparisonPath}' is the source image '{sourcePath}' (or a link to it); the source is never overwritten.");
        if (options.ComparisonPath is not null && AtomicFileWriter.SamePath(destination, options.ComparisonPath))
            throw new ArgumentException($"The comparison path '{options.ComparisonPath}' is the destination.", nameof(options));

        var clock = Stopwatch.StartNew();
        progress?.Report(new QuantizeProgress(QuantizeStage.Decoding, 0, 0));
        // GIF output may first make alpha binary, which changes the colours: it counts them after decoding.
        // Rows arrive in batches (RowProgress.RowsPerBatch), so this is a call per batch, not per pixel.
        Action<int, int>? rowsDecoded = progress is null ? null : (rows, height) => progress.Report(new QuantizeProgress(QuantizeStage.Decoding, rows, height));
        ImageIntake.Intake intake = ImageIntake.Read(source, options.MaxPixels, options.OutputFormat == ImageOutputFormat.Png,
            PixelIndexUpTo(options), Threads(options), collectMetadata: true, cancellationToken, rowsDecoded);
        RgbaImage image = intake.Image;
        CarriedMetadata metadata = options.Strip ? intake.Metadata.WithoutOptional() : intake.Metadata;
        // Sizes and the marker's source hash are of the bytes decoded, so a file changed meanwhile cannot be recorded
        // as this output's source.
        long originalBytes = intake.SourceLength;
        Provenance.OutputMarker? marker = intake.Stamp(options.Marker, source, cancellationToken);

        QuantizedImage quantized;
        try
        {
            quantized = Quantize(image, options, intake.Histogram, cancellationToken, progress);
        }
        catch (QualityFloorException ex)
        {
            throw new QualityFloorException(ex.K, ex.Psnr, ex.MinPsnr, source);
        }

        progress?.Report(new QuantizeProgress(QuantizeStage.Encoding, 0, 0));
        // The metrics run beside the encoder (MetricsBesideEncoder): they read what it reads and nothing it writes.
        var writeOptions = new AtomicWriteOptions
        {
            Overwrite = options.Overwrite, ProtectedSource = source, PermissionsFrom = source, Publish = options.Publish,
            CreateFolder = options.CreateFolders,
        };
        long encodedBytes = 0;
        ((bool written, long compressedBytes), ImageMetrics? metrics) = MetricsBesideEncoder.Run(image, quantized, options.ComputeMetrics,
            options.MaxDegreeOfParallelism, () =>
            {
                bool kept = AtomicFileWriter.Write(destination, stream =>
                {
                    if (options.OutputFormat == ImageOutputFormat.Gif) quantized.WriteGif(stream, marker, cancellationToken);
                    else quantized.WritePng(stream, marker, metadata, options.Compression, options.MaxDegreeOfParallelism, cancellationToken);
                }, writeOptions with { Keep = options.SkipIfLarger ? length => (encodedBytes = length) < originalBytes : null }, cancellationToken);
                return (kept, kept ? new FileInfo(destination).Length : encodedBytes);
            }, progress, cancellationToken);
        int channels = metrics?.Channels ?? (image.HasAlpha() ? 4 : 3);
        double mse = metrics?.Mse ?? double.NaN, psnr = metrics?.Psnr ?? double.NaN, ssim = metrics?.Ssim ?? double.NaN;

        string? comparison = null;
        if (options.ComparisonPath is not null && written)
        {
            progress?.Report(new QuantizeProgress(QuantizeStage.Comparison, 0, 0));
            comparison = Path.GetFullPath(options.ComparisonPath);
            ComparisonFigure.Write(comparison, image, quantized.ToPixels(), ComparisonFigure.DefaultMaxWidth,
                writeOptions with { Overwrite = options.OverwriteComparison ?? options.Overwrite }, marker,
                options.Captions, quantized.Palette.Length, cancellationToken);
        }
        progress?.Report(new QuantizeProgress(QuantizeStage.Completed, 0, 0));

        Palette fit = quantized.Fit;
        var result = new QuantizeResult
        {
            Source = source,
            Destination = destination,
            Format = options.OutputFormat,
            Width = image.Width,
            Height = image.Height,
            K = options.K,
            ChosenK = quantized.ChosenK,
            SourceColors = quantized.SourceColors,
            SourceColorsIsLowerBound = quantized.SourceColorsIsLowerBound,
            ColorsUsed = quantized.Palette.Length,
            Lossless = quantized.Lossless,
            Iterations = fit.Iterations,
            Converged = fit.Converged,
            Mse = mse,
            Psnr = psnr,
            Ssim = ssim,
            MetricChannels = channels,
            OriginalBytes = originalBytes,
            CompressedBytes = compressedBytes,
            Written = written,
            Elapsed = clock.Elapsed,
            InstructionSet = fit.InstructionSet,
            Seed = fit.Seed,
            ColorSpace = options.ColorSpace,
            Dither = options.Dither,
            ComparisonPath = comparison,
            Warning = Join(Join(Join(Join(image.DecodeWarning, fit.Warning), metadata.DroppedProfile), options.OutputFormat == ImageOutputFormat.Gif ? metadata.DroppedForGif() : metadata.DroppedExif),
                quantized.AlphaMadeBinary ? AlphaMadeBinaryWarning : null),
        };
        // The pixels and indices were made for this job and are referenced by nothing returned.
        LargeBufferCache.Return(quantized.Indices);
        LargeBufferCache.Return(image.Pixels);
        if (image.Wide is not null) LargeBufferCache.Return(image.Wide);
        return result;
    }

    /// <summary>What a GIF of a translucent source says: its error is not only the K colours', as a PNG's would be.</summary>
    internal const string AlphaMadeBinaryWarning = "GIF has no partial transparency: the image's translucent pixels were made fully transparent or " +
        "opaque (at alpha 128), so the output differs from the source beyond its K colours and its PSNR is lower than a PNG's; write a PNG to keep them.";

    /// <summary>
    /// Quantizes decoded pixels: histogram, palette (<see cref="PaletteBuilder"/>), mapping (through the
    /// histogram's labels, or Floyd-Steinberg), then <see cref="PaletteOrdering"/>. For GIF output, alpha is first
    /// made on/off at 128, since GIF has no partial transparency.
    /// </summary>
    public static QuantizedImage Quantize(RgbaImage image, QuantizeOptions options, IProgress<QuantizeProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return Quantize(image, options, null, cancellationToken, progress);
    }

    private static string? Join(string? first, string? second) =>
        first is null ? second : second is null ? first : first + " " + second;

    /// <summary>
    /// The largest image whose histogram keeps each pixel's colour index (4 bytes a pixel), which makes mapping a
    /// table lookup; above PixelIndexLimit the memory matters more and mapping hashes each pixel's colour again.
    /// Dithering maps each pixel itself and keeps none.
    /// </summary>
    private static long PixelIndexUpTo(QuantizeOptions options) => options.Dither == DitherMode.FloydSteinberg ? 0 : PixelIndexLimit;

    private static int Threads(QuantizeOptions options) => options.MaxDegreeOfParallelism ?? Environment.ProcessorCount;

    /// <summary>As the public overload; <paramref name="counted"/> is the image's histogram when it was counted during decoding.</summary>
    private static QuantizedImage Quantize(RgbaImage image, QuantizeOptions options, ColorHistogram? counted,
        CancellationToken cancellationToken, IProgress<QuantizeProgress>? progress)
    {
        // The histogram is of the original colours unless GIF output first makes alpha binary.
        RgbaImage original = image;
        bool binaryAlpha = options.OutputFormat == ImageOutputFormat.Gif && image.HasAlpha();
        if (binaryAlpha)
            image = BinaryAlpha(image);

        progress?.Report(new QuantizeProgress(QuantizeStage.Histogram, 0, 0));
        bool dither = options.Dither == DitherMode.FloydSteinberg;
        bool keepIndex = image.PixelCount <= PixelIndexUpTo(options) && image.Wide is null; // 16-bit pixels are mapped on their own values
        ColorHistogram histogram = counted is not null && !binaryAlpha
            ? counted
            : ColorHistogram.Build(image.Pixels, keepIndex, Threads(options), null,
                options.MaxHistogramEntries ?? ColorHistogram.MaxEntriesFor(image.PixelCount), cancellationToken)!;

        bool large = histogram.Count > ColorHistogram.MinMaxEntries;
        if (large) ReclaimMemory();

        progress?.Report(new QuantizeProgress(QuantizeStage.Clustering, 0, options.MaxIterations));
        ulong seed = options.Seed ?? (ulong)Random.Shared.NextInt64(long.MinValue, long.MaxValue);
        IProgress<KMeansProgress>? iterations = progress is null ? null
            : new ForwardingProgress(p => progress.Report(new QuantizeProgress(QuantizeStage.Clustering, p.Iteration, p.MaxIterations)));
        Palette Fit(int k) => PaletteBuilder.Build(histogram, k, options.ColorSpace, options.Algorithm, options.MaxIterations,
            options.Tolerance, seed, options.MaxDegreeOfParallelism, iterations, cancellationToken);
        (int chosenK, Palette fit) = options.MinPsnr is double floor
            ? QualityFloorPalette.Choose(original, image, histogram, dither, options.K, floor, Fit, options.MaxDegreeOfParallelism, cancellationToken)
            : (options.K, Fit(options.K));

        if (large) ReclaimMemory();

        progress?.Report(new QuantizeProgress(QuantizeStage.Mapping, 0, 0));
        // The palette was fitted on colour cells, which do not say each pixel's entry: every pixel takes its nearest
        // entry (which a cell's pixels would not all do) or is dithered, and the metrics measure the error on the pixels;
        // the same for 16-bit and dithered images, whose mapping branches come first.
        if (!histogram.IsExact)
        {
            fit = fit.WithWarning(string.Create(CultureInfo.InvariantCulture,
                $"The image has more than {histogram.MaxEntries:N0} distinct colours: to bound memory, the palette was fitted on {histogram.Count:N0} colour cells (their mean colours, weighted by pixel count), and each pixel then {(dither ? "was dithered to the palette" : "took its nearest palette colour")}."));
        }
        byte[] indices;
        Rgba32[] palette;
        double? squaredError = null;
        if (dither && !fit.Lossless)
        {
            indices = FloydSteinbergDither.Map(image, fit.Entries, cancellationToken);
            palette = PaletteOrdering.CompactAndSort(fit.Entries, indices);
        }
        else if (image.Wide is { } wide)
        {
            // The source holds more than 8 bits a channel, and the histogram counted its colours rounded: each pixel
            // takes the entry nearest its own value (so the boundary between two entries falls between them, not at a
            // rounding step), and the metrics measure against those values. No run merging: it weighs switches on
            // the rounded pixels.
            indices = LargeBufferCache.Rent<byte>(image.Pixels.Length);
            NearestPixelMapper.Map(wide, fit.Entries, indices, options.MaxDegreeOfParallelism, cancellationToken);
            palette = PaletteOrdering.CompactAndSort(fit.Entries, indices);
        }
        else if (!histogram.IsExact)
        {
            indices = LargeBufferCache.Rent<byte>(image.Pixels.Length);
            NearestPixelMapper.Map(image.Pixels, fit.Entries, indices, options.MaxDegreeOfParallelism, cancellationToken);
            MergeRuns(fit.Entries);
            palette = PaletteOrdering.CompactAndSort(fit.Entries, indices);
        }
        else
        {
            // Every pixel of a colour gets that colour's entry, so the histogram gives each entry's use (for the
            // palette order) and the squared error over the pixels (count-weighted over the colours), and the
            // pixels are mapped once, straight to their final index.
            var uses = new long[fit.Entries.Length];
            for (int c = 0; c < histogram.Count; c++) uses[fit.ColorToEntry[c]] += histogram.Counts[c];
            var remap = new byte[256];
            palette = PaletteOrdering.Order(fit.Entries, uses, remap);
            int[] colorToIndex = LargeBufferCache.Rent<int>(histogram.Count); // every element written
            for (int c = 0; c < colorToIndex.Length; c++) colorToIndex[c] = remap[fit.ColorToEntry[c]];
            indices = LargeBufferCache.Rent<byte>(image.Pixels.Length);
            histogram.MapPixels(image.Pixels, colorToIndex, indices, cancellationToken);
            LargeBufferCache.Return(colorToIndex);
            // The runs' switches are measured as they are made, so the error stays exact without reading the pixels again.
            double added = MergeRuns(palette);
            if (!binaryAlpha)
                squaredError = PaletteBuilder.TotalError(histogram.Colors, histogram.Counts, fit.Entries, fit.ColorToEntry) + added;
        }
        histogram.ReleasePixelIndex(recycle: true); // made here, seen by no one else
        // The source's colours, not those of GIF's binary-alpha copy: counted while decoding, or counted here.
        // A 16-bit source's colours at 16 bits, up to the histogram's bound.
        long sourceColors = original.Wide is { } sixteen ? WideColorCount.Distinct(sixteen, histogram.MaxEntries)
            : !binaryAlpha ? histogram.DistinctColors
            : (counted ?? ColorHistogram.Build(original.Pixels, keepPixelIndex: false, Threads(options), cancellationToken)).DistinctColors;
        return new QuantizedImage(image.Width, image.Height, indices, palette, fit, (int)Math.Min(int.MaxValue, sourceColors), squaredError)
        {
            // Both counts stop at one past the histogram's bound (a coarse histogram's DistinctColors, WideColorCount).
            SourceColorsIsLowerBound = sourceColors > histogram.MaxEntries,
            ChosenK = chosenK,
            AlphaMadeBinary = binaryAlpha && HasPartialAlpha(original),
            PrecisionReduced = original.Wide is not null,
        };

        // Undithered indices: short runs take their left neighbour's entry within the error share (RunExtension);
        // not on GIF's binary-alpha copy, whose error is measured against other pixels, nor on a lossless palette.
        double MergeRuns(Rgba32[] entries) => binaryAlpha || fit.Lossless || image.Wide is not null ? 0
            : RunExtension.Extend(image, indices, entries, options.RunErrorShare, MaxSquaredError(image, options.MinPsnr),
                options.MaxDegreeOfParallelism, cancellationToken);
    }

    /// <summary>
    /// The squared error (metric space, over the pixels) at which PSNR would fall to <paramref name="minPsnr"/>, a hair
    /// under it so rounding cannot cross the floor; null without a floor.
    /// </summary>
    private static double? MaxSquaredError(RgbaImage image, double? minPsnr) => minPsnr is double floor
        ? (image.HasAlpha() ? 4.0 : 3.0) * image.PixelCount * 255.0 * 255.0 / Math.Pow(10, floor / 10) * (1 - 1e-9)
        : null;

    /// <summary>
    /// Before and after the fit of a histogram of more than <see cref="ColorHistogram.MinMaxEntries"/> entries: the
    /// counting tables, then the fit's working arrays (about 100 bytes an entry, hundreds of megabytes for an image
    /// of tens of millions of colours) are garbage, which the runtime would collect only later, after the next stage
    /// has taken fresh memory: the peak would be both. One full blocking collection (tens of milliseconds on such a
    /// heap) gives their memory back first. The kept buffers go too (up to <see cref="LargeBufferCache.MaxBytes"/>):
    /// before the fit an earlier job's (e.g. this file's bytes), after it the fit's own, which no later stage rents
    /// and which kept 40-50 MB more at the peak of an 8000 x 8000 noise image's encoding (perf/memory-bounds.ps1).
    /// </summary>
    private static void ReclaimMemory()
    {
        LargeBufferCache.Clear();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    /// <summary>Whether any pixel is neither opaque nor fully transparent (one GIF's binary alpha changes).</summary>
    private static bool HasPartialAlpha(RgbaImage image)
    {
        foreach (Rgba32 c in image.Pixels)
            if (c.A is not (0 or 255)) return true;
        return false;
    }

    private static RgbaImage BinaryAlpha(RgbaImage image)
    {
        var pixels = new Rgba32[image.Pixels.Length];
        for (int i = 0; i < pixels.Length; i++)
        {
            Rgba32 c = image.Pixels[i];
            pixels[i] = c.A < 128 ? default : new Rgba32(c.R, c.G, c.B, 255);
        }
        return new RgbaImage(image.Width, image.Height, pixels);
    }

    /// <summary>Forwards synchronously (Progress&lt;T&gt; would post to a thread pool and reorder reports).</summary>
    private sealed class ForwardingProgress(Action<KMeansProgress> report) : IProgress<KMeansProgress>
    {
        public void Report(KMeansProgress value) => report(value);
    }
}
