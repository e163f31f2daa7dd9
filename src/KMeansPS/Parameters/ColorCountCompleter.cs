using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace KMeansPS.Parameters;

/// <summary>Tab completion for -K: the powers of two people usually pick for palettes.</summary>
public sealed class ColorCountCompleter : IArgumentCompleter
{
    private static readonly int[] Choices = [2, 4, 8, 16, 32, 64, 128, 256];

    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        foreach (int k in Choices)
        {
            string text = k.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (text.StartsWith(wordToComplete, StringComparison.Ordinal))
            {
                yield return new CompletionResult(text, text, CompletionResultType.ParameterValue, $"{k} colours");
            }
        }
    }
}
