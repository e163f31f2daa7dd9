using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace KMeansPS.Plotting;

/// <summary>
/// ScottPlot's automatic numeric ticks, with labels that always tell the ticks apart. Its labels keep a few significant
/// digits, so data with a large offset and a small spread (Unix times in milliseconds, map coordinates in metres) had
/// every tick read the same number ("1,700,000,000"). When two major labels come out equal, the ticks are laid out
/// again with as many decimals as their spacing needs, so the layout measures the longer labels.
/// </summary>
internal sealed class DistinctTickLabels : ITickGenerator
{
    private readonly NumericAutomatic _inner = new();

    public Tick[] Ticks
    {
        get => _inner.Ticks;
        set => _inner.Ticks = value;
    }

    public int MaxTickCount
    {
        get => _inner.MaxTickCount;
        set => _inner.MaxTickCount = value;
    }

    public void Regenerate(CoordinateRange range, Edge edge, PixelLength size, Paint paint, LabelStyle labelStyle)
    {
        if (Scientific(range.Min, range.Max) is { } scientific)
        {
            _inner.LabelFormatter = scientific;
            _inner.Regenerate(range, edge, size, paint, labelStyle);
            return;
        }
        _inner.LabelFormatter = LabelFormatters.Numeric;
        _inner.Regenerate(range, edge, size, paint, labelStyle);
        int? decimals = DecimalsNeeded(_inner.Ticks);
        if (decimals is not int d) return;
        _inner.LabelFormatter = value => value.ToString("N" + d.ToString(CultureInfo.InvariantCulture), CultureInfo.CurrentCulture);
        _inner.Regenerate(range, edge, size, paint, labelStyle);
    }

    /// <summary>
    /// Labels in scientific notation ("1.25E+40") for axes beyond what positional labels show: from 1e16 (past 2^53,
    /// where the digits a label would print are the binary expansion's, 40 of them at 1e40) and below 1e-9 (where
    /// 30 decimals print zeros); with enough significant digits to tell ticks a tenth of the range apart. Null
    /// for other axes.
    /// </summary>
    internal static Func<double, string>? Scientific(double min, double max)
    {
        double magnitude = Math.Max(Math.Abs(min), Math.Abs(max));
        if (!double.IsFinite(magnitude) || magnitude == 0 || magnitude is >= 1e-9 and < 1e16) return null;
        double span = max - min;
        int digits = span > 0 && double.IsFinite(span) ? Math.Clamp((int)Math.Ceiling(Math.Log10(magnitude / (span / 10))), 1, 15) : 3;
        string format = "0." + new string('#', digits) + "E+0";
        return value => value == 0 ? "0" : value.ToString(format, CultureInfo.CurrentCulture);
    }

    /// <summary>
    /// Null when the major ticks' labels are all different; else the decimals that write their spacing (the smallest
    /// gap between neighbours) with one significant digit, which tells every two of them apart.
    /// </summary>
    internal static int? DecimalsNeeded(IReadOnlyList<Tick> ticks)
    {
        Tick[] major = ticks.Where(t => t.IsMajor).OrderBy(t => t.Position).ToArray();
        if (major.Select(t => t.Label).Distinct(StringComparer.Ordinal).Count() == major.Length) return null;
        double gap = double.PositiveInfinity;
        for (int i = 1; i < major.Length; i++)
        {
            double d = major[i].Position - major[i - 1].Position;
            if (d > 0) gap = Math.Min(gap, d);
        }
        if (!double.IsFinite(gap)) return null;
        // "N" takes up to 99 decimals; beyond 17 significant digits a double has none to show.
        return Math.Clamp((int)Math.Ceiling(-Math.Log10(gap) - 1e-9), 0, 30);
    }
}
