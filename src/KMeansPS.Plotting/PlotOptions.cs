namespace KMeansPS.Plotting;

/// <summary>The file format of a plot.</summary>
internal enum PlotFormat
{
    Png = 0,
    Svg = 1,
}

/// <summary>Size, title and format of a plot.</summary>
internal sealed class PlotOptions
{
    public int Width { get; init; } = 800;
    public int Height { get; init; } = 600;
    public string? Title { get; init; }
    public PlotFormat Format { get; init; } = PlotFormat.Png;

    /// <summary>Svg for a path ending in .svg, else Png.</summary>
    public static PlotFormat FormatFor(string path) =>
        path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase) ? PlotFormat.Svg : PlotFormat.Png;

    internal void Validate()
    {
        if (Width is < 64 or > 16384) throw new ArgumentOutOfRangeException(nameof(Width), Width, "Width must be between 64 and 16384 pixels.");
        if (Height is < 64 or > 16384) throw new ArgumentOutOfRangeException(nameof(Height), Height, "Height must be between 64 and 16384 pixels.");
        if (!Enum.IsDefined(Format)) throw new ArgumentOutOfRangeException(nameof(Format));
    }
}
