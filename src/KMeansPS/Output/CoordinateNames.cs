namespace KMeansPS.Output;

/// <summary>How coordinates are named on point objects: X, Y, Z up to three dimensions, X1..Xn beyond.</summary>
internal static class CoordinateNames
{
    private static readonly string[] Small = ["X", "Y", "Z"];

    public static string[] For(int dimensions)
    {
        var names = new string[dimensions];
        for (int j = 0; j < dimensions; j++)
        {
            names[j] = dimensions <= 3 ? Small[j] : "X" + (j + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return names;
    }

    /// <summary>Type name used by the format views: one per dimensionality that has a compact view.</summary>
    public static string PointTypeName(int dimensions, string kind = "KMeansPS.SyntheticPoint") =>
        dimensions <= 3 ? $"{kind}#{dimensions}D" : $"{kind}#ND";
}
