namespace KMeansPS.Pipeline;

/// <summary>A file's identity (device and file number, links followed) and kind, as the bridge reads it.</summary>
internal readonly record struct FileKey(ulong Device, ulong Number, bool IsRegular, bool IsFolder)
{
    /// <summary>True when both are one file.</summary>
    public bool IsSameFile(FileKey other) => Device == other.Device && Number == other.Number;

    /// <summary>"a folder", "a device, pipe or socket" or "a file".</summary>
    public string Describe() => IsFolder ? "a folder" : IsRegular ? "a file" : "a device, pipe or socket";
}
