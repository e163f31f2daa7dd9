// Each switch lists every named value and has no default arm, so the compiler proves it exhaustive: a value added to
// a public enum and not mapped here is a build error (CS8509). What it cannot prove (CS8524) is a value the enum does
// not define, cast from an integer; that throws SwitchExpressionException carrying the value instead of falling back.
#pragma warning disable CS8524

namespace KMeansPS.Bridge;

/// <summary>
/// Every public option enum (Output/) mapped to its twin in the engine, imaging or plotting library: the twins are
/// kept apart because PowerShell reads parameter types when it imports the module, before our load context can
/// resolve library types.
/// </summary>
internal static class EnumMapping
{
    public static Engine.KMeansAlgorithm ToEngine(this Output.KMeansAlgorithm value) => value switch
    {
        Output.KMeansAlgorithm.Auto => Engine.KMeansAlgorithm.Auto,
        Output.KMeansAlgorithm.Lloyd => Engine.KMeansAlgorithm.Lloyd,
        Output.KMeansAlgorithm.Hamerly => Engine.KMeansAlgorithm.Hamerly,
        Output.KMeansAlgorithm.MiniBatch => Engine.KMeansAlgorithm.MiniBatch,
    };

    /// <summary>The scheme a fit ran (<see cref="Engine.KMeansResult.Algorithm"/>) as the model reports it.</summary>
    public static Output.KMeansAlgorithm ToOutput(this Engine.KMeansAlgorithm value) => value switch
    {
        Engine.KMeansAlgorithm.Auto => Output.KMeansAlgorithm.Auto,
        Engine.KMeansAlgorithm.Lloyd => Output.KMeansAlgorithm.Lloyd,
        Engine.KMeansAlgorithm.Hamerly => Output.KMeansAlgorithm.Hamerly,
        Engine.KMeansAlgorithm.MiniBatch => Output.KMeansAlgorithm.MiniBatch,
    };

    /// <summary>The engine's own third way, <see cref="Engine.KMeansInit.Given"/>, is chosen by the presence of initial centroids.</summary>
    public static Engine.KMeansInit ToEngine(this Output.KMeansInit value) => value switch
    {
        Output.KMeansInit.KMeansPlusPlus => Engine.KMeansInit.KMeansPlusPlus,
        Output.KMeansInit.Random => Engine.KMeansInit.Random,
    };

    public static Imaging.ColorSpaces.QuantizeColorSpace ToImaging(this Output.ColorSpace value) => value switch
    {
        Output.ColorSpace.Rgb => Imaging.ColorSpaces.QuantizeColorSpace.Rgb,
        Output.ColorSpace.OkLab => Imaging.ColorSpaces.QuantizeColorSpace.OkLab,
    };

    public static Imaging.Quantization.DitherMode ToImaging(this Output.DitherMode value) => value switch
    {
        Output.DitherMode.None => Imaging.Quantization.DitherMode.None,
        Output.DitherMode.FloydSteinberg => Imaging.Quantization.DitherMode.FloydSteinberg,
    };

    public static Imaging.Quantization.ImageOutputFormat ToImaging(this Output.ImageOutputFormat value) => value switch
    {
        Output.ImageOutputFormat.Png => Imaging.Quantization.ImageOutputFormat.Png,
        Output.ImageOutputFormat.Gif => Imaging.Quantization.ImageOutputFormat.Gif,
    };

    public static Plotting.PlotFormat ToPlotting(this Output.PlotFileFormat value) => value switch
    {
        Output.PlotFileFormat.Png => Plotting.PlotFormat.Png,
        Output.PlotFileFormat.Svg => Plotting.PlotFormat.Svg,
    };
}
