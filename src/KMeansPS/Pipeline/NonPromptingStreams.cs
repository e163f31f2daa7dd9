using System.Management.Automation;

namespace KMeansPS.Pipeline;

/// <summary>
/// Verbose lines and warnings that never stop a command to ask. Under -Debug, PowerShell has a compiled cmdlet's verbose
/// and warning records ask "Continue with this operation?" (the first meaning of -Debug, which PowerShell 7 dropped for
/// debug records only): interactively a prompt per file, and in a scheduled or redirected run the prompt fails and
/// ends the command, losing the files after it. So under -Debug, unless -Verbose or -WarningAction is given as well,
/// these lines go to the debug stream that -Debug asked for, a warning prefixed "WARNING: " (the results still carry
/// their warnings; -WarningVariable alone does not keep a warning in its stream, since PowerShell would still ask:
/// give -WarningAction Continue with it).
/// </summary>
internal static class NonPromptingStreams
{
    /// <summary>Writes <paramref name="text"/> as a verbose line, or under -Debug alone as a debug line.</summary>
    public static void Verbose(PSCmdlet cmdlet, string text)
    {
        if (DebugWouldAsk(cmdlet, "Verbose")) cmdlet.WriteDebug(text);
        else cmdlet.WriteVerbose(text);
    }

    /// <summary>Writes <paramref name="text"/> as a warning, or under -Debug alone as a debug line marked WARNING.</summary>
    public static void Warning(PSCmdlet cmdlet, string text)
    {
        if (DebugWouldAsk(cmdlet, "WarningAction")) cmdlet.WriteDebug("WARNING: " + text);
        else cmdlet.WriteWarning(text);
    }

    /// <summary>-Debug is on and the stream's own parameter is not given: PowerShell would ask before each record.</summary>
    private static bool DebugWouldAsk(PSCmdlet cmdlet, string streamParameter)
    {
        Dictionary<string, object> bound = cmdlet.MyInvocation.BoundParameters;
        return bound.TryGetValue("Debug", out object? debug) && debug is SwitchParameter { IsPresent: true }
            && !bound.ContainsKey(streamParameter);
    }
}
