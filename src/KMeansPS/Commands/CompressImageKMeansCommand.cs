using System.Management.Automation;
using System.Security.Cryptography;
using KMeansPS.Bridge;
using KMeansPS.Output;
using KMeansPS.Parameters;
using KMeansPS.Pipeline;

namespace KMeansPS.Commands;

/// <summary>
/// Reduces images to K colours with K-means and writes them as small palette PNG (or GIF) files, reporting size and quality per file.
/// </summary>
/// <remarks>
/// <para>Decodes each image (JPEG, PNG of any depth, BMP, GIF, TIFF, WebP, TGA), counts its distinct colours, and runs
/// K-means on that weighted histogram: the same result as clustering every pixel, much faster. Images with
/// transparency are clustered on premultiplied colour and fully transparent pixels stay exactly transparent; an image
/// with K or fewer colours is kept exactly. Every pixel then takes its nearest palette colour (or Floyd-Steinberg
/// dithering with -Dither), and the result is written as an 8-bit or smaller palette PNG with PLTE and tRNS chunks.</para>
/// <para>Outputs go beside each source as NAME-kK.png unless -Destination names a folder (or, for one input, a file).
/// Each output is written to a temporary file and renamed when complete: a failure or Ctrl+C leaves no partial
/// file. The source is never overwritten, an existing output only with -Force, and -WhatIf decodes nothing.</para>
/// <para>One result per file, in input order: sizes, compression ratio, PSNR and SSIM, iterations, the SIMD path and the
/// seed. A bad file (missing, not an image, truncated, over -MaxPixels) is reported as a non-terminating error naming
/// it, and the other files go on.</para>
/// </remarks>
/// <example title="Every PNG in a folder, reduced to 64 colours">
/// <code>Get-ChildItem *.png | Compress-ImageKMeans -K 64</code>
/// <para>Writes photo-k64.png beside photo.png, and so on, and shows size and quality for each.</para>
/// </example>
/// <example title="The blog's comparison figure">
/// <code>Compress-ImageKMeans sample.jpg -K 16 -ComparisonPath compare.png -Seed 1 | Format-List</code>
/// <para>Also writes compare.png: the original, the 16-colour result and their amplified difference side by side.</para>
/// </example>
/// <example title="Into another folder, several files at once, replacing earlier outputs">
/// <code>Get-ChildItem *.png, *.jpg | Compress-ImageKMeans -K 32 -Destination ./small -ThrottleLimit 2 -Force</code>
/// <para>Results still come out in input order.</para>
/// </example>
/// <example title="Preview without writing anything">
/// <code>Get-ChildItem *.png | Compress-ImageKMeans -K 8 -WhatIf</code>
/// <para>Says what would be written; no image is decoded.</para>
/// </example>
[Cmdlet(VerbsData.Compress, "ImageKMeans", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(ImageCompressionResult))]
public sealed class CompressImageKMeansCommand : PSCmdlet, IDisposable
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const int ProgressActivityId = 42;

    private readonly CancellationTokenSource _cancel = new();
    private readonly HashSet<string> _plannedOutputs = new(PathComparer.Instance);
    private OrderedWorkQueue<ImageCompressionResult>? _queue;
    private OutputTarget? _destination;
    private OutputTarget? _comparison;
    private int _queued;
    private int _done;
    private int _fileTargetsUsed;

    #region Parameters

    /// <summary>Image files; wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Image files, taken exactly as written (no wildcards). Get-ChildItem output binds here.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>Number of colours, 2 to 256.</summary>
    [Parameter(Position = 1)]
    [ValidateRange(2, 256)]
    [ArgumentCompleter(typeof(ColorCountCompleter))]
    public int K { get; set; } = 64;

    /// <summary>A folder for the outputs, or a file name when there is one input. Default: beside each source, named &lt;name&gt;-k&lt;K&gt;.png.</summary>
    [Parameter]
    [Alias("OutputPath")]
    [ValidateNotNullOrEmpty]
    public string? Destination { get; set; }

    /// <summary>Png (default) or Gif. A -Destination ending in .gif implies Gif.</summary>
    [Parameter]
    public ImageOutputFormat Format { get; set; } = ImageOutputFormat.Png;

    /// <summary>Rgb (default: best PSNR) or OkLab (perceptually even clustering).</summary>
    [Parameter]
    public ColorSpace ColorSpace { get; set; } = ColorSpace.Rgb;

    /// <summary>None (default: smallest files) or FloydSteinberg (smoother gradients, larger files).</summary>
    [Parameter]
    public DitherMode Dither { get; set; } = DitherMode.None;

    /// <summary>Auto (bounded Lloyd, the default), Lloyd, Hamerly, or MiniBatch.</summary>
    [Parameter]
    public KMeansAlgorithm Algorithm { get; set; } = KMeansAlgorithm.Auto;

    /// <summary>Most Lloyd iterations to run.</summary>
    [Parameter]
    [ValidateRange(1, 100_000)]
    public int MaxIterations { get; set; } = 300;

    /// <summary>Relative tolerance on centre movement (scikit-learn's tol).</summary>
    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double Tolerance { get; set; } = 1e-4;

    /// <summary>Seed of the initialisation; drawn at random when absent and reported in the result.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Seed { get; set; }

    /// <summary>Refuse images with more pixels than this (protects against decompression bombs).</summary>
    [Parameter]
    [ValidateRange(1L, 4_000_000_000L)]
    public long MaxPixels { get; set; } = 268_435_456;

    /// <summary>Also write the original and the result side by side (with their difference): a folder, or a file for one input.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ComparisonPath { get; set; }

    /// <summary>Files processed at the same time, which share the cores (as ForEach-Object -Parallel -ThrottleLimit counts inputs). Results still come out in input order.</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 1;

    /// <summary>Overwrite existing output files (never the source).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    #endregion

    /// <inheritdoc/>
    protected override void BeginProcessing()
    {
        _queue = new OrderedWorkQueue<ImageCompressionResult>(ThrottleLimit, _cancel.Token);
        if (Destination is not null) _destination = OutputTarget.Parse(this, Destination, nameof(Destination));
        if (ComparisonPath is not null) _comparison = OutputTarget.Parse(this, ComparisonPath, nameof(ComparisonPath));
        if (_destination is { IsFile: true } && !MyInvocation.BoundParameters.ContainsKey(nameof(Format))
            && _destination.Path.EndsWith(".gif", StringComparison.OrdinalIgnoreCase))
        {
            Format = ImageOutputFormat.Gif;
        }
    }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        bool literal = ParameterSetName == LiteralPathSet;
        foreach (string source in FilePathResolver.Resolve(this, literal ? LiteralPath : Path, literal))
        {
            Plan(source);
        }
        _queue!.DrainCompleted(Emit);
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        _queue!.DrainAll(Emit, WriteOverallProgress);
        WriteProgress(new ProgressRecord(ProgressActivityId, "Compress-ImageKMeans", "Done") { RecordType = ProgressRecordType.Completed });
    }

    /// <inheritdoc/>
    protected override void StopProcessing() => _cancel.Cancel();

    /// <inheritdoc/>
    public void Dispose()
    {
        _cancel.Cancel();
        _queue?.Dispose();
        _cancel.Dispose();
    }

    private void Plan(string source)
    {
        string extension = Format == ImageOutputFormat.Gif ? ".gif" : ".png";
        string stem = System.IO.Path.GetFileNameWithoutExtension(source);
        string? destination = TargetFor(_destination, source, $"{stem}-k{K}{extension}", nameof(Destination));
        if (destination is null) return;
        string? comparison = _comparison is null ? null : TargetFor(_comparison, source, $"{stem}-k{K}-comparison.png", nameof(ComparisonPath));
        if (_comparison is not null && comparison is null) return;

        foreach (string output in comparison is null ? [destination] : new[] { destination, comparison })
        {
            if (PathComparer.Instance.Equals(output, source))
            {
                Error(new IOException($"The output '{output}' would overwrite the source image; choose another -Destination."),
                    ErrorIds.OutputIsSource, ErrorCategory.InvalidArgument, source);
                return;
            }
            if (!_plannedOutputs.Add(output))
            {
                Error(new IOException($"'{output}' is already an output of this command; '{source}' would overwrite it."),
                    ErrorIds.OutputExists, ErrorCategory.ResourceExists, source);
                return;
            }
            if (!Force.IsPresent && (File.Exists(output) || Directory.Exists(output)))
            {
                Error(new IOException($"The file '{output}' already exists. Use -Force to overwrite it."),
                    ErrorIds.OutputExists, ErrorCategory.ResourceExists, source);
                return;
            }
        }

        // Asked before any decoding, so -WhatIf is instant.
        if (!ShouldProcess(destination, $"Write K={K} {Format.ToString().ToUpperInvariant()} from '{source}'")) return;

        var request = new ImageCompressionRequest
        {
            Source = source,
            Destination = destination,
            ComparisonPath = comparison,
            K = K,
            Format = Format,
            ColorSpace = ColorSpace,
            Dither = Dither,
            Algorithm = Algorithm,
            MaxIterations = MaxIterations,
            Tolerance = Tolerance,
            Seed = Seed ?? RandomNumberGenerator.GetInt32(int.MaxValue),
            MaxPixels = MaxPixels,
            Threads = Math.Max(1, Environment.ProcessorCount / ThrottleLimit),
        };
        CancellationToken token = _cancel.Token;
        _queue!.Enqueue(source, () => ImageCompressionJob.Run(request, token));
        _queued++;
    }

    // The output path for one source, or null after reporting why there is none.
    private string? TargetFor(OutputTarget? target, string source, string defaultName, string parameter)
    {
        if (target is null) return System.IO.Path.Combine(System.IO.Path.GetDirectoryName(source)!, defaultName);
        if (!target.IsFile) return System.IO.Path.Combine(target.Path, defaultName);
        if (++_fileTargetsUsed > (_comparison?.IsFile == true && _destination?.IsFile == true ? 2 : 1))
        {
            ThrowTerminatingError(new ErrorRecord(
                new PSArgumentException($"-{parameter} names one file, but more than one image came in. Give a folder instead."),
                ErrorIds.DestinationIsFile, ErrorCategory.InvalidArgument, target.Path));
        }
        return target.Path;
    }

    private void Emit(object tag, Task<ImageCompressionResult> task)
    {
        _done++;
        string source = (string)tag;
        if (task.IsCanceled) return;
        if (task.IsFaulted)
        {
            Exception ex = task.Exception!.InnerException ?? task.Exception;
            if (ex is OperationCanceledException) return;
            var (id, category) = ImageErrorMap.Classify(ex);
            Error(ex, id, category, source);
            return;
        }
        if (task.Result.Warning is { } warning) WriteWarning($"{source}: {warning}");
        WriteObject(task.Result);
        WriteOverallProgress();
    }

    private void WriteOverallProgress()
    {
        if (_queued <= 1) return;
        WriteProgress(new ProgressRecord(ProgressActivityId, "Compress-ImageKMeans", $"{_done} of {_queued} images done")
        {
            PercentComplete = Math.Min(100, 100 * _done / _queued),
        });
    }

    private void Error(Exception ex, string id, ErrorCategory category, string target) =>
        WriteError(new ErrorRecord(ex, id, category, target));
}
