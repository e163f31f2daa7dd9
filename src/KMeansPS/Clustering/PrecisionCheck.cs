using System.Globalization;
using KMeansPS.Input;

namespace KMeansPS.Clustering;

/// <summary>
/// Tells whether float32 engine values still tell a column's values apart. The engine works at about 2^-24 of the
/// widest column's range, so one far outlier (1e39 beside values of 1 to 60), or a column of tiny spread beside one of
/// huge spread, squeezes the bulk of a column into a handful of float32 values, and the fit then separates only what
/// it can see. That is not an error (the engine's answer is right at its resolution), but a user must be told, because
/// scikit-learn's float64 would see more. Checked on an evenly spaced sample of rows, so its cost does not grow with N.
/// </summary>
internal static class PrecisionCheck
{
    /// <summary>Rows looked at, at most: evenly spaced, so the result depends only on the data.</summary>
    public const int SampleRows = 4096;

    /// <summary>The smallest difference of values the engine tells apart: 2^-24 of the widest column's range.</summary>
    public static double Resolution(FeatureSpace space) => Math.ScaleB(1.0, space.Exponent - 24);

    /// <summary>
    /// A warning naming each column whose sampled distinct values mostly merge in float32 (fewer than a quarter remain
    /// distinct), or null when every column keeps its values apart.
    /// </summary>
    public static string? Describe(PointTable table, FeatureSpace space)
    {
        int n = table.Count;
        if (n < 2) return null;
        int step = Math.Max(1, n / SampleRows);
        var parts = new List<string>();
        for (int j = 0; j < table.Dimensions; j++)
        {
            // Against the values read (not the working ones), so merging by -Standardize's z-scores counts too.
            var exact = new HashSet<double>();
            var engine = new HashSet<float>();
            for (int i = 0; i < n; i += step)
            {
                double value = table.Value(i, j);
                exact.Add(value);
                engine.Add((float)space.Engine(value, j));
            }
            if (engine.Count * 4L < exact.Count)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture,
                    $"'{table.Names[j]}' ({exact.Count} distinct values in {(n + step - 1) / step} sampled rows become {engine.Count})"));
            }
        }
        if (parts.Count == 0) return null;
        return string.Create(CultureInfo.InvariantCulture,
            $"The engine clusters in float32, which tells values apart only to about {Resolution(space):G3} here (2^-24 of the widest column's range), so most values of {string.Join(" and ", parts)} are equal to it: the clusters are found at that resolution. Look for outliers far from the rest, or put the columns on one scale (-Standardize; it does not help against an outlier).");
    }
}
