using System.Management.Automation;

namespace KMeansPS.Pipeline;

/// <summary>An output this command will not write (or an input it will not read), with the error id and category to report.</summary>
internal sealed class OutputRefusedException(string errorId, ErrorCategory category, string message) : IOException(message)
{
    /// <summary>One of <see cref="ErrorIds"/>.</summary>
    public string ErrorId { get; } = errorId;

    /// <summary>The PowerShell error category.</summary>
    public ErrorCategory Category { get; } = category;
}
