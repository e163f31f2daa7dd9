using KMeansPS.Imaging.ColorSpaces;
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
    public static ImageCompressionResult Run(ImageCompressionRequest request, CancellationToken cancellationToken)
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
        };

        var stage = new StageTracker();
        QuantizeResult result;
        try
        {
            foreach (string? output in new[] { request.Destination, request.ComparisonPath })
            {
                if (output is not null) Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            }
            result = ImageQuantizer.Quantize(request.Source, request.Destination, options, stage, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException
                                   && ex is not FileNotFoundException && stage.Writing)
        {
            throw new OutputWriteException($"Could not write the output for '{request.Source}': {ex.Message}", ex);
        }
        catch (IOException ex) when (ex is not FileNotFoundException)
        {
            throw new IOException($"Could not read '{request.Source}': {ex.Message}", ex);
        }

        return new ImageCompressionResult
        {
            Path = result.Source,
            Destination = result.Destination,
            Width = result.Width,
            Height = result.Height,
            K = result.K,
            ColorsUsed = result.ColorsUsed,
            SourceColors = result.SourceColors,
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
            Elapsed = result.Elapsed,
            InstructionSet = result.InstructionSet?.ToString() ?? "None (lossless)",
            Seed = request.Seed,
            ComparisonPath = result.ComparisonPath,
            Warning = result.Warning,
        };
    }

    // Remembers how far the quantizer got: once encoding starts, I/O failures concern the output.
    private sealed class StageTracker : IProgress<QuantizeProgress>
    {
        private volatile bool _writing;

        public bool Writing => _writing;

        public void Report(QuantizeProgress value)
        {
            if (value.Stage >= QuantizeStage.Encoding) _writing = true;
        }
    }
}
