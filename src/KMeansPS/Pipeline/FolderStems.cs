namespace KMeansPS.Pipeline;

/// <summary>
/// The image files of each folder a call's sources are in, by name before the extension (without case), listed once
/// per folder and call: finding a source's same-stem twins then costs a lookup, not a listing of the folder per
/// source (a folder of 10,000 photos would otherwise be listed 10,000 times).
/// </summary>
internal sealed class FolderStems
{
    private readonly Dictionary<string, Dictionary<string, List<string>>> _folders = new(Bridge.FileSystemChecks.PathComparer);

    /// <summary>The other image files (extensions the module reads) in <paramref name="source"/>'s folder with its stem.</summary>
    public IEnumerable<string> TwinsOf(string source)
    {
        string folder = Path.GetDirectoryName(source) ?? "";
        if (!_folders.TryGetValue(folder, out Dictionary<string, List<string>>? stems))
        {
            stems = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
            try
            {
                foreach (string file in Directory.EnumerateFiles(folder, "*", new EnumerationOptions { IgnoreInaccessible = true }))
                {
                    if (!OutputNaming.ImageExtensions.Contains(Path.GetExtension(file))) continue;
                    string stem = Path.GetFileNameWithoutExtension(file);
                    if (!stems.TryGetValue(stem, out List<string>? files)) stems[stem] = files = [];
                    files.Add(file);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // An unlistable folder has no known twins; reading the source reports what is wrong.
            }
            _folders[folder] = stems;
        }
        string name = Path.GetFileName(source);
        return stems.TryGetValue(Path.GetFileNameWithoutExtension(source), out List<string>? same)
            ? same.Where(f => !string.Equals(Path.GetFileName(f), name, StringComparison.Ordinal))
            : [];
    }
}
