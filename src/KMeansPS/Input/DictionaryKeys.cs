using System.Collections;

namespace KMeansPS.Input;

/// <summary>A dictionary's entry by name as PowerShell names properties: the key itself, else a text key that differs only in case.</summary>
internal static class DictionaryKeys
{
    /// <summary>True when <paramref name="dictionary"/> has an entry named <paramref name="name"/> (its value may be null).</summary>
    public static bool TryGetValue(IDictionary dictionary, string name, out object? value)
    {
        if (dictionary.Contains(name))
        {
            value = dictionary[name];
            return true;
        }
        foreach (DictionaryEntry entry in dictionary)
        {
            if (string.Equals(entry.Key as string, name, StringComparison.OrdinalIgnoreCase))
            {
                value = entry.Value;
                return true;
            }
        }
        value = null;
        return false;
    }
}
