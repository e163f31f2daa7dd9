using System.Globalization;
using KMeansPS.Plotting;
using Xunit;

namespace KMeansPS.Plotting.Tests;

/// <summary>
/// Tick labels at the ends of the double range: beyond 1e16 positional labels printed the binary expansion (40 digits
/// at 1e40, 300 at 1e299, pushing the plot off the picture), and below 1e-9 every label read zeros.
/// </summary>
public sealed class TickLabelTests
{
    [Theory]
    [InlineData(1e40, 5e40)]
    [InlineData(-3e299, 3e299)]
    [InlineData(1e-40, 9e-40)]
    [InlineData(-1e-300, 1e-300)]
    [InlineData(2e20, 2.000001e20)]
    public void LabelsAtTheEndsOfTheRangeAreShortScientificAndDistinct(double min, double max)
    {
        Func<double, string>? format = DistinctTickLabels.Scientific(min, max);
        Assert.NotNull(format);
        double[] ticks = Enumerable.Range(0, 11).Select(i => min + (max - min) * i / 10).ToArray();
        string[] labels = ticks.Select(format).ToArray();
        Assert.All(labels, l => Assert.True(l.Length <= 24, l));
        Assert.Equal(labels.Length, labels.Distinct(StringComparer.Ordinal).Count());
        for (int i = 0; i < ticks.Length; i++)
        {
            if (ticks[i] == 0) continue;
            double read = double.Parse(labels[i], NumberStyles.Float, CultureInfo.CurrentCulture);
            Assert.True(Math.Abs(read - ticks[i]) <= Math.Abs(max - min) / 20, $"{labels[i]} for {ticks[i]}");
        }
    }

    [Theory]
    [InlineData(0, 100)]
    [InlineData(1.7e12, 1.7000001e12)] // Unix times in milliseconds keep their positional labels
    [InlineData(-5e-6, 5e-6)]
    public void OrdinaryAxesKeepPositionalLabels(double min, double max) => Assert.Null(DistinctTickLabels.Scientific(min, max));
}
