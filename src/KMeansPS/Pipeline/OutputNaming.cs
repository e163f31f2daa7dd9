using System.Management.Automation;

namespace KMeansPS.Pipeline;

/// <summary>
/// Compress-ImageKMeans's output names: NAME + suffix (default <c>-k{K}</c>) + the format's extension, and the checks
/// that an output file's extension says what it holds.
/// <para>Same-stem sources: a source whose folder also holds another image the module reads with the same name
/// before the extension (compared without case) gets its own extension in the output name (x.jpg and x.png give
/// x-jpg-k64.png and x-png-k64.png); every other source keeps NAME-k64.png. This rule, not "always tag a source
/// whose extension is not the output format's", because it keeps today's names wherever there is no clash (the
/// common folder, and the outputs earlier runs wrote, which reruns must find), and unlike a rule on the inputs of the
/// call it depends neither on their order nor on which of them a call gets: only on the folder, so reruns name the
/// same files. Files carrying the module's marker are not counted (with an empty suffix x.jpg's own output x.png
/// must not rename it on the next run).</para>
/// </summary>
internal static class OutputNaming
{
    /// <summary>The default -Suffix; <c>{K}</c> becomes the K asked for.</summary>
    public const string DefaultSuffix = "-k{K}";

    /// <summary>Extensions of the image files the module reads (those a same-stem sibling may have).</summary>
    public static readonly IReadOnlySet<string> ImageExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".png", ".jpg", ".jpeg", ".jpe", ".jfif", ".bmp", ".dib", ".gif", ".tif", ".tiff", ".webp", ".tga",
        ".pbm", ".pgm", ".ppm", ".pnm",
    };

    /// <summary>The output extension of a format: ".png" or ".gif".</summary>
    public static string ExtensionOf(bool gif) => gif ? ".gif" : ".png";

    /// <summary>Throws a terminating InvalidArgument error when <paramref name="suffix"/> cannot be part of a file name.</summary>
    public static void ValidateSuffix(PSCmdlet cmdlet, string suffix)
    {
        string expanded = suffix.Replace("{K}", "0", StringComparison.OrdinalIgnoreCase);
        char[] invalid = [.. Path.GetInvalidFileNameChars(), '/', '\\'];
        int bad = expanded.IndexOfAny(invalid);
        if (bad < 0) return;
        string shown = char.IsControl(expanded[bad]) ? $"U+{(int)expanded[bad]:X4}" : $"'{expanded[bad]}'";
        cmdlet.ThrowTerminatingError(new ErrorRecord(
            new PSArgumentException($"-Suffix '{suffix}' holds {shown}, which a file name cannot hold (no path separators); " +
                "it is added to each output's name, e.g. -Suffix '-small' or '-k{K}'."),
            ErrorIds.InvalidSuffix, ErrorCategory.InvalidArgument, suffix));
    }

    /// <summary>
    /// The output's name without folder and extension for <paramref name="source"/>: its stem, its extension when a
    /// same-stem twin that is not the module's own output exists (see the class), and the suffix with {K} expanded.
    /// </summary>
    public static string BaseNameFor(string source, string suffix, int k, FolderStems stems, Func<string, bool> isOwnOutput)
    {
        // A twin is an image the module reads: not a pipe, link to nothing, empty or text file that only has the name.
        bool twin = Path.GetExtension(source).Length > 0
            && stems.TwinsOf(source).Any(other => Bridge.FileSystemChecks.StartsLikeImage(other) && !isOwnOutput(other));
        return NameFor(source, suffix, k, twin);
    }

    /// <summary>The name with the source's extension in it (<paramref name="tagged"/>, as for a source with a twin) or without.</summary>
    public static string NameFor(string source, string suffix, int k, bool tagged)
    {
        string stem = Path.GetFileNameWithoutExtension(source);
        string tag = tagged && Path.GetExtension(source).Length > 0 ? "-" + Path.GetExtension(source).TrimStart('.') : "";
        return stem + tag + suffix.Replace("{K}", k.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Throws a terminating DestinationExtensionMismatch error when <paramref name="target"/> is one file named with
    /// the extension of an image format (compared without case) other than <paramref name="extension"/>: x.jpg would
    /// hold PNG bytes, y.png GIF bytes, and viewers go by the name. A name whose extension names no image format
    /// (out.v2, or an existing file or device without one) is the caller's explicit choice and is written as asked.
    /// </summary>
    public static void CheckFileExtension(PSCmdlet cmdlet, OutputTarget? target, string parameter, string extension, string format)
    {
        if (target is not { IsFile: true }) return;
        string actual = Path.GetExtension(target.Path);
        if (string.Equals(actual, extension, StringComparison.OrdinalIgnoreCase) || !ImageExtensions.Contains(actual)) return;
        cmdlet.ThrowTerminatingError(new ErrorRecord(
            new PSArgumentException($"-{parameter} '{target.Path}' ends in '{actual}', but the file would hold {format}; nothing was written. " +
                $"Name it with '{extension}'" + (parameter == "Destination" ? ", or give -Format to match the name." : ".")),
            ErrorIds.DestinationExtensionMismatch, ErrorCategory.InvalidArgument, target.Path));
    }
}
