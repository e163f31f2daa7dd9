using System.Management.Automation;

namespace KMeansPS.Pipeline;

/// <summary>
/// The file-system path of an output parameter's value (-Destination, -ComparisonPath, -PlotPath, Export-ClusterPlot's
/// -Path), resolved by PowerShell from its current location. A value on another provider's drive (variable:, function:,
/// env:) is refused: its provider path is no file path, and .NET would take it relative to the process's working folder,
/// which is neither the PowerShell location nor any drive.
/// </summary>
internal static class OutputPath
{
    /// <summary>The full path <paramref name="value"/> of -<paramref name="parameter"/> names, or a terminating error.</summary>
    public static string Resolve(PSCmdlet cmdlet, string value, string parameter)
    {
        ProviderInfo provider;
        string full;
        try
        {
            full = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(value, out provider, out _);
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            cmdlet.ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument, value));
            throw;
        }
        if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
        {
            cmdlet.ThrowTerminatingError(new ErrorRecord(
                new PSArgumentException($"-{parameter} '{value}' is not a file-system path (it is on the {provider.Name} drive); give a file or folder path."),
                ErrorIds.NotFileSystemPath, ErrorCategory.InvalidArgument, value));
        }
        return full;
    }

    /// <summary>
    /// A terminating PathIsSpecialFile error when the plot file <paramref name="path"/> of -<paramref name="parameter"/>
    /// is a pipe, socket or device (/dev/null), before any work: a plot replaces only a regular file, so "use -Force"
    /// would be refused too.
    /// </summary>
    public static void RefuseSpecialFile(PSCmdlet cmdlet, string path, string parameter)
    {
        if (Bridge.FileSystemChecks.Identify(path) is not { IsRegular: false, IsFolder: false }) return;
        TerminatingError.Throw(cmdlet, ErrorIds.PathIsSpecialFile, ErrorCategory.InvalidArgument, path,
            $"-{parameter} '{path}' is a pipe, socket or device; a plot is written only as a regular file.");
    }

    /// <summary>
    /// A terminating FileWriteError when the folder of the output file <paramref name="full"/> (of -<paramref name="parameter"/>
    /// <paramref name="value"/>) does not exist or is a file. As Out-File and Export-Csv, the commands do not create a
    /// missing folder for a file (a mistyped folder would be made without a word); unlike them, they say so before any
    /// work and under -WhatIf too, so that -WhatIf never promises a file that could not be written.
    /// </summary>
    public static void RefuseMissingFolder(PSCmdlet cmdlet, string full, string value, string parameter)
    {
        string? folder = System.IO.Path.GetDirectoryName(System.IO.Path.TrimEndingDirectorySeparator(full));
        if (folder is null || Directory.Exists(folder)) return;
        string why = File.Exists(folder) ? $"'{folder}' is a file, not a folder" : $"the folder '{folder}' does not exist";
        cmdlet.ThrowTerminatingError(new ErrorRecord(new DirectoryNotFoundException(
                $"Could not write -{parameter} '{value}': {why}. Nothing was written; create the folder first (New-Item -ItemType Directory)."),
            ErrorIds.FileWriteError, ErrorCategory.WriteError, full));
    }

    /// <summary>
    /// A terminating FileWriteError, the one a missing folder gets, when the OS says that files cannot be created in
    /// <paramref name="folder"/> (or in the folder above it that would hold it, when it is still to be made): a
    /// read-only mount, an immutable folder, no write permission. Called before any work and under -WhatIf, only where
    /// the call must write there: a folder that may hold nothing but up-to-date outputs is left to the verdict on each.
    /// </summary>
    public static void RefuseUnwritableFolder(PSCmdlet cmdlet, string folder, string value, string parameter)
    {
        if (Bridge.FileSystemChecks.WriteRefusal(folder) is not { } why) return;
        cmdlet.ThrowTerminatingError(new ErrorRecord(new UnauthorizedAccessException(
                $"Could not write -{parameter} '{value}': {why}. Nothing was written; make the folder writable, or write elsewhere."),
            ErrorIds.FileWriteError, ErrorCategory.WriteError, folder));
    }
}
