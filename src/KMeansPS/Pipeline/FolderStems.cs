namespace KMeansPS.Pipeline;

/// <summary>
/// The image files of each folder a call's sources are in, by name before the extension (without case), listed once
/// per folder and call: finding a source's same-stem twins then costs a lookup, not a listing of the folder per
/// source (a folder of 10,000 photos would otherwise be listed 10,000 times).
/// </summary>
internal sealed class FolderStems
{
    private readonly Dictionary<string, Dictionary<string, List<string>>?> _folders = new(Bridge.FileSystemChecks.PathComparer);

    /// <summary>
    /// The other files in <paramref name="source"/>'s folder with its stem that may be images: an extension the module
    /// reads, or none (the caller then asks whether each starts like an image).
    /// </summary>
    public IEnumerable<string> TwinsOf(string source)
    {
        string folder = Path.GetDirectoryName(source) ?? "";
        if (!_folders.TryGetValue(folder, out Dictionary<string, List<string>>? stems))
        {
            stems = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
            try
            {
                // Not recursive: only the folder itself can be inaccessible, and then it is probed by name (below).
                foreach (string file in Directory.EnumerateFiles(folder, "*", new EnumerationOptions { IgnoreInaccessible = false }))
                {
                    // A file without an extension may be an image too (y beside y.png): it has no extension to tell
                    // its output apart, so y.png's must be.
                    string extension = Path.GetExtension(file);
                    if (extension.Length > 0 && !OutputNaming.ImageExtensions.Contains(extension)) continue;
                    string stem = Path.GetFileNameWithoutExtension(file);
                    if (!stems.TryGetValue(stem, out List<string>? files)) stems[stem] = files = [];
                    files.Add(file);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                stems = null; // a folder that may be entered but not listed (a drop box): its twins are asked for by name
            }
            _folders[folder] = stems;
        }
        string name = Path.GetFileName(source);
        if (stems is null) return Probed(folder, source);
        return stems.TryGetValue(Path.GetFileNameWithoutExtension(source), out List<string>? same)
            ? same.Where(f => !string.Equals(Path.GetFileName(f), name, StringComparison.Ordinal))
            : [];
    }

    /// <summary>
    /// The twins of <paramref name="source"/> in a folder that cannot be listed, found by asking for each name the
    /// module reads (the extension in lower and in upper case), so that the names do not depend on who may list it.
    /// </summary>
    internal static List<string> Probed(string folder, string source)
    {
        string stem = Path.GetFileNameWithoutExtension(source), name = Path.GetFileName(source);
        var found = new List<string>();
        string bare = Path.Combine(folder, stem);
        if (!string.Equals(stem, name, StringComparison.Ordinal) && File.Exists(bare)) found.Add(bare);
        foreach (string extension in OutputNaming.ImageExtensions)
        {
            foreach (string spelled in new[] { extension, extension.ToUpperInvariant() })
            {
                string candidate = Path.Combine(folder, stem + spelled);
                if (!string.Equals(stem + spelled, name, StringComparison.OrdinalIgnoreCase) && File.Exists(candidate) && !found.Contains(candidate)) found.Add(candidate);
            }
        }
        return found;
    }
}
