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
/// dithering with -Dither), except that short runs of pixels may take their left neighbour's colour where that adds
/// little error: each row at most 0.4 % more squared error, so PSNR at most 0.017 dB lower, for files that compress
/// better (photos 2-35 % smaller); -MinPsnr is kept after it, and the PSNR reported is the file's. The result is
/// written as an 8-bit or smaller palette PNG with PLTE and tRNS chunks.</para>
/// <para>Outputs go beside each source as NAME-kK.png (NAME-kK.gif with -Format Gif) unless -Destination says
/// otherwise; -Suffix replaces "-k{K}" (pngquant's --ext without the extension; {K} becomes the K asked for). When the
/// source's folder also holds another image with the same name before the extension (x.jpg and x.png, compared
/// without case; an image by its first bytes, so an empty or text file, a pipe or a dangling link named x.gif is
/// not one), the source's extension goes into the name too: x-jpg-k64.png and x-png-k64.png, every other source
/// keeps NAME-k64.png. The rule looks at the folder, not at the order or set of inputs, so reruns find the same
/// names, and it keeps the usual names wherever there is no clash; when a twin comes or goes, a source keeps the name
/// of its output made from its present bytes. -Destination (and -ComparisonPath) is a folder
/// when it ends in a path separator (created if missing), names an existing folder, or is a new name without an
/// extension; otherwise it is one file, and a second input then stops the command (DestinationIsFile) before anything
/// is written. A file named with another image format's extension than what it would hold (-Destination x.jpg, or
/// y.png with -Format Gif, or a -ComparisonPath that is not .png) is refused (DestinationExtensionMismatch) before
/// anything is written; a -Destination file ending in .gif implies -Format Gif, and a name whose extension is no image
/// format's (out.v2) is written as asked.</para>
/// <para>Each output is written to a temporary file (.kmps.PID.8HEX.tmp) and published when complete: a failure,
/// Ctrl+C or SIGTERM leaves no partial file, and stale temporary files of killed runs are removed by the next run.
/// Such a file is never read as an input: passed over (-Verbose says so) when piped or matched by a wildcard, with a
/// warning when named as an argument.
/// No source and no other input of the same call is ever overwritten, even with -Force or through a link (files are
/// compared by identity); an input this call has already written is not read: it is passed over without a row (a
/// folder listed while outputs appear in it), or with -IncludeOwnOutputs refused (InputIsOutput). An existing output is
/// replaced only with -Force; without it, of two processes writing one name exactly one wins and the other gets
/// OutputExists. Processes that overlap with -Force -ComparisonPath publish an output and its figure one run at a time
/// (a named mutex per output), so the two left are always of one run. On Unix a new output and its comparison figure get no group or other permission bit the source lacks
/// (a 0600 source gives a 0600 output) and the source's group, and an output replaced with -Force keeps its bits and
/// group. -WhatIf decodes nothing.</para>
/// <para>-SkipIfLarger (pngquant's --skip-if-larger) writes an output only when it is smaller than its source; otherwise
/// nothing is written (no file, no temporary file, no comparison figure, no folder made for them, the name stays
/// free), the result's Status is SkippedLarger with both sizes, and -Verbose says why. It is off by default, as
/// PowerShell switches are: the command's plain promise is one output per input, which later steps of a script may
/// rely on, and K colours can be the goal itself (a palette for a device or a GIF) rather than a smaller file. Nightly
/// scripts that only want to save space should pass it.</para>
/// <para>-MinPsnr sets a quality floor, as pngquant's --quality min does: the palette gets the fewest colours, at most -K,
/// whose PSNR reaches that many dB (PSNR as Measure-ImageKMeans and the result measure it), and ChosenK reports how
/// many. The search fits -K first; if even that misses the floor, the file gets a QualityTooLow error (category
/// InvalidResult: the input is fine, the result falls short of what was asked) and nothing is written. Otherwise it
/// narrows the range between a count that misses and one that reaches the floor on the colour histogram, trying next
/// where the floor falls on the line through their PSNRs in log K and halving when a step did not halve the range:
/// 4-7 more fits on photos, not a sweep of every K. The output keeps the name
/// NAME-kK.png of the -K asked for, so reruns find it. With the same seed the choice and the bytes are the same on
/// every run and -ThrottleLimit.</para>
/// <para>Reruns are no-ops, so the command can run from a scheduled script: every output carries a marker (a PNG tEXt
/// chunk, or a GIF comment, with keyword KMeansPS) that records a hash of the source file's bytes and the settings that
/// change the output (K, format, colour space, dither, algorithm, iterations, tolerance, -MinPsnr, -Strip, a
/// -CompressionLevel other than Optimal, and the seed). An input that carries the marker is the module's own output and is not read (Status SkippedOwnOutput; -IncludeOwnOutputs reads
/// it). An output that already exists and was made from the same source bytes with the same settings (the same seed
/// only when -Seed is given) is left alone without -Force (Status SkippedUpToDate); with other settings or a changed
/// source it is OutputExists, whose message says which (out of date with its source, or made with other settings), and
/// -Force rewrites it in every case. A changed source is read first, writing nothing: one that can no longer be read
/// (truncated, overwritten, no longer an image) gets the error a first run gives it, not OutputExists, and its old output
/// stays. A file at the output's name without the marker (someone's file, or an output whose marker a tool such as
/// exiftool -all= or ImageMagick removed) is not known to be an output: OutputExists says so, or OutputIsInput when the
/// file is also an input of the call. A skipped input writes nothing, claims no
/// name and is no error; -Verbose says why it was skipped. The marker is read from the first chunks of the file,
/// without decoding pixels.</para>
/// <para>Metadata: a PNG output carries the source's colour management by default: an ICC profile (a PNG's iCCP, a
/// JPEG's APP2 profile, written as iCCP named after the profile's description) or the sRGB chunk (never both), and
/// gAMA, cHRM and cICP, before PLTE; its pixel density (pHYs; a JPEG's JFIF density, else its EXIF resolution, in pixels
/// per metre) before the image data; its text chunks (tEXt, zTXt, iTXt; a JPEG comment becomes tEXt "Comment"; never an
/// older KMeansPS marker, which the new one replaces) and its EXIF as an eXIf chunk (EXIF whose structure is not whole,
/// a loop of directories or values past its end, is dropped and the result's Warning says so). A JPEG's EXIF orientation is
/// applied to the pixels when decoding, so the output's EXIF says Orientation 1 (EXIF that cannot be patched safely is
/// dropped). A chunk with a bad CRC, a damaged or oversized one, and anything past 8 MB of metadata in all is not
/// carried. -Strip drops the optional part (density, text, EXIF) and keeps the colour management, which says what the
/// pixel values mean: pngquant's --strip still writes the colour information too (gAMA and sRGB; an ICC profile it
/// converts the pixels from, when built with colour-profile support), and KMeansPS never converts pixels, so it keeps
/// the profile. A GIF output carries none of it; when a profile other than sRGB is dropped that way, the result's
/// Warning says so. A TIFF (BigTIFF too) carries its ICC profile, density, and description, artist and copyright as
/// text; a WebP its ICC profile and EXIF (Orientation set to 1 with nothing turned, as WebP readers show the pixels as
/// stored); a BMP its density and a version 5 header's ICC profile. GIF, TGA and Netpbm sources carry nothing.</para>
/// <para>One result per file, in input order: sizes, compression ratio, PSNR and SSIM, iterations, the SIMD path and the
/// seed. A bad file (missing, not an image, truncated, over -MaxPixels) is reported as a non-terminating error naming
/// it, and the other files go on.</para>
/// <para>Results stream: each result (or error, or skip) is written as soon as it and every earlier input are done, in
/// input order, and at most -ThrottleLimit files are in flight before the next input is read (with 1, each result is
/// written before the next input is asked for). Progress shows one record per file in flight under the overall one:
/// the file's name, its stage (decode, histogram, fit, map, encode, metrics, comparison; rows decoded and iterations on
/// large images) and its percentage. -Verbose tells each file's K asked and chosen, iterations, pixels and distinct
/// colours, bytes in and out and time; -Debug each stage's time in milliseconds (the metrics are computed while the file
/// is encoded, so their time is what is left of them after the encode) and the file's whole time, its Elapsed: the
/// stages fall within it, and each is rounded so that the printed stages add up to no more than the printed whole; and (unless -Verbose or -WarningAction is
/// given too) the verbose lines and warnings as debug lines, since PowerShell would stop at each of those to ask under
/// -Debug, which a scheduled run cannot answer.</para>
/// </remarks>
/// <example title="Every PNG in a folder, reduced to 64 colours">
/// <code>Get-ChildItem *.png | Compress-ImageKMeans -K 64</code>
/// <para>Writes photo-k64.png beside photo.png, and so on, and shows size and quality for each.</para>
/// </example>
/// <example title="The blog's comparison figure">
/// <code>Compress-ImageKMeans sample.jpg -K 16 -ComparisonPath compare.png -Seed 1 | Format-List</code>
/// <para>Also writes compare.png: the original, the 16-colour result and their amplified difference side by side, each captioned.</para>
/// </example>
/// <example title="Into another folder, several files at once, replacing earlier outputs">
/// <code>Get-ChildItem *.png, *.jpg | Compress-ImageKMeans -K 32 -Destination ./small -ThrottleLimit 2 -Force</code>
/// <para>Results still come out in input order.</para>
/// </example>
/// <example title="Names of your choosing, into another folder">
/// <code>Get-ChildItem *.png, *.jpg | Compress-ImageKMeans -K 32 -Suffix '.min' -Destination ./web/ -Seed 1</code>
/// <para>Writes web/photo.min.png for photo.png and web/sample.min.png for sample.jpg (-Suffix replaces the default
/// -k{K}; {K} in it becomes the K). A photo.jpg beside photo.png would give photo-jpg.min.png and photo-png.min.png.</para>
/// </example>
/// <example title="Only where it saves space">
/// <code>Get-ChildItem *.jpg | Compress-ImageKMeans -K 64 -SkipIfLarger | Where-Object Status -eq Written</code>
/// <para>A small, already well-compressed JPEG whose PNG would be larger is left alone and reported as SkippedLarger.</para>
/// </example>
/// <example title="A nightly script: a quality floor, and only files that get smaller">
/// <code>Get-ChildItem *.png, *.jpg | Compress-ImageKMeans -K 256 -MinPsnr 32 -SkipIfLarger -Seed 1 | Select-Object Path, ChosenK, Psnr, Status</code>
/// <para>Each file gets the fewest colours (up to 256) that reach 32 dB; a file that cannot reach it gets QualityTooLow, and a file that would grow is left alone.</para>
/// </example>
/// <example title="A nightly script: safe to rerun">
/// <code>Get-ChildItem *.png | Compress-ImageKMeans -K 64 | Where-Object Status -eq Written</code>
/// <para>The first run writes photo-k64.png for each photo.png; later runs skip the -k64 files (SkippedOwnOutput) and
/// every photo whose output is up to date (SkippedUpToDate), and compress only new or changed photos (a changed photo
/// whose old output exists is OutputExists, saying the output is out of date; add -Force to replace such outputs; a photo
/// damaged since gets the error a damaged file gets, and its old output stays).</para>
/// </example>
/// <example title="The smallest files">
/// <code>Get-ChildItem *.png | Compress-ImageKMeans -K 64 -CompressionLevel SmallestSize -Seed 1</code>
/// <para>The same pixels as without -CompressionLevel, deflated with a near-optimal parse: files 2-10 % smaller, the
/// command up to 4 times slower. Fastest and NoCompression trade size for time the other way.</para>
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
    private readonly CallFiles _files = new();
    private readonly FolderStems _stems = new();
    private OrderedWorkQueue<ImageCompressionResult>? _queue;
    private ProgressBoard? _progress;
    private OutputTarget? _destination;
    private OutputTarget? _comparison;
    private string? _planReason;
    private int _inputs;
    private bool _stopped;
    private string? _heldBack;

    #region Parameters

    /// <summary>Image files; wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Image files, taken exactly as written (no wildcards). Get-ChildItem output binds here, and so does any object with a PSPath, LiteralPath or FullName property but no Path property (a Path property binds to -Path, which expands wildcards).</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>Number of colours, 2 to 256.</summary>
    [Parameter(Position = 1)]
    [ValidateRange(2, 256)]
    [ArgumentCompleter(typeof(ColorCountCompleter))]
    public int K { get; set; } = 64;

    /// <summary>A folder for the outputs (ends in a separator, exists as a folder, or has no extension), or else one file for one input. Default: beside each source, named &lt;name&gt;-k&lt;K&gt;.png.</summary>
    [Parameter]
    [Alias("OutputPath")]
    [ValidateNotNullOrEmpty]
    public string? Destination { get; set; }

    /// <summary>Png (default) or Gif. A -Destination file ending in .gif implies Gif; a -Destination file named with another image format's extension (x.jpg, or y.png with -Format Gif) is refused (DestinationExtensionMismatch).</summary>
    [Parameter]
    public ImageOutputFormat Format { get; set; } = ImageOutputFormat.Png;

    /// <summary>Added to each output's name before the extension (pngquant's --ext without the extension); {K} becomes the K asked for. Default -k{K}: photo.jpg gives photo-k64.png. No path separators or characters a file name cannot hold (InvalidSuffix).</summary>
    [Parameter]
    [AllowEmptyString]
    [ValidateNotNull]
    public string Suffix { get; set; } = OutputNaming.DefaultSuffix;

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

    /// <summary>A quality floor in dB (as Measure-ImageKMeans -MinPsnr, pngquant's --quality min): use the fewest colours, at most -K, whose PSNR reaches it; when even -K colours miss it, a QualityTooLow error and nothing written.</summary>
    [Parameter]
    [ValidateRange(1.0, 200.0)]
    public double? MinPsnr { get; set; }

    /// <summary>Write an output only when it is smaller than its source file (pngquant's --skip-if-larger); otherwise nothing is written and the result's Status is SkippedLarger. Off by default: a switch in PowerShell defaults off, and the output set must not depend on sizes unless asked for.</summary>
    [Parameter]
    public SwitchParameter SkipIfLarger { get; set; }

    /// <summary>Carry only the source's colour management (its ICC profile or sRGB chunk, gAMA, cHRM, cICP) into a PNG output, dropping the optional metadata: pixel density, text chunks and JPEG comments, EXIF (pngquant's --strip). The colour information stays because it says what the pixel values mean: without it an Adobe RGB image would be shown as sRGB.</summary>
    [Parameter]
    public SwitchParameter Strip { get; set; }

    /// <summary>How hard a PNG output is deflated, as Compress-Archive's -CompressionLevel: Optimal (the default: zlib's parse at its highest level, with the deflate blocks redrawn), SmallestSize (also a near-optimal parse of the kept layout, as libdeflate's and zopfli's highest levels do: files 2-10 % smaller, the command 1-4 times as long), Fastest (zlib's fastest level, one layout, 1.3-2.5 times the bytes of Optimal) or NoCompression (stored). The pixels, PSNR and SSIM are the same at every level. A GIF output has one level (LZW): with -Format Gif any other than Optimal is refused (CompressionLevelNotForGif).</summary>
    [Parameter]
    public System.IO.Compression.CompressionLevel CompressionLevel { get; set; } = System.IO.Compression.CompressionLevel.Optimal;

    /// <summary>Overwrite existing output files (never a source or another input of this call, never a device), even one that is up to date.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Also compress inputs that are outputs of this module (files carrying its marker), which are otherwise skipped with Status SkippedOwnOutput.</summary>
    [Parameter]
    public SwitchParameter IncludeOwnOutputs { get; set; }

    #endregion

    /// <summary>Removes, once per folder and call, the temporary files killed runs left beside this source's outputs.</summary>
    private void SweepStaleTemporaryFiles(string destination, string? comparison)
    {
        _files.SweepOnce(System.IO.Path.GetDirectoryName(destination)!);
        if (comparison is not null) _files.SweepOnce(System.IO.Path.GetDirectoryName(comparison)!);
    }

    /// <inheritdoc/>
    protected override void BeginProcessing()
    {
        Bridge.ImportWarmup.CommandStarting();
        _queue = new OrderedWorkQueue<ImageCompressionResult>(ThrottleLimit, _cancel.Token);
        _progress = new ProgressBoard(this, ProgressActivityId, "Compress-ImageKMeans");
        if (Destination is not null) _destination = OutputTarget.Parse(this, Destination, nameof(Destination));
        if (ComparisonPath is not null) _comparison = OutputTarget.Parse(this, ComparisonPath, nameof(ComparisonPath));
        if (_destination is { IsFile: true } && !MyInvocation.BoundParameters.ContainsKey(nameof(Format))
            && _destination.Path.EndsWith(".gif", StringComparison.OrdinalIgnoreCase))
        {
            Format = ImageOutputFormat.Gif;
        }
        // Refused before anything is read or written: a file's extension must say what it holds.
        OutputNaming.ValidateSuffix(this, Suffix);
        OutputNaming.CheckFileExtension(this, _destination, nameof(Destination), OutputNaming.ExtensionOf(Format == ImageOutputFormat.Gif),
            Format.ToString().ToUpperInvariant());
        OutputNaming.CheckFileExtension(this, _comparison, nameof(ComparisonPath), ".png", "a PNG comparison figure");
        if (Format == ImageOutputFormat.Gif && CompressionLevel != System.IO.Compression.CompressionLevel.Optimal)
        {
            ThrowTerminatingError(new ErrorRecord(
                new PSArgumentException($"-CompressionLevel {CompressionLevel} applies to PNG outputs; a GIF is LZW-coded at its one level. " +
                    "Leave -CompressionLevel out, or write PNG."),
                ErrorIds.CompressionLevelNotForGif, ErrorCategory.InvalidArgument, CompressionLevel));
        }
    }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        bool literal = ParameterSetName == LiteralPathSet;
        // Inputs that come together are all known before any of their outputs is planned; what is found about them
        // (a skip, an error) keeps its place among them.
        var sources = new List<FoundInput>();
        foreach (string path in literal ? LiteralPath : Path)
        {
            var resolved = FilePathResolver.Resolve(this, [path], literal, record => sources.Add(new FoundInput(null, null, null, record)));
            foreach (string source in resolved)
            {
                // An output this call wrote, met again as an input (Get-ChildItem lists a folder lazily while outputs
                // appear in it): not an input at all, so no row and no error, only -Verbose. With -IncludeOwnOutputs it
                // is InputIsOutput below: reading it would compress this call's own output again.
                if (!IncludeOwnOutputs && _files.WrittenBy(source) is { } origin)
                {
                    sources.Add(new FoundInput(source, null, $"'{source}' was written by this command (the output of '{origin}'); it is not read as an input.", null));
                    continue;
                }
                try
                {
                    _files.RefuseWrittenInput(source);
                    // The module's own outputs are skipped, not read, and so not recorded as inputs.
                    if (!IncludeOwnOutputs && OutputProvenance.OwnOutput(source, out string? reason) is { } own)
                    {
                        sources.Add(new FoundInput(source, own, reason, null));
                        continue;
                    }
                    _files.AddInput(source);
                    sources.Add(new FoundInput(source, null, null, null));
                }
                catch (OutputRefusedException ex)
                {
                    sources.Add(new FoundInput(source, null, null, new ErrorRecord(ex, ex.ErrorId, ex.Category, source)));
                }
            }
        }
        foreach ((string? source, ImageCompressionResult? skipped, string? reason, ErrorRecord? error) in sources)
        {
            if (_stopped) return;
            if (error is not null)
            {
                Queue(new QueuedItem(source ?? "", null, error, null), Task.FromResult<ImageCompressionResult>(null!));
                continue;
            }
            if (skipped is not null || reason is not null)
            {
                // A skip has a result row; an output of this call met again has only its -Verbose reason.
                Queue(new QueuedItem(source!, null, null, reason), Task.FromResult(skipped!));
                continue;
            }
            if (++_inputs > 1 && (_destination?.IsFile == true || _comparison?.IsFile == true))
            {
                OutputTarget file = _destination?.IsFile == true ? _destination : _comparison!;
                ThrowTerminatingError(file.SecondInputError(_destination?.IsFile == true ? nameof(Destination) : nameof(ComparisonPath), source!));
            }
            // An output named by a file parameter waits until no second input can follow.
            if (_destination?.IsFile == true || _comparison?.IsFile == true) _heldBack = source;
            else Plan(source!);
        }
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        if (_heldBack is not null) Plan(_heldBack);
        if (!_queue!.DrainAll(Emit, _progress!.Tick)) return;
        _progress.Complete();
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
        _planReason = null;
        string extension = OutputNaming.ExtensionOf(Format == ImageOutputFormat.Gif);
        string name = OutputNaming.BaseNameFor(source, Suffix, K, _stems, path => OutputProvenance.OwnOutput(path, out _) is not null);
        string destination = TargetFor(_destination, source, name + extension);
        string? comparison = _comparison is null ? null : TargetFor(_comparison, source, $"{name}-comparison.png");
        string settings = OutputProvenance.Settings(K, Format, ColorSpace, Dither, Algorithm, MaxIterations, Tolerance, MinPsnr, Strip.IsPresent,
            CompressionLevel);

        // A twin that came or went since this source was done (x.jpg dropped beside x.png, or taken away) changes the name
        // the rule gives; an output under the other name made from this source's present bytes is still its output, and
        // keeps that name: skipped when up to date, written again there with -Force or when unfinished, rather than a
        // second output beside it.
        string plain = OutputNaming.NameFor(source, Suffix, K, tagged: false), tagged = OutputNaming.NameFor(source, Suffix, K, tagged: true);
        string other = name == plain ? tagged : plain;
        if (other != name)
        {
            string otherDestination = TargetFor(_destination, source, other + extension);
            // Cheapest first: the other name is free for nearly every source, and MadeFrom hashes the source.
            if (!PathComparer.Instance.Equals(otherDestination, destination) && File.Exists(otherDestination)
                && OutputProvenance.MadeFrom(source, otherDestination) && !OutputProvenance.MadeFrom(source, destination))
                (destination, comparison) = (otherDestination, _comparison is null ? null : TargetFor(_comparison, source, $"{other}-comparison.png"));
        }

        // An existing output made from these bytes with these settings is left alone: no claim, nothing written. One this
        // same job left unfinished is written again (replace).
        bool replace = Force.IsPresent, replaceFigure = Force.IsPresent;
        int? remakeSeed = null;
        // An output of this module at the name that is not up to date and not ours to finish: what the OutputExists error says.
        string? stale = null;
        bool sourceChanged = false;
        if (!Force.IsPresent && (comparison is null || !PathComparer.Instance.Equals(comparison, destination)))
        {
            ImageCompressionResult? upToDate = OutputProvenance.UpToDate(source, destination, comparison, settings, Seed, out string? reason,
                out replace, out replaceFigure);
            if (upToDate is null && replace && Seed is null) remakeSeed = OutputProvenance.SeedOf(destination);
            if (upToDate is null && !replace) (stale, sourceChanged) = StaleOutput(source, destination, reason);
            // Written with this source's outcome (skip, error or result), so it stays in input order.
            _planReason = reason;
            if (upToDate is not null)
            {
                // A rerun after a killed run may find every output up to date: it still removes the temporary files
                // that run left beside them (not under -WhatIf, which changes nothing).
                if (!WhatIfRequest.Of(this)) SweepStaleTemporaryFiles(destination, comparison);
                _files.NoteUpToDate(destination, source);
                Skip(source, upToDate);
                return;
            }
        }

        OutputClaim? destinationClaim = null, comparisonClaim = null;
        try
        {
            destinationClaim = _files.Claim(destination, source, replace, stale);
            if (comparison is not null)
            {
                if (PathComparer.Instance.Equals(comparison, destination))
                {
                    throw new OutputRefusedException(ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument,
                        $"-ComparisonPath '{comparison}' is the output image of '{source}'; give them different names.");
                }
                comparisonClaim = _files.Claim(comparison, source, replaceFigure);
            }
        }
        catch (OutputRefusedException ex)
        {
            bool atDestination = destinationClaim is null;
            destinationClaim?.Release();
            // Another run (an overlapping scheduled one) published this name, or the figure, between the up-to-date check
            // and the claim: when what it wrote is this source's output with these settings (and, for the figure, its
            // figure), the same skip a rerun would report. Another file at the figure's name stays an error.
            if (ex.ErrorId == ErrorIds.OutputExists && !Force.IsPresent
                && OutputProvenance.UpToDate(source, destination, atDestination ? null : comparison, settings, Seed, out string? reason, out _, out _) is { } done)
            {
                _planReason = reason;
                _files.NoteUpToDate(destination, source);
                Skip(source, done);
                return;
            }
            // The source changed since its output was made: when it can no longer be read, that is what this run must say
            // (the error a first run gives it), not "use -Force", which would only lead to that error. Read on a worker,
            // in input order, like any other source; not while the call's files are locked. Under -WhatIf too: reading
            // writes nothing, and -WhatIf must give the verdict the run gives.
            if (atDestination && ex.ForceWouldReplace && sourceChanged)
            {
                ReadChangedSource(source, destination, ex);
                return;
            }
            Error(ex, ex.ErrorId, ex.Category, source);
            return;
        }

        // Asked before any decoding, so -WhatIf is instant.
        if (!ShouldProcess(destination, $"Write K={K} {Format.ToString().ToUpperInvariant()} from '{source}'"))
        {
            if (TakePlanReason() is { } reason) NonPromptingStreams.Verbose(this, reason);
            destinationClaim.Release();
            comparisonClaim?.Release();
            return;
        }
        SweepStaleTemporaryFiles(destination, comparison);

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
            Seed = Seed ?? remakeSeed ?? RandomNumberGenerator.GetInt32(int.MaxValue),
            GivenSeed = Seed,
            MaxPixels = MaxPixels,
            Threads = Math.Max(1, Environment.ProcessorCount / ThrottleLimit),
            Overwrite = replace,
            OverwriteComparison = replaceFigure,
            SkipIfLarger = SkipIfLarger.IsPresent,
            Strip = Strip.IsPresent,
            MinPsnr = MinPsnr,
            CompressionLevel = CompressionLevel,
            DestinationClaim = destinationClaim,
            ComparisonClaim = comparisonClaim,
            AwaitTurn = AwaitTurnOf(_queue!, _queue!.NextTurn),
        };
        Start(request);
    }

    // What the OutputExists error says of a marked output at the name that is not up to date: made before its source
    // changed (or can no longer be read), or with other settings, a seed or a version other than this call's.
    private static (string? Message, bool SourceChanged) StaleOutput(string source, string destination, string? reason)
    {
        if (!File.Exists(destination) || !OutputProvenance.IsMarked(destination)) return (null, false);
        if (OutputProvenance.MadeBeforeSourceChanged(source, destination))
        {
            return ($"'{destination}' is out of date with its source: KMeansPS made it from other contents of '{source}', which changed since. " +
                "It was left as it is; -Force rewrites it from the source as it is now.", true);
        }
        return ((reason ?? $"'{destination}' is an output of KMeansPS that is not up to date.") +
            " It was left as it is; -Force rewrites it with this command's settings.", false);
    }

    // Reads a changed source on a worker as the compression would, writing nothing: a source that can no longer be read
    // gets the error a first run gives it (its id and category, naming it, with a note that its old output stays); one
    // that reads gets the OutputExists refusal, which says the output is out of date with it.
    private void ReadChangedSource(string source, string destination, OutputRefusedException outOfDate)
    {
        CancellationToken token = _cancel.Token;
        ItemProgress progress = _progress!.Add(System.IO.Path.GetFileName(source));
        int threads = Math.Max(1, Environment.ProcessorCount / ThrottleLimit);
        long maxPixels = MaxPixels;
        var item = new QueuedItem(source, progress, null, TakePlanReason())
        {
            ErrorNote = $"'{source}' changed after its output '{destination}' was made; that output was left as it is.",
        };
        _queue!.Enqueue(item, () =>
        {
            try
            {
                progress.Report("Reading", null, 0);
                ImageCompressionJob.ReadSource(source, maxPixels, threads, token);
            }
            finally
            {
                progress.Finish();
            }
            throw outOfDate;
        });
        Flow();
    }

    // A skipped input's result, in input order with the others (it writes nothing and claims no name).
    private void Skip(string source, ImageCompressionResult skipped) =>
        Queue(new QueuedItem(source, null, null, TakePlanReason()), Task.FromResult(skipped));

    // The -Verbose reason Plan() found for the source being planned, handed to its queued item once.
    private string? TakePlanReason()
    {
        string? reason = _planReason;
        _planReason = null;
        return reason;
    }

    // The wait for the turn of the item about to be queued (Start queues it next), held by its request.
    private static Action<CancellationToken> AwaitTurnOf(OrderedWorkQueue<ImageCompressionResult> queue, long turn) =>
        cancellationToken => queue.WaitForTurn(turn, cancellationToken);

    // Starts one file's work on a worker thread; its progress is shown under the overall record.
    private void Start(ImageCompressionRequest request)
    {
        CancellationToken token = _cancel.Token;
        ItemProgress progress = _progress!.Add(System.IO.Path.GetFileName(request.Source));
        var item = new QueuedItem(request.Source, progress, null, TakePlanReason());
        _queue!.Enqueue(item, () => ImageCompressionJob.Run(request, progress, token));
        Flow();
    }

    // An outcome known at once (skip or error) queued behind the earlier ones, so it is written in input order.
    private void Queue(QueuedItem item, Task<ImageCompressionResult> outcome)
    {
        _progress!.AddUnfollowed();
        _queue!.EnqueueDone(item, outcome);
        Flow();
    }

    // Back-pressure: with ThrottleLimit items not yet written, write the oldest (waiting for it) before taking more
    // input. Upstream runs on this thread, so this is what writes each result before the next input is asked for (at
    // -ThrottleLimit 1, before ProcessRecord returns) and keeps at most ThrottleLimit files in flight.
    private void Flow()
    {
        if (!_queue!.DrainTo(ThrottleLimit - 1, Emit, _progress!.Tick)) _stopped = true;
    }

    // The output path for one source: the file itself, or the default name in the folder (beside the source without one).
    private static string TargetFor(OutputTarget? target, string source, string defaultName) =>
        target is null ? System.IO.Path.Combine(System.IO.Path.GetDirectoryName(source)!, defaultName)
        : target.IsFile ? target.Path
        : System.IO.Path.Combine(target.Path, defaultName);

    private void Emit(object tag, Task<ImageCompressionResult> task)
    {
        var item = (QueuedItem)tag;
        _progress!.Finish(item.Progress);
        if (item.Reason is not null) NonPromptingStreams.Verbose(this, item.Reason);
        if (item.Error is not null)
        {
            WriteError(item.Error);
            return;
        }
        string source = item.Source;
        if (task.IsCanceled) return;
        if (task.IsFaulted)
        {
            Exception ex = task.Exception!.InnerException ?? task.Exception;
            if (ex is OperationCanceledException) return;
            ErrorRecord record = ex is OutputRefusedException refused ? new ErrorRecord(ex, refused.ErrorId, refused.Category, source) : ImageErrorMap.Record(ex, source);
            if (item.ErrorNote is { } note && ex is not OutputRefusedException) record.ErrorDetails = new ErrorDetails($"{record.Exception.Message} {note}");
            WriteError(record);
            WriteTimings(item);
            return;
        }
        ImageCompressionResult result = task.Result;
        if (result is null) return;
        if (result.Warning is { } warning) NonPromptingStreams.Warning(this, $"{source}: {warning}");
        if (SkippedReason.Of(result) is { } why) NonPromptingStreams.Verbose(this, why);
        if (QualityFloorNote.Of(result) is { } chosen) NonPromptingStreams.Verbose(this, chosen);
        if (item.Progress is not null) NonPromptingStreams.Verbose(this, FileReport.Of(result));
        // A skip found while publishing (another run wrote it first) fitted, but has no time of its own to compare with.
        WriteTimings(item, result.Status is CompressionStatus.Written or CompressionStatus.SkippedLarger ? result.Elapsed : null);
        WriteObject(result);
        _progress.Tick();
    }

    // -Debug: how long each stage of the file took, and (with a result) the whole file's time the stages fall within.
    private void WriteTimings(QueuedItem item, TimeSpan? elapsed = null)
    {
        if (item.Progress is { } progress && FileReport.Timings(item.Source, progress.Timings, elapsed) is { } timings) WriteDebug(timings);
    }

    // An error found while planning (a claim refused) is queued too, so it is written after the earlier files' results.
    private void Error(Exception ex, string id, ErrorCategory category, string target) =>
        Queue(new QueuedItem(target, null, new ErrorRecord(ex, id, category, target), TakePlanReason()), Task.FromResult<ImageCompressionResult>(null!));

    // What is queued for one input: its source, the progress of its work (none for a skip or an error known at once),
    // an error record to write in its place, and a -Verbose reason to write before its result.
    private sealed record QueuedItem(string Source, ItemProgress? Progress, ErrorRecord? Error, string? Reason)
    {
        /// <summary>Added to the message of an error the work fails with (not to a refusal, which says it all).</summary>
        public string? ErrorNote { get; init; }
    }

    // One input as found by ProcessRecord: to plan (Source only), skipped with a row or only a -Verbose reason, or an
    // error. An object, not a value tuple: a list of tuples was compiled anew, unoptimised, in every session's first call.
    private sealed record FoundInput(string? Source, ImageCompressionResult? Skipped, string? Reason, ErrorRecord? Error);
}
