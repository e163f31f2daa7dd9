using System.Globalization;
using KMeansPS.Imaging.Provenance;
using KMeansPS.Output;

namespace KMeansPS.Bridge;

/// <summary>
/// What makes a rerun a no-op: the marker the module writes into every output (<see cref="OutputMarker"/>) tells
/// its own outputs apart from other inputs, and an existing output whose marker records this source's bytes and this
/// call's settings is up to date. Only the settings that change the output count (K, format, colour space, dither,
/// algorithm, iterations, tolerance, the quality floor, -Strip, a -CompressionLevel other than Optimal; the seed only
/// when -Seed is given); the tool version is
/// recorded, not compared.
/// </summary>
internal static class OutputProvenance
{
    /// <summary>The module version written into markers (without the commit, so a build's outputs are reproducible).</summary>
    public static string ToolVersion { get; } = typeof(OutputProvenance).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>The settings that change the output's pixels or its metadata, in the marker's text form.</summary>
    public static string Settings(int k, ImageOutputFormat format, ColorSpace colorSpace, DitherMode dither, KMeansAlgorithm algorithm,
        int maxIterations, double tolerance, double? minPsnr = null, bool strip = false,
        System.IO.Compression.CompressionLevel compression = System.IO.Compression.CompressionLevel.Optimal) => string.Create(CultureInfo.InvariantCulture,
        $"k={k},format={format},space={colorSpace},dither={dither},algorithm={algorithm},maxiter={maxIterations},tol={tolerance:R}")
        + (minPsnr is { } floor ? string.Create(CultureInfo.InvariantCulture, $",minpsnr={floor:R}") : "") // a floor chooses the colours
        + (strip ? ",strip" : "") // -Strip drops the source's optional metadata
        // Another level gives other bytes (the same pixels); Optimal is left out, so markers written before the setting existed still match.
        + (compression == System.IO.Compression.CompressionLevel.Optimal ? "" : $",compression={compression}");

    /// <summary>The settings of <paramref name="request"/> (see the other overload).</summary>
    public static string Settings(ImageCompressionRequest request) =>
        Settings(request.K, request.Format, request.ColorSpace, request.Dither, request.Algorithm, request.MaxIterations, request.Tolerance,
            request.MinPsnr, request.Strip, request.CompressionLevel);

    /// <summary>The marker for <paramref name="request"/>'s outputs; the quantizer fills in the hash of the bytes it decodes.</summary>
    internal static OutputMarker MarkerFor(ImageCompressionRequest request) =>
        new(ToolVersion, SourceHash: "", request.Seed, Settings(request));

    /// <summary>
    /// The marker Compress-ImageKMeans would write for each K of a Measure-ImageKMeans sweep (its defaults, PNG, this
    /// seed, colour space and compression level), so the sweep's sizes are those of the files written; the sweep fills in
    /// the source's hash.
    /// </summary>
    internal static Func<int, OutputMarker?> MarkersForSweep(int seed, ColorSpace colorSpace,
        System.IO.Compression.CompressionLevel compression = System.IO.Compression.CompressionLevel.Optimal)
    {
        var defaults = new Imaging.Quantization.QuantizeOptions();
        return k => new OutputMarker(ToolVersion, SourceHash: "", seed,
            Settings(k, ImageOutputFormat.Png, colorSpace, DitherMode.None, KMeansAlgorithm.Auto, defaults.MaxIterations, defaults.Tolerance,
                compression: compression));
    }

    /// <summary>
    /// A skipped result when <paramref name="source"/> carries the module's marker (it is an output of this module),
    /// else null. Reads the file's first chunks only; a file that cannot be read is left to the normal path's errors.
    /// </summary>
    public static ImageCompressionResult? OwnOutput(string source, out string? reason)
    {
        reason = null;
        MarkedFile? marked = TryRead(source);
        if (marked is null) return null;
        reason = $"'{source}' is an output of KMeansPS ({Describe(marked)}); skipped. Use -IncludeOwnOutputs to compress it again.";
        return Skipped(source, source, marked, CompressionStatus.SkippedOwnOutput);
    }

    /// <summary>
    /// A skipped result when <paramref name="destination"/> (and <paramref name="comparison"/>, if asked for) exists and
    /// was made from the same bytes of <paramref name="source"/> with <paramref name="settings"/> (and <paramref name="seed"/>
    /// when given); else null, with <paramref name="reason"/> saying why an existing marked output is not up to date
    /// (null when there is no marked output). <paramref name="replaceOutput"/> says the output there is this same job's
    /// own, left unfinished (cut short, or its comparison figure missing or of another run, after a power cut, a kill or
    /// a full disk): it is written again without -Force, so a scheduled rerun finishes the job instead of failing with
    /// OutputExists every night. <paramref name="replaceFigure"/> says the same of the file at the figure's name: only a
    /// figure made from these same source bytes is; any other file there (someone's, or another source's output) still
    /// needs -Force.
    /// </summary>
    public static ImageCompressionResult? UpToDate(string source, string destination, string? comparison, string settings, int? seed,
        out string? reason, out bool replaceOutput, out bool replaceFigure)
    {
        reason = null;
        replaceOutput = replaceFigure = false;
        if (Pipeline.CallFiles.IsEmptyFile(destination))
        {
            // No bytes, no marker: most likely this output, published before a power cut took its data (outputs are
            // not forced to disk). Nothing is lost by writing it again.
            replaceOutput = true;
            replaceFigure = comparison is not null && TryHash(source) is { } sourceHash && FigureOf(comparison, TryRead(comparison), sourceHash, settings, null);
            reason = $"'{destination}' is empty (its data never reached the disk?); it is written again.";
            return null;
        }
        MarkedFile? marked = TryRead(destination);
        if (marked is null) return null;
        if (marked.Marker is not { } marker)
        {
            reason = $"'{destination}' was made by another version of KMeansPS (marker '{marked.Text}'); it is not known to be up to date.";
            return null;
        }
        if (!string.Equals(marker.Settings, settings, StringComparison.Ordinal))
        {
            reason = $"'{destination}' was made with other settings ({marker.Settings}; now {settings}).";
            return null;
        }
        if (seed is { } given && marker.Seed != given)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"'{destination}' was made with -Seed {marker.Seed}, not {given}.");
            return null;
        }
        if (TryHash(source) is not { } hash) return null; // the compression reports the unreadable source
        if (!string.Equals(marker.SourceHash, hash, StringComparison.Ordinal))
        {
            reason = $"'{destination}' was made from other contents of '{source}' (the source changed since).";
            return null;
        }
        MarkedFile? figure = comparison is null ? null : TryRead(comparison);
        // Whole to its end but with bytes changed since it was written (bit rot on a disk, a copy gone wrong): the
        // structure check finds a chunk's CRC or the image data's checksum wrong, and the job's own output is written again.
        string? damage = marked.Complete ? Damage(destination) : null;
        if (!marked.Complete || damage is not null)
        {
            replaceOutput = true;
            replaceFigure = comparison is not null && FigureOf(comparison, figure, hash, settings, marked);
            reason = $"'{destination}' was made from the same bytes of '{source}' with the same settings but is "
                + (damage is null ? "cut short" : $"damaged ({damage})") + "; it is written again"
                + (comparison is null || replaceFigure ? "." : $", but '{comparison}' is not a comparison figure of '{source}' and needs -Force.");
            return null;
        }
        // The figure carries the output's marker; a file of the output's size with it is an output, not the figure.
        if (comparison is not null
            && (figure is null || !string.Equals(figure.Text, marked.Text, StringComparison.Ordinal) || !figure.Complete
                || (figure.Width == marked.Width && figure.Height == marked.Height) || Damage(comparison) is not null))
        {
            // The output is this job's own and whole, so writing it again loses nothing; someone's file, or another source's
            // output, at the figure's name still needs -Force (its claim then fails, naming it).
            replaceOutput = true;
            replaceFigure = FigureOf(comparison, figure, hash, settings, marked);
            reason = $"the comparison figure '{comparison}' is missing, cut short or was not made in the same run as '{destination}'"
                + (replaceFigure ? "; both are written again." : $"; '{comparison}' is not a comparison figure of '{source}' and needs -Force.");
            return null;
        }
        reason = string.Create(CultureInfo.InvariantCulture,
            $"'{destination}' is up to date (made by KMeansPS {marker.Tool} from the same bytes of '{source}' with {settings}, seed {marker.Seed}); skipped.");
        return Skipped(source, destination, marked, CompressionStatus.SkippedUpToDate, comparison);
    }

    /// <summary>
    /// The seed recorded in <paramref name="output"/>'s marker, or null. An output written again because it was cut short
    /// or its figure is missing (<see cref="UpToDate"/>: the same source bytes and settings) is made with it when no -Seed
    /// is given, so its bytes and figure are the ones it had: a run that overlaps the one still writing that figure then
    /// writes the same files, never an output and a figure of two different palettes.
    /// </summary>
    public static int? SeedOf(string output) => TryRead(output)?.Marker?.Seed is long seed && seed is >= 0 and <= int.MaxValue ? (int)seed : null;

    /// <summary>
    /// True when <paramref name="output"/> carries the module's marker with the hash of <paramref name="source"/>'s
    /// present bytes, whatever its settings: an output of this source (up to date or not), whose name it keeps.
    /// </summary>
    public static bool MadeFrom(string source, string output) =>
        TryRead(output) is { Marker: { } marker } && TryHash(source) is { } hash && string.Equals(marker.SourceHash, hash, StringComparison.Ordinal);

    /// <summary>
    /// True when <paramref name="output"/> carries the module's marker and <paramref name="source"/>'s present bytes are not
    /// the ones it records (or can no longer be read): an output made before its source changed, whatever its settings.
    /// </summary>
    public static bool MadeBeforeSourceChanged(string source, string output) =>
        TryRead(output) is { Marker: { } marker } && !string.Equals(marker.SourceHash, TryHash(source), StringComparison.Ordinal);

    /// <summary>True when <paramref name="path"/> carries the module's marker (any version of it): one of its outputs or plots.</summary>
    public static bool IsMarked(string path) => TryRead(path) is not null;

    /// <summary>The hash of <paramref name="source"/>'s present bytes (a marker's SourceHash), or null when it cannot be read.</summary>
    internal static string? TryHash(string source)
    {
        try
        {
            return OutputMarker.HashFile(source);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// True when nothing is at <paramref name="path"/>, or <paramref name="figure"/> (what was read there) is a comparison figure of this job: marked as made from the source
    /// bytes of <paramref name="hash"/> with <paramref name="settings"/>, and not of the output image's size (an output
    /// carries the same marker as its figure, which is wider: the source and the output side by side).
    /// </summary>
    private static bool FigureOf(string path, MarkedFile? figure, string hash, string settings, MarkedFile? output) =>
        !File.Exists(path)
        || (figure is { Marker: { } marker }
            && string.Equals(marker.SourceHash, hash, StringComparison.Ordinal)
            && string.Equals(marker.Settings, settings, StringComparison.Ordinal)
            && !(output is not null && figure.Width == output.Width && figure.Height == output.Height));

    /// <summary>Whether <paramref name="path"/> is a PNG plot the module wrote (its marker's settings say "plot").</summary>
    public static bool IsPlot(string path) => TryRead(path) is { Marker: { } marker } && PlotMarker.IsPlotSettings(marker.Settings);

    /// <summary>Why the file at <paramref name="path"/> is damaged, as the input check would say; null when whole or unreadable.</summary>
    internal static string? Damage(string path)
    {
        try
        {
            using FileStream stream = Imaging.IO.RegularFileReader.Open(path, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
            Imaging.Integrity.IntegrityReport report = Imaging.Integrity.FileIntegrity.Check(stream);
            return report.Verdict == Imaging.Integrity.IntegrityVerdict.Damaged ? report.Reason : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Imaging.IO.SpecialFileException)
        {
            return null;
        }
    }

    private static MarkedFile? TryRead(string path)
    {
        try
        {
            return OutputMarkerReader.Read(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string Describe(MarkedFile marked) => marked.Marker is { } m
        ? string.Create(CultureInfo.InvariantCulture, $"made by KMeansPS {m.Tool} with {m.Settings}, seed {m.Seed}")
        : $"marker '{marked.Text}'";

    // What is known without decoding: the marker's settings, the header's size, the two files' lengths.
    private static ImageCompressionResult Skipped(string source, string output, MarkedFile marked, CompressionStatus status,
        string? comparison = null)
    {
        OutputMarker? marker = marked.Marker;
        string Setting(string key, string fallback) =>
            marker?.Settings.Split(',').Select(p => p.Split('=', 2)).FirstOrDefault(p => p.Length == 2 && p[0] == key)?[1] ?? fallback;
        return new ImageCompressionResult
        {
            Path = source,
            Destination = output,
            Width = marked.Width,
            Height = marked.Height,
            K = int.TryParse(Setting("k", "0"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int k) ? k : 0,
            ColorsUsed = 0,
            SourceColors = 0,
            Lossless = false,
            Iterations = 0,
            Converged = false,
            Mse = double.NaN,
            Psnr = double.NaN,
            Ssim = double.NaN,
            OriginalBytes = new FileInfo(source).Length,
            CompressedBytes = new FileInfo(output).Length,
            Format = Enum.TryParse(Setting("format", "Png"), out ImageOutputFormat format) ? format : ImageOutputFormat.Png,
            ColorSpace = Enum.TryParse(Setting("space", "Rgb"), out ColorSpace space) ? space : ColorSpace.Rgb,
            Dither = Enum.TryParse(Setting("dither", "None"), out DitherMode dither) ? dither : DitherMode.None,
            Elapsed = TimeSpan.Zero,
            InstructionSet = "None (skipped)",
            Seed = marker is null ? 0 : (int)Math.Clamp(marker.Seed, 0, int.MaxValue),
            Status = status,
            ComparisonPath = comparison, // checked above: made in the same run as the output
        };
    }
}
