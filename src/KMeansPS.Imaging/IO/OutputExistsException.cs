namespace KMeansPS.Imaging.IO;

/// <summary>A publish that must not replace a file found one there (another writer got there first).</summary>
internal sealed class OutputExistsException(string path)
    : IOException($"The file '{path}' already exists (another writer published it first). Use -Force to overwrite it.")
{
    /// <summary>The destination that already existed.</summary>
    public string Path { get; } = path;
}
