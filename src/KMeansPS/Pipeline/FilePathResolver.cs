using System.Management.Automation;

namespace KMeansPS.Pipeline;

/// <summary>
/// Resolves -Path (wildcards) and -LiteralPath to file-system paths the way PowerShell's own file cmdlets
/// do (Get-FileHash): in ProcessRecord, missing paths, folders and non-FileSystem providers reported as
/// non-terminating errors that name the path.
/// </summary>
internal static class FilePathResolver
{
    public static List<string> Resolve(PSCmdlet cmdlet, string[] paths, bool literal)
    {
        var resolved = new List<string>();
        foreach (string path in paths)
        {
            try
            {
                if (literal)
                {
                    string full = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo provider, out _);
                    if (!IsFileSystem(cmdlet, provider, path)) continue;
                    if (!File.Exists(full))
                    {
                        ReportNotAFile(cmdlet, path, full);
                        continue;
                    }
                    resolved.Add(full);
                }
                else
                {
                    var found = cmdlet.GetResolvedProviderPathFromPSPath(path, out ProviderInfo provider);
                    if (!IsFileSystem(cmdlet, provider, path)) continue;
                    foreach (string full in found)
                    {
                        if (File.Exists(full)) resolved.Add(full);
                        else if (!WildcardPattern.ContainsWildcardCharacters(path)) ReportNotAFile(cmdlet, path, full);
                    }
                }
            }
            catch (ItemNotFoundException ex)
            {
                // A wildcard that matches nothing is not an error (as with Get-ChildItem); a plain path is.
                if (!WildcardPattern.ContainsWildcardCharacters(path) || literal)
                {
                    cmdlet.WriteError(new ErrorRecord(ex, ErrorIds.FileNotFound, ErrorCategory.ObjectNotFound, path));
                }
            }
            catch (Exception ex) when (ex is System.Management.Automation.DriveNotFoundException or ProviderNotFoundException or PSArgumentException or NotSupportedException)
            {
                cmdlet.WriteError(new ErrorRecord(ex, ErrorIds.FileNotFound, ErrorCategory.ObjectNotFound, path));
            }
        }
        return resolved;
    }

    private static bool IsFileSystem(PSCmdlet cmdlet, ProviderInfo provider, string path)
    {
        if (provider.ImplementingType == typeof(Microsoft.PowerShell.Commands.FileSystemProvider)) return true;
        cmdlet.WriteError(new ErrorRecord(
            new PSArgumentException($"'{path}' is on the {provider.Name} provider; only file-system paths hold images."),
            ErrorIds.NotFileSystemPath, ErrorCategory.InvalidArgument, path));
        return false;
    }

    // A path that names no file: a folder is a wrong argument, anything else is missing.
    private static void ReportNotAFile(PSCmdlet cmdlet, string path, string full)
    {
        cmdlet.WriteError(Directory.Exists(full)
            ? new ErrorRecord(
                new PSArgumentException($"'{path}' is a folder, not an image file. To process the images in it, pipe Get-ChildItem into the command."),
                ErrorIds.PathIsDirectory, ErrorCategory.InvalidArgument, path)
            : new ErrorRecord(new FileNotFoundException($"Cannot find the file '{path}'.", path), ErrorIds.FileNotFound, ErrorCategory.ObjectNotFound, path));
    }
}
