using System.Management.Automation;
using System.Security.Cryptography;
using KMeansPS.Bridge;
using KMeansPS.Output;
using KMeansPS.Parameters;
using KMeansPS.Pipeline;

namespace KMeansPS.Commands;

/// <summary>
/// Tries several K on an image and reports quality and size for each, with a suggested K.
/// </summary>
/// <remarks>
/// <para>Decodes the image once, then for each K builds the palette exactly as Compress-ImageKMeans does, encodes the
/// palette PNG in memory (nothing is written) and measures PSNR, SSIM, the squared error (inertia of the 8-bit
/// palette over all pixels), the file size and the time taken. One row per K, in increasing K (each K once, however -K lists it).</para>
/// <para>The suggested K (Suggested = True, with the Reason) is the smallest K whose PSNR reaches -MinPsnr when that is
/// given, and otherwise the elbow of the error curve: the K farthest below the straight line between the first and
/// last points once both axes are scaled to 0..1, past which more colours buy little (Reason 'elbow'). A curve without
/// one (flat, when the image has no more colours than the smallest K; straight or concave; fewer than three K) suggests
/// the smallest K, and the Reason says so. Compress-ImageKMeans -MinPsnr
/// may choose a K below the one suggested here: it lets short runs take their neighbour's entry (which trades a few
/// hundredths of a dB for bytes) only as far as the floor allows, while every row here is what Compress-ImageKMeans -K
/// writes, runs merged in full, so a K whose row falls just short of the floor can reach it there.</para>
/// <para>-PlotPath draws the PSNR and file-size curves over K, with the suggested K marked. It follows the same
/// folder-or-file rule as Compress-ImageKMeans -Destination (in a folder, NAME-curve.png; same-stem images x.jpg and x.png
/// give x-jpg-curve.png and x-png-curve.png, as Compress names their outputs; when a twin comes or goes, an image keeps
/// the name of its curve made from its present bytes), and a plot never replaces an image of the same call. The plot
/// is the only file the command writes: -WhatIf (and -Confirm) apply to it, and the measurements are still made and
/// returned.</para>
/// <para>Each K is fitted from its own seeding, not warm-started from the previous K, so every row is exactly what
/// Compress-ImageKMeans writes for that K and seed (same palette, PSNR and bytes): the row you pick is the file you get.
/// -CompressionLevel sizes the files at Compress-ImageKMeans's level of that name.</para>
/// </remarks>
/// <example title="Which K for this photo?">
/// <code>Measure-ImageKMeans sample.jpg -K 4,8,16,32,64 -Seed 1</code>
/// <para>One row per K; the suggested one is marked.</para>
/// </example>
/// <example title="Draw the curve">
/// <code>Measure-ImageKMeans sample.jpg -K 4,8,16,32,64,128 -PlotPath curve.png -Seed 1 | Out-Null</code>
/// <para>Writes curve.png: PSNR and file size over K, with the suggested K marked.</para>
/// </example>
/// <example title="The smallest K that looks good enough, then use it">
/// <code>
/// $best = Measure-ImageKMeans photo.png -K 4,8,16,32 -MinPsnr 30 -Seed 1 | Where-Object Suggested
/// Compress-ImageKMeans photo.png -K $best.K -Seed 1
/// </code>
/// <para>Picks the first K with PSNR of at least 30 dB and writes that palette PNG.</para>
/// </example>
/// <example title="Sizes at the smallest level">
/// <code>Measure-ImageKMeans photo.png -K 16,32,64 -CompressionLevel SmallestSize -Seed 1 | Format-Table K, Psnr, CompressedBytes</code>
/// <para>Each row's size is that of the file Compress-ImageKMeans writes with -CompressionLevel SmallestSize at the row's K and seed.</para>
/// </example>
[Cmdlet(VerbsDiagnostic.Measure, "ImageKMeans", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(ImageKMeasurement))]
public sealed class MeasureImageKMeansCommand : PSCmdlet, IDisposable
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const int ProgressActivityId = 43;

    private readonly CancellationTokenSource _cancel = new();
    private int _images;

    #region Parameters

    /// <summary>Image files; wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Image files, taken exactly as written. Get-ChildItem output binds here, and so does any object with a PSPath, LiteralPath or FullName property but no Path property (a Path property binds to -Path, which expands wildcards).</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>The K values to try, 2 to 256.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    [ValidateRange(2, 256)]
    [ArgumentCompleter(typeof(ColorCountCompleter))]
    public int[] K { get; set; } = [4, 8, 16, 32, 64, 128, 256];

    /// <summary>Suggest the smallest K whose PSNR reaches this many dB, instead of the elbow of the curve.</summary>
    [Parameter]
    [ValidateRange(1.0, 200.0)]
    public double? MinPsnr { get; set; }

    /// <summary>Rgb (default) or OkLab, as for Compress-ImageKMeans.</summary>
    [Parameter]
    public ColorSpace ColorSpace { get; set; } = ColorSpace.Rgb;

    /// <summary>Seed of the initialisation for every K; drawn at random when absent and reported in each row.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Seed { get; set; }

    /// <summary>Refuse images with more pixels than this.</summary>
    [Parameter]
    [ValidateRange(1L, 4_000_000_000L)]
    public long MaxPixels { get; set; } = 268_435_456;

    /// <summary>Also draw PSNR and output size over K (.png or .svg): a file for one image, or a folder (NAME-curve.png per image).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PlotPath { get; set; }

    /// <summary>Replace an existing plot file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>The deflate level each K's PNG is sized at, as Compress-ImageKMeans -CompressionLevel: Optimal (the default), SmallestSize (a near-optimal parse: smaller files, each K takes longer), Fastest or NoCompression. The palette, PSNR and SSIM are the same at every level; only CompressedBytes and Ratio change, and each row's size is that of the file Compress-ImageKMeans writes at the same K, seed and level.</summary>
    [Parameter]
    public System.IO.Compression.CompressionLevel CompressionLevel { get; set; } = System.IO.Compression.CompressionLevel.Optimal;

    #endregion

    private readonly CallFiles _files = new();
    private readonly FolderStems _stems = new();
    private ProgressBoard _progress = null!;
    private OutputTarget? _plot;
    private (string Source, List<ImageKMeasurement> Rows)? _heldBack;

    /// <inheritdoc/>
    protected override void BeginProcessing()
    {
        Bridge.ImportWarmup.CommandStarting();
        _progress = new ProgressBoard(this, ProgressActivityId, "Measure-ImageKMeans");
        if (PlotPath is not null) _plot = OutputTarget.Parse(this, PlotPath, nameof(PlotPath));
        if (_plot is { IsFile: true } file) OutputPath.RefuseSpecialFile(this, file.Path, nameof(PlotPath));
        // A plot is PNG unless named .svg: x.jpg would hold PNG bytes.
        OutputNaming.CheckFileExtension(this, _plot, nameof(PlotPath), ".png", "a PNG plot (or name it .svg for SVG)");
    }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        bool literal = ParameterSetName == LiteralPathSet;
        int[] ks = K.Distinct().Order().ToArray();
        // Inputs that come together are all known before any plot is planned. Each path's files, or its error (not
        // found, a folder), keep their place, so rows and errors come out in input order, as Compress-ImageKMeans's do.
        var inputs = new List<(string? Source, ErrorRecord? Error)>();
        foreach (string path in literal ? LiteralPath : Path)
        {
            foreach (string source in FilePathResolver.Resolve(this, [path], literal, record => inputs.Add((null, record))))
            {
                try
                {
                    _files.AddInput(source);
                    inputs.Add((source, null));
                }
                catch (OutputRefusedException ex)
                {
                    inputs.Add((null, new ErrorRecord(ex, ex.ErrorId, ex.Category, source)));
                }
            }
        }
        foreach ((string? input, ErrorRecord? error) in inputs)
        {
            if (input is not { } source)
            {
                WriteError(error!);
                continue;
            }
            if (++_images > 1 && _plot is { IsFile: true })
            {
                ThrowTerminatingError(_plot.SecondInputError(nameof(PlotPath), source));
            }
            int seed = Seed ?? RandomNumberGenerator.GetInt32(int.MaxValue);
            var sweep = new ImageSweepRun(source, ks, seed, MaxPixels, ColorSpace, CompressionLevel);
            List<ImageKMeasurement> rows;
            // Each image is measured while this record waits (upstream waits too), so rows and errors come out in input
            // order, each image's as soon as it is done; progress names the image, the K being fitted and its stage.
            ItemProgress progress = _progress.Add(System.IO.Path.GetFileName(source));
            try
            {
                rows = BackgroundWork.Run(() => sweep.Run(progress, _cancel.Token), _progress.Tick);
                KSuggestion.Mark(rows, MinPsnr);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex) when (ex is not PipelineStoppedException)
            {
                _progress.Finish(progress);
                WriteError(ImageErrorMap.Record(ex, source));
                continue;
            }
            _progress.Finish(progress);
            if (sweep.DecodeWarning is { } warning) NonPromptingStreams.Warning(this, $"{source}: {warning}");
            // A plot into one file waits until no second image can follow.
            if (_plot is { IsFile: true }) _heldBack = (source, rows);
            else if (_plot is not null) WritePlot(source, rows);
            foreach (ImageKMeasurement row in rows) WriteObject(row);
        }
    }

    private void WritePlot(string source, List<ImageKMeasurement> rows)
    {
        // In a folder, NAME-curve.png, named as Compress-ImageKMeans names outputs: x.jpg and x.png side by side give
        // x-jpg-curve.png and x-png-curve.png.
        string path = _plot!.IsFile ? _plot.Path
            : System.IO.Path.Combine(_plot.Path, OutputNaming.BaseNameFor(source, "-curve", 0, _stems, p => OutputProvenance.OwnOutput(p, out _) is not null) + ".png");
        if (!_plot.IsFile)
        {
            // A twin that came or went since this image was plotted changes the name the rule gives; its plot under the
            // other name, made from its present bytes, is still its plot (OutputExists, or replaced with -Force) rather
            // than a second one beside it, as Compress-ImageKMeans keeps its outputs' names.
            string plain = OutputNaming.NameFor(source, "-curve", 0, tagged: false) + ".png", tagged = OutputNaming.NameFor(source, "-curve", 0, tagged: true) + ".png";
            string other = System.IO.Path.Combine(_plot.Path, System.IO.Path.GetFileName(path) == plain ? tagged : plain);
            if (!PathComparer.Instance.Equals(other, path) && File.Exists(other)
                && OutputProvenance.MadeFrom(source, other) && !OutputProvenance.MadeFrom(source, path))
                path = other;
        }
        OutputClaim claim;
        try
        {
            // Claimed before -WhatIf is asked (a claim writes nothing), so -WhatIf meets the refusals the write meets. A plot
            // of the module's there may be this very plot (a rerun): drawn and compared before any refusal.
            bool mayBeKept = !Force.IsPresent && PlotJob.MayBeRedrawn(path);
            claim = _files.Claim(path, source, Force.IsPresent || mayBeKept, mayBeKept: mayBeKept);
        }
        catch (OutputRefusedException ex)
        {
            WriteError(new ErrorRecord(ex, ex.ErrorId, ex.Category, source));
            return;
        }
        try
        {
            int suggested = rows.FindIndex(r => r.Suggested);
            PlotDraft? drawn = null;
            PlotDraft Draw() => drawn ??= PlotJob.DrawCurvePlot(path, source, rows.Select(r => (double)r.K).ToArray(), rows.Select(r => r.Psnr).ToArray(),
                rows.Select(r => r.CompressedBytes / 1024.0).ToArray(), suggested < 0 ? null : suggested, System.IO.Path.GetFileName(source));
            // What the write does with a file there, decided as the write decides it; the plot is the only file this
            // command writes (the sweep encodes in memory): -WhatIf writes none.
            PlotVerdict verdict = PlotJob.Foresee(path, Force.IsPresent, Draw);
            if (verdict == PlotVerdict.Refused) throw PlotJob.Refusal(path);
            if (!ShouldProcess(path, PlotJob.Operation(verdict, $"Write the K curve plot of '{source}'"))) return;
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(claim.Path)!);
            _files.SweepOnce(System.IO.Path.GetDirectoryName(claim.Path)!);
            if (!PlotJob.Publish(path, Draw(), Force.IsPresent, claim)) NonPromptingStreams.Verbose(this, PlotJob.UpToDate(path));
        }
        catch (OutputRefusedException ex)
        {
            WriteError(new ErrorRecord(ex, ex.ErrorId, ex.Category, source));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Exception said = ex is OutputWriteException ? ex : new IOException($"Could not write '{path}': {ex.Message}", ex);
            WriteError(new ErrorRecord(said, ErrorIds.FileWriteError, ErrorCategory.WriteError, source));
        }
        finally
        {
            claim.Release();
        }
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        if (_heldBack is var (source, rows)) WritePlot(source, rows);
        _progress.Complete();
    }

    /// <inheritdoc/>
    protected override void StopProcessing() => _cancel.Cancel();

    /// <inheritdoc/>
    public void Dispose() => _cancel.Dispose();
}
