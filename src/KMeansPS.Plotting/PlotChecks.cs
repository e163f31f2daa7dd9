namespace KMeansPS.Plotting;

internal static class PlotChecks
{
    public static void Finite(double[] values, string name)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i])) throw new ArgumentException($"{name}[{i}] is {values[i]}: only finite numbers can be plotted.");
        }
    }
}
