using System.Globalization;
using KMeansPS.Imaging.Quantization;

namespace KMeansPS.Bridge;

/// <summary>
/// What a quantizer's progress report means to a user: the stage's name (also the key of the -Debug timings), a detail
/// where the stage says how far it is, and the file's percentage. Each stage owns a share of the percentage, roughly
/// its share of the time on a large photo, so the percentage only grows.
/// </summary>
internal static class FileStages
{
    /// <summary>Null for the report that ends the work (its time is closed by the caller).</summary>
    public static (string Name, string? Detail, int Percent)? Describe(QuantizeProgress p) => p.Stage switch
    {
        QuantizeStage.Decoding => ("decode", p.Total > 0 ? Rows(p) : null, Share(0, 30, p.Fraction)),
        QuantizeStage.Histogram => ("histogram", null, 30),
        QuantizeStage.Clustering => ("fit", p.Done > 0 ? string.Create(CultureInfo.InvariantCulture, $"iteration {p.Done} of at most {p.Total}") : null, Share(35, 65, p.Fraction)),
        QuantizeStage.Mapping => ("map", null, 65),
        QuantizeStage.Encoding => ("encode", null, 75),
        QuantizeStage.Metrics => ("metrics", null, 92),
        QuantizeStage.Comparison => ("comparison", null, 97),
        _ => null,
    };

    private static string Rows(QuantizeProgress p) => string.Create(CultureInfo.InvariantCulture, $"{p.Done} of {p.Total} rows");

    private static int Share(int from, int to, double fraction) => from + (int)((to - from) * fraction);
}
