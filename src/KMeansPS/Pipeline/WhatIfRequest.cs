using System.Management.Automation;

namespace KMeansPS.Pipeline;

/// <summary>Whether a command runs under -WhatIf (given, or $WhatIfPreference set): then nothing may change, not even a stale temporary file.</summary>
internal static class WhatIfRequest
{
    public static bool Of(PSCmdlet cmdlet) =>
        cmdlet.MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? whatIf)
            ? whatIf is SwitchParameter { IsPresent: true }
            : LanguagePrimitives.IsTrue(cmdlet.SessionState.PSVariable.GetValue("WhatIfPreference"));
}
