using System.Management.Automation;

namespace KMeansPS.Pipeline;

/// <summary>
/// The checks of a plot file named by one parameter (Export-ClusterPlot -Path, Measure-KMeans -PlotPath), made before
/// any input is read and under -WhatIf too, so that -WhatIf says only what the command would do, and a call that cannot
/// write its plot stops before the work, with nothing written:
/// <list type="bullet">
/// <item>another provider's drive: NotFileSystemPath (<see cref="OutputPath.Resolve"/>);</item>
/// <item>an existing folder, or a name ending in a path separator: PathIsDirectory;</item>
/// <item>a pipe, socket or device: PathIsSpecialFile; a symbolic link to a missing target: FileWriteError;</item>
/// <item>a folder that does not exist, or is a file: FileWriteError, as Out-File and Export-Csv refuse it (they do not
/// create it either; see <see cref="OutputPath.RefuseMissingFolder"/>);</item>
/// <item>an existing file that is not a plot a rerun may draw again, without -Force: OutputExists;</item>
/// <item>a folder the OS says refuses new files (read-only mount, immutable, no permission), when the plot must be
/// written there: FileWriteError, as a missing folder (<see cref="OutputPath.RefuseUnwritableFolder"/>).</item>
/// </list>
/// The value is a literal path: wildcard characters ([ ] * ?) are part of the name, as with -LiteralPath.
/// </summary>
internal static class PlotFileTarget
{
    /// <summary>The full path of the plot file <paramref name="value"/> names, or a terminating error.</summary>
    public static string Check(PSCmdlet cmdlet, string value, string parameter, bool force)
    {
        string full = OutputPath.Resolve(cmdlet, value, parameter);
        if (Directory.Exists(full) || value.EndsWith('/') || value.EndsWith(Path.DirectorySeparatorChar))
        {
            string folder = Path.TrimEndingDirectorySeparator(full);
            TerminatingError.Throw(cmdlet, ErrorIds.PathIsDirectory, ErrorCategory.InvalidArgument, full,
                $"-{parameter} '{value}' names a folder; give the plot a file name, such as '{Path.Combine(folder, "clusters.png")}'.");
        }
        if (Bridge.FileSystemChecks.DanglingLinkTarget(full) is string missing)
        {
            cmdlet.ThrowTerminatingError(new ErrorRecord(
                new IOException($"Could not write -{parameter} '{value}': '{full}' is a symbolic link to '{missing}', which does not exist. " +
                    "Nothing was written; create the target, or remove the link."),
                ErrorIds.FileWriteError, ErrorCategory.WriteError, full));
        }
        OutputPath.RefuseSpecialFile(cmdlet, full, parameter);
        OutputPath.RefuseMissingFolder(cmdlet, full, value, parameter);
        bool exists = File.Exists(full);
        if (exists && !force && !Bridge.PlotJob.MayBeRedrawn(full))
        {
            cmdlet.ThrowTerminatingError(new ErrorRecord(new IOException($"The file '{full}' already exists. Use -Force to overwrite it."),
                ErrorIds.OutputExists, ErrorCategory.ResourceExists, full));
        }
        // A plot there may be this very plot, left as it is (a rerun): then whether it is written is known after drawing
        // (Bridge.PlotJob.Foresee, which refuses such a folder then). Anything else is written.
        if (force || !exists) OutputPath.RefuseUnwritableFolder(cmdlet, Path.GetDirectoryName(full)!, value, parameter);
        return full;
    }
}
