using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Management.Automation;

namespace KMeansPS.Pipeline;

/// <summary>ThrowTerminatingError, marked as never returning so callers' flow analysis knows it.</summary>
internal static class TerminatingError
{
    [DoesNotReturn]
    public static void Throw(PSCmdlet cmdlet, string id, ErrorCategory category, object? target, string message, Exception? inner = null)
    {
        cmdlet.ThrowTerminatingError(new ErrorRecord(new ArgumentException(message, inner), id, category, target));
        throw new UnreachableException("ThrowTerminatingError returned.");
    }
}
