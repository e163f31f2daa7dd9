namespace KMeansPS.Plotting;

internal static class PlotChecks
{
    private const double SmallestNormal = 2.2250738585072014E-308;

    /// <summary>
    /// Refuses an axis whose values (or whose spread) lie below double's normal range: the axis's ticks and the points'
    /// positions are computed from differences that underflow there, and the plotting library then draws an empty frame.
    /// </summary>
    public static void Drawable(string name, params double[]?[] axes)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double[]? values in axes)
        {
            if (values is null) continue;
            foreach (double v in values)
            {
                if (v != 0 && Math.Abs(v) < SmallestNormal)
                    throw new ArgumentException($"{name} holds {v:R}, below 2.2e-308 (a subnormal double), which no axis can be laid out for: scale the data up (by 1e300, say) and plot again.");
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
        }
        double spread = max - min;
        if (spread != 0 && spread < SmallestNormal)
            throw new ArgumentException($"{name} spreads over {spread:R}, below 2.2e-308 (a subnormal double), which no axis can be laid out for: subtract the middle and scale the data up, and plot again.");
    }

    public static void Finite(double[] values, string name)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i])) throw new ArgumentException($"{name}[{i}] is {values[i]}: only finite numbers can be plotted.");
        }
    }
}
