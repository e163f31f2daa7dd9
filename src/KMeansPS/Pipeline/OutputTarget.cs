using System.Management.Automation;

namespace KMeansPS.Pipeline;

/// <summary>
/// A -Destination-like parameter resolved once: a folder (existing, ending in a separator, or without a file
/// extension) that outputs are named into, or one file.
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
        string full;
        try
        {
            full = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(value, out ProviderInfo provider, out _);
            if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
            {
                throw new PSArgumentException($"-{parameter} '{value}' is not a file-system path.");
            }
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            cmdlet.ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument, value));
            throw;
        }
        bool folder = Directory.Exists(full)
            || value.EndsWith('/') || value.EndsWith(System.IO.Path.DirectorySeparatorChar)
            || System.IO.Path.GetExtension(full).Length == 0;
        if (!folder && !Directory.Exists(System.IO.Path.GetDirectoryName(full)))
        {
            cmdlet.ThrowTerminatingError(new ErrorRecord(
                new DirectoryNotFoundException($"The folder of -{parameter} '{value}' does not exist."),
                ErrorIds.InvalidArgument, ErrorCategory.ObjectNotFound, value));
        }
        return new OutputTarget(folder ? full.TrimEnd('/', System.IO.Path.DirectorySeparatorChar) : full, !folder);
    }
}
