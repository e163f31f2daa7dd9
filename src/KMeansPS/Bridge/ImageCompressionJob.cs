using KMeansPS.Imaging.ColorSpaces;
using KMeansPS.Imaging.IO;
using KMeansPS.Imaging.Quantization;
using KMeansPS.Output;

namespace KMeansPS.Bridge;

/// <summary>
/// Compresses one file on a worker thread: maps the request to the imaging library and its result to the
/// public output type. Failures while writing are told apart from failures while reading, so the user gets
/// WriteError or ReadError as the case is.
/// </summary>
internal static class ImageCompressionJob
{
    /// <summary>
    /// Reads <paramref name="source"/> as <see cref="Run"/> would, writing nothing; throws what a damaged or unreadable
    /// source throws there (a rerun's check of a source changed since its output was made).
    /// </summary>
    public static void ReadSource(string source, long maxPixels, int threads, CancellationToken cancellationToken) =>
        Imaging.Quantization.ImageQuantizer.ReadSource(source, maxPixels, threads, cancellationToken);

    /// <summary>Compresses one file; <paramref name="progress"/>, when given, is told each stage and how far it is.</summary>
    public static ImageCompressionResult Run(ImageCompressionRequest request, Pipeline.ItemProgress? progress, CancellationToken cancellationToken)
    {
        // The file's whole time, started before its first stage and read after the last one is closed (progress.Finish):
        // the -Debug stage times fall within it. The quantizer's own clock stops before it hands its buffers back, which
        // on a session's first file left the stages several milliseconds longer than Elapsed.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var stage = new StageTracker(progress, request);
        QuantizeResult result;
        OutputPairLock? pair = null;
        string? figure = request.ComparisonPath is null ? null : Path.GetFullPath(request.ComparisonPath);
        try
        {
            var options = new QuantizeOptions
            {
                K = request.K,
                ColorSpace = request.ColorSpace.ToImaging(),
                Dither = request.Dither.ToImaging(),
                Algorithm = request.Algorithm.ToEngine(),
                MaxIterations = request.MaxIterations,
                Tolerance = request.Tolerance,
                Seed = (ulong)request.Seed,
                MaxPixels = request.MaxPixels,
                OutputFormat = request.Format.ToImaging(),
                MaxDegreeOfParallelism = request.Threads,
                ComparisonPath = request.ComparisonPath,
                Captions = Plotting.CaptionRenderer.Rasterize,
                Overwrite = request.Overwrite,
                OverwriteComparison = request.OverwriteComparison,
                SkipIfLarger = request.SkipIfLarger,
                CreateFolders = request.CreateFolders,
                Strip = request.Strip,
                MinPsnr = request.MinPsnr,
                Compression = request.CompressionLevel,
                Publish = (path, move) =>
                {
                    request.AwaitTurn?.Invoke(cancellationToken);
                    // An output with a figure: other processes publish neither until this figure is published (OutputPairLock).
                    bool isFigure = figure is not null && string.Equals(path, figure, StringComparison.Ordinal);
                    if (figure is not null && !isFigure)
                    {
                        pair ??= OutputPairLock.Acquire(path, cancellationToken);
                        // The figure this run replaces is of the run that made the output being replaced: removed first, so a
                        // stop or a kill between the two publishes leaves an output without its figure (which the next run
                        // writes), never beside another run's figure.
                        if (request.OverwriteComparison) RemoveReplacedFigure(figure, request.Source);
                    }
                    if (request.DestinationClaim is null) move();
                    else
                    {
                        Pipeline.OutputClaim claim = ClaimFor(request, path);
                        claim.Publish(move, ReferenceEquals(claim, request.ComparisonClaim) ? request.OverwriteComparison : request.Overwrite, cancellationToken);
                    }
                    if (isFigure)
                    {
                        pair?.Dispose();
                        pair = null;
                    }
                },
                // With the hash of the source's bytes as decoded: a later run then knows this output and whether it is up to date.
                Marker = OutputProvenance.MarkerFor(request),
            };
            result = ImageQuantizer.Quantize(request.Source, request.Destination, options, stage, cancellationToken);
        }
        catch (OutputExistsException ex)
        {
            // Another run (an overlapping scheduled one) published this name first. When what it wrote is this source's
            // output with these settings, the work is done: the same skip a later rerun would report, not an error. Its
            // comparison figure is not asked for: that run publishes it after the output, and may not have yet (a run
            // that died in between leaves the figure missing, which the next run finds and writes).
            if (OutputProvenance.UpToDate(request.Source, request.Destination, comparison: null, OutputProvenance.Settings(request),
                    request.GivenSeed, out _, out _, out _) is { } done)
                return done;
            throw new Pipeline.OutputRefusedException(ErrorIds.OutputExists, System.Management.Automation.ErrorCategory.ResourceExists, ex.Message);
        }
        // While writing, the source is read already: any I/O failure, a missing file included (a temp file in /proc/), is the write's.
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException
                                   && ex is not Pipeline.OutputRefusedException && ex is not OutputWriteException
                                   && stage.Writing)
        {
            // The figure is written after the output is published: say that the output is there, and that a rerun
            // finishes the pair (an output whose figure is missing is written again with it, without -Force).
            throw new OutputWriteException(stage.WritingComparison
                ? $"Could not write the comparison figure '{request.ComparisonPath}' of '{request.Source}': {ex.Message} Its output '{request.Destination}' was written; a rerun writes both again."
                : $"Could not write '{request.Destination}' (the output of '{request.Source}'): {ex.Message}", ex);
        }
        catch (IOException ex) when (ex is not FileNotFoundException && ex is not Pipeline.OutputRefusedException && ex is not OutputWriteException
                                     && ex is not Imaging.IO.SpecialFileException)
        {
            throw new IOException($"Could not read '{request.Source}': {ex.Message}", ex);
        }
        finally
        {
            pair?.Dispose(); // the figure was not published (failed, stopped): the next run's pair may go
            progress?.Finish();
            stage.RemoveEmptyFoldersItMade();
            request.DestinationClaim?.Release();
            request.ComparisonClaim?.Release();
        }

        return new ImageCompressionResult
        {
            Path = result.Source,
            Destination = result.Destination,
            Status = result.Written ? CompressionStatus.Written : CompressionStatus.SkippedLarger,
            Width = result.Width,
            Height = result.Height,
            K = result.K,
            ChosenK = result.ChosenK,
            MinPsnr = request.MinPsnr,
            ColorsUsed = result.ColorsUsed,
            SourceColors = result.SourceColors,
            SourceColorsIsLowerBound = result.SourceColorsIsLowerBound,
            Lossless = result.Lossless,
            Iterations = result.Iterations,
            Converged = result.Converged,
            Mse = result.Mse,
            Psnr = result.Psnr,
            Ssim = result.Ssim,
            OriginalBytes = result.OriginalBytes,
            CompressedBytes = result.CompressedBytes,
            Format = request.Format,
            ColorSpace = request.ColorSpace,
            Dither = request.Dither,
            Elapsed = clock.Elapsed,
            InstructionSet = result.InstructionSet?.ToString() ?? "None (lossless)",
            Seed = request.Seed,
            ComparisonPath = result.ComparisonPath,
            Warning = result.Written || !File.Exists(result.Destination) ? result.Warning
                : ((result.Warning is null ? "" : result.Warning + " ") +
                    $"'{result.Destination}' was left as it was: it is an earlier output (or another file), not made from this source's current bytes with these settings, so it does not show what this run would have written."),
        };
    }

    // Only a regular file that is not the source (what the figure's publish would replace); anything else stays for that
    // publish to refuse.
    private static void RemoveReplacedFigure(string figure, string source)
    {
        try
        {
            if (FileIdentity.TryGet(figure, out FileIdentity found) && found.Kind == FileKind.Regular && !AtomicFileWriter.SamePath(figure, source))
                File.Delete(figure);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left as it is: the figure's own publish reports what is wrong there.
        }
    }

    private static Pipeline.OutputClaim ClaimFor(ImageCompressionRequest request, string path) =>
        request.ComparisonClaim is { } comparison && string.Equals(comparison.Path, path, StringComparison.Ordinal)
            ? comparison
            : request.DestinationClaim!;

    // An output's folder (-Destination dir/ that does not exist yet); failing here is a write error, not a read error.
    // Returns the folders that were not there before, the deepest first.
    private static List<string> CreateFolder(string output, string source)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(output))!;
        var missing = new List<string>();
        for (string? f = folder; f is not null && !Directory.Exists(f); f = Path.GetDirectoryName(f)) missing.Add(f);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                Directory.CreateDirectory(folder);
                return missing;
            }
            catch (IOException) when (attempt < 4)
            {
                // Another file's job removed an empty folder of this path (after a skip) while this one was being made
                // (not found, or "exists" and gone by the check): again.
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new OutputWriteException($"Could not write '{output}' (the output of '{source}'): could not create the folder '{folder}': {ex.Message}", ex);
            }
        }
    }

    // Remembers how far the quantizer got: once encoding starts, I/O failures concern the output being written.
    // Also tells the cmdlet's progress (on the worker thread: the sink only stores the latest state). An output's
    // folder is made when that output is about to be written (the stage is told on the worker thread, before the
    // write), so a source that fails to decode or misses its quality floor leaves no empty folder behind.
    private sealed class StageTracker(Pipeline.ItemProgress? sink, ImageCompressionRequest request) : IProgress<QuantizeProgress>
    {
        private volatile bool _writing;
        private volatile bool _comparison;
        private readonly List<string> _madeFolders = [];

        public bool Writing => _writing;

        /// <summary>The comparison figure's stage: failures concern that file (the caller knows its path).</summary>
        public bool WritingComparison => _comparison;

        public void Report(QuantizeProgress value)
        {
            if (request.CreateFolders && value.Stage == QuantizeStage.Encoding && !_writing) _madeFolders.AddRange(CreateFolder(request.Destination, request.Source));
            if (request.CreateFolders && value.Stage == QuantizeStage.Comparison && !_comparison && request.ComparisonPath is { } comparison)
                _madeFolders.InsertRange(0, CreateFolder(comparison, request.Source));
            if (value.Stage >= QuantizeStage.Encoding) _writing = true;
            if (value.Stage == QuantizeStage.Comparison) _comparison = true;
            if (sink is not null && FileStages.Describe(value) is var (name, detail, percent)) sink.Report(name, detail, percent);
        }

        /// <summary>
        /// Removes the folders made for this file's outputs that are still empty (-SkipIfLarger skipped it, a later
        /// stage failed, or the run was stopped), the deepest first, so a run that writes nothing leaves no trace.
        /// Removal is rmdir, which refuses a folder with anything in it: an output, or another file's output or
        /// temporary file, keeps its folder and the folders above it.
        /// </summary>
        public void RemoveEmptyFoldersItMade()
        {
            foreach (string folder in _madeFolders)
            {
                try
                {
                    Directory.Delete(folder, recursive: false);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Not empty, or already gone: left as it is.
                }
            }
        }
    }
}
