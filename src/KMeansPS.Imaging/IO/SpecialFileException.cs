namespace KMeansPS.Imaging.IO;

/// <summary>A path that names a pipe, socket or other file that is not read as a file.</summary>
internal sealed class SpecialFileException(string path)
    : IOException($"'{path}' is a pipe, socket or device, not a file; it is not read (a pipe would wait for a writer for ever).")
{
    public string FilePath { get; } = path;
}
