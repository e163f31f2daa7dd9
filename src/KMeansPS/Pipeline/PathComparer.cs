namespace KMeansPS.Pipeline;

/// <summary>Compares full paths as the platform's file systems usually do: case-insensitive on Windows and macOS.</summary>
internal sealed class PathComparer : IEqualityComparer<string>
{
    public static readonly PathComparer Instance = new();

    private static readonly StringComparer Inner =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    public bool Equals(string? x, string? y) =>
        Inner.Equals(x is null ? null : Path.GetFullPath(x), y is null ? null : Path.GetFullPath(y));

    public int GetHashCode(string obj) => Inner.GetHashCode(Path.GetFullPath(obj));
}
