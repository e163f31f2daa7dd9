using System.Management.Automation;

namespace KMeansPS.Pipeline;

/// <summary>
/// A -Destination-like parameter resolved once, by one rule (README, "Where outputs go"):
/// <list type="number">
/// <item>ending in a path separator: a folder, created when the first output is written (an existing file there is an error);</item>
/// <item>an existing folder: that folder;</item>
/// <item>an existing file (or device): that file;</item>
/// <item>a new name with no extension: a folder, created when the first output is written;</item>
/// <item>a new name with an extension (out.png, out.v2): one file, whose folder must exist.</item>
/// </list>
/// A file named with an image format's extension must name the format it will hold (Compress-ImageKMeans checks
/// with <see cref="OutputNaming.CheckFileExtension"/>: x.jpg for PNG output is refused); an extension that names no
/// image format (out.v2), or none on an existing file or device, is taken as the caller's choice.
/// A file takes one input: the commands hold the one output back until they know no second input follows, and a
/// second input is a terminating DestinationIsFile error with nothing written.
/// </summary>
internal sealed class OutputTarget
{
    private OutputTarget(string path, bool isFile)
    {
        Path = path;
        IsFile = isFile;
    }

    public string Path { get; }
    public bool IsFile { get; }

    public static OutputTarget Parse(PSCmdlet cmdlet, string value, string parameter)
    {
        string full = OutputPath.Resolve(cmdlet, value, parameter);
        bool separator = value.EndsWith('/') || value.EndsWith(System.IO.Path.DirectorySeparatorChar);
        string trimmed = System.IO.Path.TrimEndingDirectorySeparator(full);
        // A link whose target is missing (a share not mounted tonight) is neither a folder to write into nor a file to
        // replace: writing would put one file where the link was, and each output of the call would replace the last.
        if (Bridge.FileSystemChecks.DanglingLinkTarget(trimmed) is string missing)
        {
            cmdlet.ThrowTerminatingError(new ErrorRecord(
                new IOException($"Could not write -{parameter} '{value}': '{trimmed}' is a symbolic link to '{missing}', which does not exist " +
                    "(a folder on a share that is not mounted?). Nothing was written; mount or create the target, or remove the link."),
                ErrorIds.FileWriteError, ErrorCategory.WriteError, value));
        }
        if (separator && File.Exists(trimmed))
        {
            cmdlet.ThrowTerminatingError(new ErrorRecord(
                new IOException($"Could not write into -{parameter} '{value}': '{trimmed}' is a file, not a folder."),
                ErrorIds.FileWriteError, ErrorCategory.WriteError, value));
        }
        bool folder = separator || Directory.Exists(trimmed)
            || (!File.Exists(trimmed) && System.IO.Path.GetExtension(trimmed).Length == 0);
        if (!folder) OutputPath.RefuseMissingFolder(cmdlet, trimmed, value, parameter);
        // A new file, or a folder still to be made, is certainly written: refused now when the OS says it cannot be. An
        // existing file or folder may hold only up-to-date outputs; each is refused when its output is planned (CallFiles).
        if (!folder && !File.Exists(trimmed)) OutputPath.RefuseUnwritableFolder(cmdlet, System.IO.Path.GetDirectoryName(trimmed)!, value, parameter);
        else if (folder && !Directory.Exists(trimmed)) OutputPath.RefuseUnwritableFolder(cmdlet, trimmed, value, parameter);
        return new OutputTarget(trimmed, !folder);
    }

    /// <summary>The terminating error for a second input when this is one file.</summary>
    public ErrorRecord SecondInputError(string parameter, string source) => new(
        new PSArgumentException($"-{parameter} '{Path}' names one file, but more than one input came in ('{source}' is the second); " +
            $"nothing was written. Give a folder instead (end the name with '{System.IO.Path.DirectorySeparatorChar}' to make a new one)."),
        ErrorIds.DestinationIsFile, ErrorCategory.InvalidArgument, Path);
}
