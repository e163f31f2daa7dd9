namespace KMeansPS.Bridge;

/// <summary>
/// Every public option enum (Output/) mapped to its twin in the engine, imaging or plotting library: the twins are
/// kept apart because PowerShell reads parameter types when it imports the module, before our load context can
/// resolve library types. Each switch names every value, and a value the enum does not define throws instead of
/// falling back to a default.
/// </summary>
internal static class EnumMapping
{
    public static Engine.KMeansAlgorithm ToEngine(this Output.KMeansAlgorithm value) => value switch
    {
        Output.KMeansAlgorithm.Auto => Engine.KMeansAlgorithm.Auto,
        Output.KMeansAlgorithm.Lloyd => Engine.KMeansAlgorithm.Lloyd,
        Output.KMeansAlgorithm.Hamerly => Engine.KMeansAlgorithm.Hamerly,
        Output.KMeansAlgorithm.MiniBatch => Engine.KMeansAlgorithm.MiniBatch,
        _ => throw Undefined(value),
    };

    /// <summary>The engine's own third way, <see cref="Engine.KMeansInit.Given"/>, is chosen by the presence of initial centroids.</summary>
    public static Engine.KMeansInit ToEngine(this Output.KMeansInit value) => value switch
    {
        Output.KMeansInit.KMeansPlusPlus => Engine.KMeansInit.KMeansPlusPlus,
        Output.KMeansInit.Random => Engine.KMeansInit.Random,
        _ => throw Undefined(value),
    };

    public static Imaging.QuantizeColorSpace ToImaging(this Output.ColorSpace value) => value switch
    {
        Output.ColorSpace.Rgb => Imaging.QuantizeColorSpace.Rgb,
        Output.ColorSpace.OkLab => Imaging.QuantizeColorSpace.OkLab,
        _ => throw Undefined(value),
    };

    public static Imaging.DitherMode ToImaging(this Output.DitherMode value) => value switch
    {
        Output.DitherMode.None => Imaging.DitherMode.None,
        Output.DitherMode.FloydSteinberg => Imaging.DitherMode.FloydSteinberg,
        _ => throw Undefined(value),
    };

    public static Imaging.ImageOutputFormat ToImaging(this Output.ImageOutputFormat value) => value switch
    {
        Output.ImageOutputFormat.Png => Imaging.ImageOutputFormat.Png,
        Output.ImageOutputFormat.Gif => Imaging.ImageOutputFormat.Gif,
        _ => throw Undefined(value),
    };

    public static Plotting.PlotFormat ToPlotting(this Output.PlotFileFormat value) => value switch
    {
        Output.PlotFileFormat.Png => Plotting.PlotFormat.Png,
        Output.PlotFileFormat.Svg => Plotting.PlotFormat.Svg,
        _ => throw Undefined(value),
    };

    private static ArgumentOutOfRangeException Undefined<T>(T value) where T : struct, Enum =>
        new(nameof(value), value, $"{typeof(T).FullName} defines no value {value}.");
}
