using Xunit;

namespace KMeansPS.Plotting.Tests;

/// <summary>A plot's fingerprint names what it shows: the same for the same data and options, different for any change.</summary>
public class PlotFingerprintTests
{
    private static ClusterPlotData Points(double x0 = 0, string yLabel = "Y", double[]? cx = null) => new()
    {
        X = [x0, 1, 5], Y = [0, 1, 5], Cluster = [0, 0, 1], CentroidX = cx ?? [0.5, 5], CentroidY = [0.5, 5], YLabel = yLabel,
    };

    private static PlotOptions Options(int width = 320, string? title = "t", PlotFormat format = PlotFormat.Png) =>
        new() { Width = width, Height = 240, Title = title, Format = format };

    private static CurvePlotData Curve(int? suggested = 1, double last = 30) =>
        new() { K = [4, 8, 16], Psnr = [20, 25, double.PositiveInfinity], KiloBytes = [10, 20, last], SuggestedIndex = suggested };

    [Fact]
    public void The_same_data_and_options_give_the_same_fingerprint()
    {
        Assert.Equal(PlotFingerprint.Of(Points(), Options()), PlotFingerprint.Of(Points(), Options()));
        Assert.Equal(PlotFingerprint.Of(Curve(), Options()), PlotFingerprint.Of(Curve(), Options()));
        Assert.Matches("^[0-9A-F]{16}$", PlotFingerprint.Of(Points(), Options()));
    }

    [Fact]
    public void Any_change_of_data_labels_or_options_changes_it()
    {
        string[] prints =
        [
            PlotFingerprint.Of(Points(), Options()),
            PlotFingerprint.Of(Points(x0: 1e-300), Options()),
            PlotFingerprint.Of(Points(x0: -0.0), Options()),
            PlotFingerprint.Of(Points(yLabel: "y"), Options()),
            PlotFingerprint.Of(Points(cx: [0.5, 5.000000000000001]), Options()),
            PlotFingerprint.Of(new ClusterPlotData { X = [0, 1, 5], Y = [0, 1, 5], Cluster = [0, 0, 1] }, Options()),
            PlotFingerprint.Of(new ClusterPlotData { X = [0, 1, 5], Y = [0, 1, 5], Cluster = [0, 1, 1], CentroidX = [0.5, 5], CentroidY = [0.5, 5] }, Options()),
            PlotFingerprint.Of(Points(), Options(width: 321)),
            PlotFingerprint.Of(Points(), Options(title: null)),
            PlotFingerprint.Of(Points(), Options(title: "")),
            PlotFingerprint.Of(Points(), Options(format: PlotFormat.Svg)),
            PlotFingerprint.Of(Curve(), Options()),
            PlotFingerprint.Of(Curve(suggested: null), Options()),
            PlotFingerprint.Of(Curve(suggested: 0), Options()),
            PlotFingerprint.Of(Curve(last: 30.5), Options()),
            PlotFingerprint.Of(new CurvePlotData { K = [4, 8, 16], Psnr = [20, 25, double.PositiveInfinity], KiloBytes = [10, 20, 30], SuggestedIndex = 1, LeftLabel = "Silhouette" }, Options()),
        ];
        Assert.Equal(prints.Length, prints.Distinct().Count());
    }
}
