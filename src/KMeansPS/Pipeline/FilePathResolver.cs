using System.Management.Automation;

namespace KMeansPS.Pipeline;

/// <summary>
/// Resolves -Path (wildcards) and -LiteralPath to file-system paths the way PowerShell's own file cmdlets
/// do (Get-FileHash): in ProcessRecord, missing paths, folders, pipes and devices, and non-FileSystem providers reported as
/// non-terminating errors that name the path; the module's own temporary files passed over.
/// </summary>
internal static class FilePathResolver
{
    /// <summary>
    /// The files <paramref name="paths"/> name; each error goes to <paramref name="report"/> (default: WriteError), so a
    /// command that writes its results in input order can queue the errors with them.
    /// </summary>
    public static List<string> Resolve(PSCmdlet cmdlet, string[] paths, bool literal, Action<ErrorRecord>? report = null)
    {
        report ??= cmdlet.WriteError;
        // Paths given as arguments, not piped: one a user named is answered, not passed over in silence.
        bool named = !cmdlet.MyInvocation.ExpectingInput;
        var resolved = new List<string>();
        foreach (string path in paths)
        {
            try
            {
                if (literal)
                {
                    string full = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo provider, out _);
                    if (!IsFileSystem(report, provider, path)) continue;
                    if (IsTemporaryFile(cmdlet, full, named)) continue;
                    if (!File.Exists(full))
                    {
                        ReportNotAFile(report, path, full);
                        continue;
                    }
                    if (!IsSpecialFile(report, full)) resolved.Add(full);
                }
                else
                {
                    var found = cmdlet.GetResolvedProviderPathFromPSPath(path, out ProviderInfo provider);
                    if (!IsFileSystem(report, provider, path)) continue;
                    if (found.Count == 0 && IsLiteralFile(cmdlet, report, path)) continue;
                    foreach (string full in found)
                    {
                        if (IsTemporaryFile(cmdlet, full, named && !WildcardPattern.ContainsWildcardCharacters(path))) continue;
                        if (File.Exists(full))
                        {
                            if (!IsSpecialFile(report, full)) resolved.Add(full);
                        }
                        else if (!WildcardPattern.ContainsWildcardCharacters(path)) ReportNotAFile(report, path, full);
                    }
                }
            }
            catch (ItemNotFoundException ex)
            {
                // A temporary file gone by now (published or removed since it was listed) is still one: never an error.
                if (IsGoneTemporaryFile(cmdlet, path, named)) continue;
                if (!literal && IsLiteralFile(cmdlet, report, path)) continue;
                // A wildcard that matches nothing is not an error (as with Get-ChildItem); a plain path is.
                if (!WildcardPattern.ContainsWildcardCharacters(path) || literal)
                {
                    report(new ErrorRecord(ex, ErrorIds.FileNotFound, ErrorCategory.ObjectNotFound, path));
                }
            }
            catch (Exception ex) when (ex is System.Management.Automation.DriveNotFoundException or ProviderNotFoundException or PSArgumentException or NotSupportedException)
            {
                report(new ErrorRecord(ex, ErrorIds.FileNotFound, ErrorCategory.ObjectNotFound, path));
            }
        }
        return resolved;
    }

    // A pattern that matches nothing is passed over in silence, as Get-ChildItem does; but when a file has that very
    // name ('IMG [1].jpg': '[' and ']' are wildcards), the user meant it, and a scheduled run would report success
    // having done nothing. Said as an error that tells how to name it.
    private static bool IsLiteralFile(PSCmdlet cmdlet, Action<ErrorRecord> report, string path)
    {
        if (!WildcardPattern.ContainsWildcardCharacters(path)) return false;
        string full;
        try
        {
            full = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo provider, out _);
            if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider)) return false;
        }
        catch (Exception ex) when (ex is PSArgumentException or NotSupportedException or ProviderNotFoundException or System.Management.Automation.DriveNotFoundException)
        {
            return false;
        }
        if (!File.Exists(full)) return false;
        report(new ErrorRecord(
            new ItemNotFoundException($"No file matches the pattern '{path}', but '{full}' is a file of that very name: '[', ']', '*' and '?' are wildcards in -Path. Give it with -LiteralPath (or escape them with '`')."),
            ErrorIds.PatternNamesLiteralFile, ErrorCategory.ObjectNotFound, path));
        return true;
    }

    private static bool IsFileSystem(Action<ErrorRecord> report, ProviderInfo provider, string path)
    {
        if (provider.ImplementingType == typeof(Microsoft.PowerShell.Commands.FileSystemProvider)) return true;
        report(new ErrorRecord(
            new PSArgumentException($"'{path}' is on the {provider.Name} provider; only file-system paths hold images."),
            ErrorIds.NotFileSystemPath, ErrorCategory.InvalidArgument, path));
        return false;
    }

    // An output being written, by this or another run, or one a killed run left (which a later run removes): never an
    // input, whatever its state (empty, partial, or gone by the time it would be read). Passed over with -Verbose only,
    // as a listing with -Force or a wildcard on hidden names meets them in any folder outputs go to. One named as an
    // argument (not piped, no wildcard) gets a warning instead: a user who names a file sees why nothing came back,
    // and a listing kept in a variable and passed as -LiteralPath still runs without errors.
    private static bool IsTemporaryFile(PSCmdlet cmdlet, string full, bool named)
    {
        if (!Bridge.FileSystemChecks.IsTempFile(full)) return false;
        string why = $"'{full}' is a temporary file of a KMeansPS output being written (or left by a run that was killed); it is not read as an input.";
        if (named) NonPromptingStreams.Warning(cmdlet, why);
        else NonPromptingStreams.Verbose(cmdlet, why);
        return true;
    }

    private static bool IsGoneTemporaryFile(PSCmdlet cmdlet, string path, bool named)
    {
        if (WildcardPattern.ContainsWildcardCharacters(path)) return false;
        string full;
        try
        {
            full = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
        }
        catch (Exception ex) when (ex is PSArgumentException or NotSupportedException or ProviderNotFoundException or System.Management.Automation.DriveNotFoundException)
        {
            return false;
        }
        return IsTemporaryFile(cmdlet, full, named);
    }

    // A pipe (FIFO), socket or device named like an image is refused before it is opened: opening a FIFO waits for a
    // writer, which would hang the whole pipeline (a nightly Get-ChildItem *.png over a folder that holds one).
    private static bool IsSpecialFile(Action<ErrorRecord> report, string full)
    {
        if (Bridge.FileSystemChecks.Identify(full) is not { IsRegular: false, IsFolder: false }) return false;
        report(new ErrorRecord(
            new PSArgumentException($"'{full}' is a pipe, socket or device, not an image file; it was not read."),
            ErrorIds.PathIsSpecialFile, ErrorCategory.InvalidArgument, full));
        return true;
    }

    // A path that names no file: a folder is a wrong argument, anything else is missing.
    private static void ReportNotAFile(Action<ErrorRecord> report, string path, string full)
    {
        report(Directory.Exists(full)
            ? new ErrorRecord(
                // The file-system path, not the provider-qualified one a folder piped from Get-ChildItem arrives as.
                new PSArgumentException($"'{full}' is a folder, not an image file. To process the images in it, pipe Get-ChildItem -File '{full}' into the command."),
                ErrorIds.PathIsDirectory, ErrorCategory.InvalidArgument, full)
            : new ErrorRecord(new FileNotFoundException($"Cannot find the file '{full}'.", full), ErrorIds.FileNotFound, ErrorCategory.ObjectNotFound, full));
    }
}
