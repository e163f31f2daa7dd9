using System.Management.Automation;

namespace KMeansPS.Pipeline;

/// <summary>An output this command will not write (or an input it will not read), with the error id and category to report.</summary>
internal sealed class OutputRefusedException(string errorId, ErrorCategory category, string message) : IOException(message)
{
    /// <summary>One of <see cref="ErrorIds"/>.</summary>
    public string ErrorId { get; } = errorId;

    /// <summary>The PowerShell error category.</summary>
    public ErrorCategory Category { get; } = category;

    /// <summary>
    /// True for the plain OutputExists refusal of a file at the output's name, which -Force would replace (not a name
    /// this call wrote, nor an up-to-date output of another input).
    /// </summary>
    public bool ForceWouldReplace { get; init; }
}
