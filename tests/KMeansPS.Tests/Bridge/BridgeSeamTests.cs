using Xunit;

namespace KMeansPS.Tests.Bridge;

/// <summary>
/// KMeansPS.dll loads in PowerShell's default load context, and our libraries in a context of their own that
/// PowerShell cannot see into: only the classes in KMeansPS.Bridge may touch engine, imaging or plotting types.
/// </summary>
public sealed class BridgeSeamTests
{
    private static readonly string[] Libraries = ["KMeansPS.Engine", "KMeansPS.Imaging", "KMeansPS.Plotting"];

    private static readonly Dictionary<string, SortedSet<string>> Uses =
        LibraryTypeUses.Find(Path.Combine(AppContext.BaseDirectory, "KMeansPS.dll"), Libraries);

    [Fact]
    public void OnlyBridgeTypesUseEngineImagingOrPlottingTypes()
    {
        string[] crossings = Uses
            .Where(u => !u.Key.StartsWith("KMeansPS.Bridge.", StringComparison.Ordinal))
            .Select(u => $"{u.Key} uses {string.Join(", ", u.Value)}")
            .ToArray();
        Assert.True(crossings.Length == 0, "Route these through a class in Bridge/:\n" + string.Join("\n", crossings));
    }

    [Theory]
    [InlineData("KMeansPS.Bridge.ClusteringRun", "KMeansPS.Engine.KMeans")]            // a call in a method body
    [InlineData("KMeansPS.Bridge.ClusteringRun", "KMeansPS.Engine.KMeansProgress")]    // a field and a nested type's interface
    [InlineData("KMeansPS.Bridge.EnumMapping", "KMeansPS.Imaging.Quantization.DitherMode")]         // a return type only (values are constants in IL)
    [InlineData("KMeansPS.Bridge.ImageErrorMap", "KMeansPS.Imaging.Decoding.InvalidImageException")] // a type test
    [InlineData("KMeansPS.Bridge.PlotJob", "KMeansPS.Plotting.ClusterPlotRenderer")]
    [InlineData("KMeansPS.Bridge.PlotJob", "KMeansPS.Imaging.IO.AtomicFileWriter")]
    [InlineData("KMeansPS.Bridge.SyntheticDataJob", "KMeansPS.Engine.Synthetic.SyntheticClusterOptions")]
    public void TheScanSeesTheBridgesOwnCrossings(string type, string libraryType)
    {
        // Proves the scan finds what it looks for, so an empty list outside the bridge means something.
        Assert.True(Uses.TryGetValue(type, out SortedSet<string>? used), $"{type} was not found using any library type");
        Assert.Contains(libraryType, used);
    }
}
